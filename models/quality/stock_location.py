from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    sg_is_quarantine = fields.Boolean(
        string="Quarantine",
        readonly=True,
        index=True,
        help="Quarantine location of a warehouse: rejected goods wait here, never reserved for "
        "deliveries nor picked for spot checks.",
    )
