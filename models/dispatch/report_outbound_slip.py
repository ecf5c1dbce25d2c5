from odoo import _, api, models
from odoo.exceptions import UserError


class ReportOutboundSlip(models.AbstractModel):
    _name = "report.sale_governance.report_outbound_slip"
    _description = "Outbound Slip, five copies"

    @api.model
    def _copies(self):
        """The five copies of the outbound slip (第十六条), in print order."""
        return [
            _("Stub"),
            _("Collector"),
            _("Finance"),
            _("Sales Accountant, Statistics"),
            _("Gate Pass"),
        ]

    @api.model
    def _get_report_values(self, docids, data=None):
        pickings = self.env["stock.picking"].browse(docids)
        not_done = pickings.filtered(lambda p: p.state != "done")
        if not_done:
            raise UserError(
                _(
                    "The outbound slip is printed from a done delivery: "
                    "%(deliveries)s is not done yet.",
                    deliveries=", ".join(not_done.mapped("name")),
                )
            )
        return {
            "doc_ids": pickings.ids,
            "doc_model": "stock.picking",
            "docs": pickings,
            "copies": self._copies(),
        }
