from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        orders = self.sudo().line_ids.sale_line_ids.order_id._sg_governed()
        if orders:
            applications = (
                self.env["sale.governance.credit.application"]
                .sudo()
                .search([("order_id", "in", orders.ids), ("state", "=", "approved")])
            )
            applications._try_settle()
        return res
