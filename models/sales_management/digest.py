from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models

from .sales_figures import add_months, month_start


class SaleGovernanceStatistics(models.AbstractModel):
    _inherit = "sale.governance.statistics"

    # ------------------------------------------------------------------ digest to sales
    # managers
    @api.model
    def _digest_recipients(self, company):
        """Each sales manager (leader of a governed team of ``company``) and their
        teams."""
        teams = (
            self.env["crm.team"]
            .sudo()
            .search(
                [
                    ("governed", "=", True),
                    ("user_id", "!=", False),
                    ("company_id", "in", (company.id, False)),
                ]
            )
        )
        managers = {}
        for team in teams:
            if team.user_id.active and team.user_id.email:
                managers.setdefault(team.user_id, self.env["crm.team"].sudo())
                managers[team.user_id] |= team
        return managers

    @api.model
    def _digest_period(self, period_type, today=None):
        """The last full week (Monday-Sunday) or month before ``today``."""
        today = today or fields.Date.context_today(self)
        if period_type == "week":
            date_to = today - timedelta(days=today.weekday())
            return date_to - timedelta(days=7), date_to
        date_to = month_start(today)
        return add_months(date_to, -1), date_to

    @api.model
    def _send_digests(self, period_type, today=None):
        """The weekly or monthly digest e-mail to each sales manager with their team's
        figures."""
        date_from, date_to = self._digest_period(period_type, today)
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        action = self.env.ref(
            "sale_governance.sale_governance_statistics_report_action"
        )
        template = self.env.ref("sale_governance.sg_digest_mail_body")
        mails = self.env["mail.mail"].sudo()
        for company in self.env["res.company"].sudo().search([]):
            for manager, teams in self._digest_recipients(company).items():
                sections = []
                for team in teams:
                    rows = self._salesperson_rows(company, date_from, date_to, team)
                    sections.append(
                        {
                            "team": team,
                            "rows": rows,
                            "totals": self._totals(
                                rows,
                                [
                                    "target",
                                    "actual",
                                    "visits",
                                    "quotations",
                                    "orders_won",
                                ],
                            ),
                        }
                    )
                body = self.env["ir.qweb"]._render(
                    template.id,
                    {
                        "manager": manager,
                        "sections": sections,
                        "company": company,
                        "date_from": date_from,
                        "date_to": date_to - timedelta(days=1),
                        "period_type": period_type,
                        "currency": company.currency_id,
                        "link": "%s/odoo/action-%s" % (base_url, action.id),
                    },
                )
                subject = (
                    _(
                        "Weekly sales digest %(from)s - %(to)s",
                        **{"from": date_from, "to": date_to - timedelta(days=1)},
                    )
                    if period_type == "week"
                    else _(
                        "Monthly sales digest %(month)s",
                        month=date_from.strftime("%Y-%m"),
                    )
                )
                mails |= mails.create(
                    {
                        "subject": subject,
                        "body_html": Markup(body),
                        "recipient_ids": [(4, manager.partner_id.id)],
                        "email_from": company.email_formatted
                        or self.env.user.email_formatted,
                        "auto_delete": True,
                    }
                )
        return mails

    @api.model
    def _cron_weekly_digest(self):
        return self._send_digests("week")

    @api.model
    def _cron_monthly_digest(self):
        return self._send_digests("month")

    # ------------------------------------------------------------------ monthly summary
    # on the 1st
    @api.model
    def _send_monthly_summary(self, today=None):
        """The daily sales statistics of last month, as PDF, to the configured
        recipients."""
        date_from, date_to = self._digest_period("month", today)
        mails = self.env["mail.mail"].sudo()
        Report = self.env["sale.governance.statistics.report"].sudo()
        for company in (
            self.env["res.company"]
            .sudo()
            .search([("sg_statistics_group_ids", "!=", False)])
        ):
            users = company.sg_statistics_group_ids.users.filtered(
                lambda u, c=company: u.active and u.email and c in u.company_ids
            )
            if not users:
                continue
            report = Report.create(
                {
                    "report_type": "daily",
                    "period_type": "custom",
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to - timedelta(days=1),
                }
            )
            pdf, _fmt = (
                self.env["ir.actions.report"]
                .sudo()
                .with_company(company)
                ._render_qweb_pdf(
                    "sale_governance.action_report_sg_statistics", report.ids
                )
            )
            month = date_from.strftime("%Y-%m")
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": _("Sales statistics %(month)s.pdf", month=month),
                        "raw": pdf,
                        "res_model": "sale.governance.statistics.report",
                        "res_id": report.id,
                    }
                )
            )
            data = report._report_data_unchecked()
            totals = data["totals"]
            body = Markup(
                "<p>%s</p><ul><li>%s</li><li>%s</li><li>%s</li><li>%s</li></ul>"
            ) % (
                _(
                    "Monthly summary of the daily sales statistics, %(month)s "
                    "(%(company)s). The PDF with every day is attached.",
                    month=month,
                    company=company.name,
                ),
                _(
                    "Confirmed sales: %(amount)s",
                    amount=company.currency_id.format(totals["confirmed"]),
                ),
                _(
                    "Delivered: %(amount)s",
                    amount=company.currency_id.format(totals["delivered"]),
                ),
                _(
                    "Invoiced: %(amount)s",
                    amount=company.currency_id.format(totals["invoiced"]),
                ),
                _(
                    "Collected: %(amount)s",
                    amount=company.currency_id.format(totals["collected"]),
                ),
            )
            mails |= mails.create(
                {
                    "subject": _("Sales statistics %(month)s", month=month),
                    "body_html": body,
                    "recipient_ids": [(4, pid) for pid in users.partner_id.ids],
                    "attachment_ids": [(4, attachment.id)],
                    "email_from": company.email_formatted
                    or self.env.user.email_formatted,
                }
            )
        return mails

    @api.model
    def _cron_monthly_summary(self):
        """Runs daily; sends on the 1st of the month only."""
        if fields.Date.context_today(self).day == 1:
            return self._send_monthly_summary()
        return self.env["mail.mail"]
