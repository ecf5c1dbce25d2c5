from odoo import fields, models


class SaleGovernancePromotionType(models.Model):
    _name = "sale.governance.promotion.type"
    _description = "Promotion Type (Key Accounts)"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    color = fields.Integer()
