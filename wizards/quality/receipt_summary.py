"""Monthly finished-goods receipt summary (产成品入库单, 004 第七条–第九条).

The business management clerk closes the month on the cut-off day (default the 26th);
the summary lists per product what the joint inspection group inspected, accepted into
stock and rejected, and prints in three copies: the counterparty's, the sales
accountant's and the finance department's.
"""

from datetime import date, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


def summary_period(year, month, cutoff):
    """(first day, last day) of the summary of ``month``: the day after the previous
    month's cut-off through this month's cut-off day."""
    end = date(year, month, cutoff)
    previous = (end.replace(day=1) - timedelta(days=1)).replace(day=cutoff)
    return previous + timedelta(days=1), end


class SaleGovernanceReceiptSummary(models.TransientModel):
    _name = "sale.governance.receipt.summary"
    _description = "Monthly Finished-Goods Receipt Summary"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    month = fields.Selection(
        [(str(m), str(m)) for m in range(1, 13)],
        required=True,
        default=lambda self: str(fields.Date.context_today(self).month),
    )
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    date_from = fields.Date(compute="_compute_period", string="From")
    date_to = fields.Date(compute="_compute_period", string="To (cut-off)")

    @api.depends("company_id", "month", "year")
    def _compute_period(self):
        for summary in self:
            cutoff = summary.company_id.sg_receipt_summary_cutoff_day or 26
            if summary.year < 1900 or not summary.month or not 1 <= cutoff <= 28:
                summary.date_from = summary.date_to = False
                continue
            summary.date_from, summary.date_to = summary_period(
                summary.year, int(summary.month), cutoff
            )

    def _sg_copies(self):
        return [_("Counterparty"), _("Sales Accountant"), _("Finance Department")]

    def _sg_summary_lines(self):
        """Per product: inspected, accepted and rejected quantities of the finished
        goods whose inspection was recorded in the period (one grouped read)."""
        self.ensure_one()
        if not self.date_from:
            raise UserError(_("Choose a valid month and year."))
        start = fields.Datetime.to_datetime(self.date_from)
        end = fields.Datetime.to_datetime(self.date_to + timedelta(days=1))
        groups = self.env["sale.governance.inspection"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("kind", "=", "receipt"),
                ("receipt_kind", "=", "production"),
                ("state", "=", "done"),
                ("date_done", ">=", start),
                ("date_done", "<", end),
            ],
            ["product_id"],
            ["quantity:sum", "qty_accepted:sum", "qty_rejected:sum", "__count"],
        )
        return [
            {
                "product": product,
                "uom": product.uom_id,
                "inspected": inspected,
                "accepted": accepted,
                "rejected": rejected,
                "count": count,
            }
            for product, inspected, accepted, rejected, count in sorted(
                groups, key=lambda g: g[0].display_name
            )
        ]

    def action_print(self):
        self.ensure_one()
        self._sg_summary_lines()
        return self.env.ref(
            "sale_governance.action_report_receipt_summary"
        ).report_action(self)
