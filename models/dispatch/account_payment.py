from odoo import _, models
from odoo.tools import format_amount, format_date

from .delivery_notice import group_partners

# Payment-received notice (到款通知书): to the sales department and business management.
NOTICE_GROUPS = (
    "sale_governance.group_sales_manager",
    "sale_governance.group_business_reviewer",
)


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def action_post(self):
        result = super().action_post()
        received = self.filtered(
            lambda p: p.payment_type == "inbound"
            and p.partner_type == "customer"
            and p.partner_id
            and p.state not in ("draft", "canceled", "rejected")
        )
        if received:
            received._sg_payment_received_notice()
            notices = (
                self.env["sale.governance.delivery.notice"]
                .sudo()
                .search(
                    [
                        (
                            "partner_id",
                            "in",
                            received.partner_id.commercial_partner_id.ids,
                        ),
                        ("collect_state", "=", "to_collect"),
                        ("state", "=", "loaded"),
                    ]
                )
            )
            notices._sg_refresh_collect()
        return result

    def _sg_payment_received_notice(self):
        """One message per payment (payer, amount, date, bank, prepaid balance after it)
        notified to the members of the sales department and business management
        groups."""
        statements = {}
        for company in self.company_id:
            partners = self.filtered(
                lambda p, c=company: p.company_id == c
            ).partner_id.commercial_partner_id
            statements.update(
                {
                    (partner, company): figures
                    for partner, figures in partners.with_company(company)
                    ._sg_prepaid_statement()
                    .items()
                }
            )
        recipients = {
            company: group_partners(self.env, NOTICE_GROUPS, company)
            for company in self.company_id
        }
        for payment in self:
            company = payment.company_id
            partner = payment.partner_id.commercial_partner_id
            balance = statements.get((partner, company), {}).get("balance", 0.0)
            bank = payment.journal_id.name
            if payment.partner_bank_id:
                bank = "%s (%s)" % (bank, payment.partner_bank_id.display_name)
            payment.sudo().message_post(
                body=_(
                    "Payment-received notice: %(payer)s paid %(amount)s on %(date)s "
                    "into %(bank)s. Prepaid balance of the customer after this "
                    "payment: %(balance)s.",
                    payer=partner.display_name,
                    amount=format_amount(self.env, payment.amount, payment.currency_id),
                    date=format_date(self.env, payment.date),
                    bank=bank,
                    balance=format_amount(self.env, balance, company.currency_id),
                ),
                partner_ids=recipients[company].ids,
                subtype_xmlid="mail.mt_comment",
            )
