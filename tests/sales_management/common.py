from datetime import datetime, time, timedelta

from odoo import Command, fields

from odoo.addons.sale_governance.models.sales_management.sales_figures import (
    add_months,
    month_start,
)

from ..common import SaleGovernanceCase


class SalesManagementCase(SaleGovernanceCase):
    """The governed team led by the sales manager, with the two salespeople as
    members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write(
            {
                "user_id": cls.sales_manager.id,
                "member_ids": [Command.set([cls.salesman.id, cls.salesman2.id])],
            }
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.this_month = month_start(cls.today)
        cls.last_month = add_months(cls.this_month, -1)
        cls.service = cls.env["product.product"].create(
            {
                "name": "Mgmt Service",
                "type": "service",
                "list_price": 100.0,
                "invoice_policy": "order",
            }
        )
        cls.customer2 = cls.env["res.partner"].create(
            {
                "name": "Second Customer Co",
                "is_company": True,
                "user_id": cls.salesman2.id,
            }
        )
        cls.Target = cls.env["sale.governance.sales.target"]
        cls.Plan = cls.env["sale.governance.work.plan"]
        cls.Log = cls.env["sale.governance.visit.log"]

    @classmethod
    def _sell(cls, user, amount, day, partner=None, team=None):
        """A confirmed order of ``user`` dated ``day`` (noon UTC), untaxed
        ``amount``."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": user.id,
                "team_id": (team or cls.team).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.service.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = datetime.combine(day, time(12, 0))
        return order

    @classmethod
    def _invoice(cls, user, amount, day, partner=None, due=None, pay=0.0, pay_day=None):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or cls.customer).id,
                "invoice_user_id": user.id,
                "team_id": cls.team.id,
                "invoice_date": day,
                "invoice_date_due": due or day,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.service.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": False,
                        }
                    )
                ],
            }
        )
        move.action_post()
        if pay:
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create(
                {"amount": pay, "payment_date": pay_day or day}
            ).action_create_payments()
        return move

    def _month_report_html(self, report_type):
        """The sales manager's statistics report of ``report_type`` for the team's
        month, and its rendered HTML."""
        report = (
            self.env["sale.governance.statistics.report"]
            .with_user(self.sales_manager)
            .create(
                {
                    "report_type": report_type,
                    "period_type": "custom",
                    "date_from": self.M,
                    "date_to": add_months(self.M, 1) - timedelta(days=1),
                    "team_id": self.team.id,
                }
            )
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.sales_manager)
            ._render_qweb_html(
                "sale_governance.action_report_sg_statistics", report.ids
            )[0]
            .decode()
        )
        return report, html

    @staticmethod
    def _day(month, day):
        return month + timedelta(days=day - 1)
