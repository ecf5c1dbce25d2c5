from odoo import fields, models

from .product_template import SAMPLE_MODES, check_quality_config_access


class ProductCategory(models.Model):
    _inherit = "product.category"

    sg_inspection_required = fields.Boolean(
        string="Receipt Inspection",
        help="Receipts of products of this category wait for a quality inspection "
        "(unless the product says otherwise).",
    )
    sg_sample_mode = fields.Selection(SAMPLE_MODES, string="Sampling", default="fixed")
    sg_sample_size = fields.Float(
        string="Sample Size",
        default=1.0,
        help="A quantity, or a percentage of the received quantity. Rounded up, at "
        "least 1, never more than received.",
    )
    sg_inspection_template_id = fields.Many2one(
        "sale.governance.inspection.template", string="Inspection Checklist"
    )

    sg_joint_inspection = fields.Boolean(
        string="Joint Inspection Group",
        help="Inspections of these goods are recorded only after every required "
        "department of the joint quality inspection group signed. Finished goods from "
        "production always are.",
    )

    def write(self, vals):
        check_quality_config_access(self.env, vals)
        return super().write(vals)
