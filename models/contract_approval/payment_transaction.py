from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A payment for a quotation that waits for its contract approval is processed
        and posted like any customer payment, but it does not confirm the quotation: the
        salesperson gets an activity instead (never an exception inside the payment's
        post-processing)."""
        held = self.filtered(
            lambda tx: len(tx.sale_order_ids) == 1
            and tx.sale_order_ids.sudo()._sg_approval_blocking()
        )
        confirmed = super(
            PaymentTransaction, self - held
        )._check_amount_and_confirm_order()
        for tx in held:
            tx.sale_order_ids.sudo()._sg_approval_payment_received(tx)
        return confirmed
