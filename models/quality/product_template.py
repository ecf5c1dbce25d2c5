from odoo import _, fields, models
from odoo.exceptions import AccessError

QUALITY_CONFIG_FIELDS = {
    "sg_inspection_policy",
    "sg_inspection_required",
    "sg_sample_mode",
    "sg_sample_size",
    "sg_inspection_template_id",
    "sg_joint_inspection",
    "sg_production_receipt",
}
SAMPLE_MODES = [("fixed", "Fixed Quantity"), ("percent", "Percentage")]


def check_quality_config_access(env, vals):
    """Only inventory or governance administrators decide which goods need
    inspection."""
    if (
        QUALITY_CONFIG_FIELDS.intersection(vals)
        and not env.su
        and not (
            env.user.has_group("stock.group_stock_manager")
            or env.user.has_group("sale_governance.group_governance_admin")
        )
    ):
        raise AccessError(
            _(
                "Only inventory or governance administrators can change which goods "
                "need a quality inspection and how they are sampled."
            )
        )


class ProductTemplate(models.Model):
    _inherit = "product.template"

    sg_inspection_policy = fields.Selection(
        [
            ("category", "As Product Category"),
            ("always", "Inspect"),
            ("never", "No Inspection"),
        ],
        string="Receipt Inspection",
        default="category",
        required=True,
        tracking=True,
        help="Whether receipts of this product wait for a quality inspection. 'As "
        "Product Category' follows the category's setting.",
    )
    sg_sample_mode = fields.Selection(
        SAMPLE_MODES,
        string="Sampling",
        help="Empty: the product category's sampling rule.",
    )
    sg_sample_size = fields.Float(
        string="Sample Size",
        help="A quantity, or a percentage of the received quantity.",
    )
    sg_inspection_template_id = fields.Many2one(
        "sale.governance.inspection.template",
        string="Inspection Checklist",
        help="Empty: the product category's checklist.",
    )

    def write(self, vals):
        check_quality_config_access(self.env, vals)
        return super().write(vals)

    def _sg_needs_inspection(self):
        self.ensure_one()
        if self.sg_inspection_policy == "category":
            return self.categ_id.sg_inspection_required
        return self.sg_inspection_policy == "always"

    def _sg_sampling_rule(self):
        """(mode, size) of the sampling rule: the product's, else its category's."""
        self.ensure_one()
        if self.sg_sample_mode:
            return self.sg_sample_mode, self.sg_sample_size
        return self.categ_id.sg_sample_mode or "fixed", self.categ_id.sg_sample_size

    def _sg_inspection_template(self, company=None):
        """The checklist of this product (its own, else its category's), read as
        superuser: a shared product's category may point to another company's checklist.
        With ``company``, a checklist of another company is not returned (see
        :meth:`_sg_foreign_template`)."""
        self.ensure_one()
        template = (
            self.sg_inspection_template_id or self.categ_id.sg_inspection_template_id
        ).sudo()
        if company and template.company_id and template.company_id != company:
            return template.browse()
        return template

    def _sg_foreign_template(self, company):
        """The checklist of this product when it belongs to another company than
        ``company``."""
        self.ensure_one()
        template = (
            self.sg_inspection_template_id or self.categ_id.sg_inspection_template_id
        ).sudo()
        if template.company_id and template.company_id != company:
            return template
        return template.browse()

    def _sg_needs_joint_inspection(self):
        """Whether the joint inspection group signs (the category asks for it)."""
        self.ensure_one()
        return self.categ_id.sg_joint_inspection
