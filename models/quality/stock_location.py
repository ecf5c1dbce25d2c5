from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    sg_is_quarantine = fields.Boolean(
        string="Quarantine",
        readonly=True,
        index=True,
        help="Quarantine location of a warehouse: rejected goods wait here, never "
        "reserved for deliveries nor picked for spot checks. Goods leave it only "
        "through an inspector's decision on the inspection.",
    )
    sg_is_awaiting = fields.Boolean(
        string="Awaiting Inspection",
        readonly=True,
        index=True,
        help="Finished goods wait here for the joint inspection group's result; the "
        "result books them into stock (accepted) or quarantine (rejected).",
    )

    def _sg_is_held(self):
        """Quarantine or awaiting inspection: goods leave only on an inspection's
        decision."""
        self.ensure_one()
        return self.sg_is_quarantine or self.sg_is_awaiting
