from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sg_delivery_notice_required = fields.Boolean(
        string="Delivery Notice Required",
        default=True,
        help="Deliveries under the sales policy are validated only with a valid "
        "delivery notice issued by an invoicing clerk and the loading recorded by a "
        "dispatcher, within the notice's loading limit; a gate pass is issued when "
        "they are done.",
    )
    sg_delivery_notice_validity_days = fields.Integer(
        string="Delivery Notice Valid for (days)",
        default=0,
        help="0: the notice is valid on the day it is issued only; n: n more days.",
    )
