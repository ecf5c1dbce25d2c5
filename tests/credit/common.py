from odoo import Command
from odoo.tests import Form

from ..common import SaleGovernanceCase


class CreditSaleCase(SaleGovernanceCase):
    """Fixtures of the credit-sale feature: stock, an approving controller, helpers for
    the flow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Application = cls.env["sale.governance.credit.application"]
        cls.product.write({"taxes_id": [(5, 0, 0)], "invoice_policy": "delivery"})
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 1000.0
        )
        cls.clerk = cls.env["res.users"].create(
            {
                "name": "Invoicing Clerk",
                "login": "t_clerk",
                "groups_id": [
                    Command.set(
                        cls.env.ref("sale_governance.group_invoicing_clerk").ids
                    )
                ],
            }
        )
        cls.accountant = cls.env["res.users"].create(
            {
                "name": "Sales Accountant",
                "login": "t_accountant",
                "groups_id": [
                    Command.set(
                        cls.env.ref("sale_governance.group_sales_accountant").ids
                    )
                ],
            }
        )
        cls.company.write(
            {
                "credit_sale_allow_over_limit": False,
                "credit_sale_escalation_days": 7,
            }
        )

    @classmethod
    def _credit_order(cls, qty=10.0, price=100.0, mode="credit", team=None):
        order = cls._create_order(lines=[(cls.product, qty, price)], team=team)
        order.order_line.tax_id = False
        order.with_user(cls.salesman).payment_mode = mode
        return order

    def _draft_application(self, order, user=None, **vals):
        action = order.with_user(
            user or self.salesman
        ).action_create_credit_application()
        application = self.Application.browse(action["res_id"])
        if vals:
            application.with_user(user or self.salesman).write(vals)
        return application

    def _approve(self, application):
        application.with_user(self.sales_manager).action_submit()
        application.with_user(self.credit_ctrl).action_approve()
        return application

    def _approved_order(self, qty=10.0, price=100.0):
        order = self._credit_order(qty, price)
        application = self._approve(self._draft_application(order))
        order.action_confirm()
        return order, application

    def _ship(self, picking, qty, backorder=True, user=None):
        """Set ``qty`` on the picking's move and validate it (through the backorder
        wizard)."""
        picking = picking.with_user(user or self.env.user)
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        result = picking.button_validate()
        if (
            isinstance(result, dict)
            and result.get("res_model") == "stock.backorder.confirmation"
        ):
            wizard = Form(
                self.env["stock.backorder.confirmation"]
                .with_user(user or self.env.user)
                .with_context(**result["context"])
            ).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return picking.backorder_ids

    def _invoice_and_pay(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"journal_id": self.bank_journal.id})._create_payments()
        return invoice
