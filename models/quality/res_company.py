from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sg_spot_check_count = fields.Integer(
        string="Products per Spot Check",
        default=5,
        help="How many products with stock on hand each scheduled spot check picks.",
    )
