from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

RECEIVABLE_FIGURES = ("balance", "invoices", "payments", "overdue")


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _sg_register_visits(self, dates_by_partner):
        """Hook: customer visits were logged on ``dates_by_partner`` ({partner id:
        date}).

        Does nothing here. The key-account feature overrides it to move the customer's
        *Last Visit* (and so the visit interval of its tier) forward; the visit logs of
        the sales management feature call it.
        """
        return None

    def _sg_receivable_figures(self, companies, date=None):
        """The open receivables of these customers per commercial partner and company,
        one query.

        Returns ``{(commercial partner, company): {...}}`` in company currency (a
        missing key reads as zeros) with:

        - ``balance``: the sum of the open residuals of posted receivable lines (Odoo's
          partner *credit*; negative when payments exceed the invoices);
        - ``invoices``: what the customer owes on posted documents (positive residuals,
          i.e. unpaid invoices);
        - ``payments``: payments and credit notes not matched yet (negative residuals,
          as a positive figure);
        - ``overdue``: what the customer owes past its due date (before ``date``,
          default today; ``date=False``: not asked, 0, and no time zone read).

        The credit-sale application (exposure) and the delivery gate (prepaid balance)
        both use it: one definition of what a customer owes.
        """
        partners = self.sudo().commercial_partner_id
        if not partners or not companies:
            return self._sg_receivable_figures_from_rows([])
        return self._sg_receivable_figures_from_rows(
            self.env.execute_query(
                partners._sg_receivable_figures_sql(companies, date=date)
            )
        )

    def _sg_receivable_figures_sql(self, companies, date=None):
        """The statement of :meth:`_sg_receivable_figures` for the commercial partners
        ``self``, what it reads flushed: rows ``(commercial partner id, company id,
        balance, invoices, payments, overdue)``.

        For callers that read more in the same statement (the delivery gate locks and
        reads the prepaid balance in one); they pass the rows to
        :meth:`_sg_receivable_figures_from_rows`.
        """
        if date is None:
            date = fields.Date.context_today(self)
        self.env["account.move.line"].flush_model(
            [
                "partner_id",
                "company_id",
                "parent_state",
                "account_id",
                "reconciled",
                "amount_residual",
                "date_maturity",
            ]
        )
        self.env["account.account"].flush_model(["account_type"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return SQL(
            """
            SELECT p.commercial_partner_id, l.company_id,
                   COALESCE(SUM(l.amount_residual), 0),
                   COALESCE(SUM(l.amount_residual)
                            FILTER (WHERE l.amount_residual > 0), 0),
                   COALESCE(-SUM(l.amount_residual)
                            FILTER (WHERE l.amount_residual < 0), 0),
                   COALESCE(SUM(l.amount_residual)
                            FILTER (WHERE l.amount_residual > 0
                                      AND l.date_maturity < %(date)s::date), 0)
              FROM account_move_line l
              JOIN res_partner p ON p.id = l.partner_id
              JOIN account_account a ON a.id = l.account_id
             WHERE p.commercial_partner_id IN %(partners)s
               AND l.company_id IN %(companies)s
               AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND l.reconciled IS NOT TRUE
             GROUP BY 1, 2
            """,
            date=date or None,
            partners=tuple(self.ids),
            companies=tuple(companies.ids),
        )

    @api.model
    def _sg_receivable_figures_from_rows(self, rows):
        """The result of :meth:`_sg_receivable_figures` from the rows of its
        statement."""
        result = defaultdict(lambda: dict.fromkeys(RECEIVABLE_FIGURES, 0.0))
        Partner = self.env["res.partner"]
        Company = self.env["res.company"]
        for partner_id, company_id, balance, invoices, payments, overdue in rows:
            result[Partner.browse(partner_id), Company.browse(company_id)] = {
                "balance": balance,
                "invoices": invoices,
                "payments": payments,
                "overdue": overdue,
            }
        return result
