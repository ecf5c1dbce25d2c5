from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class SaleGovernanceInspectionTemplate(models.Model):
    _name = "sale.governance.inspection.template"
    _description = "Inspection Checklist Template"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    item_ids = fields.One2many(
        "sale.governance.inspection.template.item",
        "template_id",
        string="Checklist Items",
        copy=True,
    )
    note = fields.Html(string="Instructions", translate=True)

    def _sg_inspection_line_commands(self):
        """Create commands of the checklist's items (read as superuser: shared
        checklists)."""
        return [
            fields.Command.create(vals)
            for vals in self.sudo().item_ids._prepare_inspection_line_vals()
        ]


class SaleGovernanceInspectionTemplateItem(models.Model):
    _name = "sale.governance.inspection.template.item"
    _description = "Inspection Checklist Item"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "sale.governance.inspection.template",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Criterion", required=True, translate=True)
    kind = fields.Selection(
        [("check", "Pass / Fail"), ("measure", "Measured Value")],
        required=True,
        default="check",
        help="Pass / Fail: the inspector decides. Measured Value: the inspector "
        "enters the value; a value outside [minimum, maximum] fails the item.",
    )
    uom = fields.Char(string="Unit")
    min_value = fields.Float(string="Minimum")
    max_value = fields.Float(string="Maximum")

    @api.constrains("kind", "min_value", "max_value")
    def _check_range(self):
        for item in self:
            if item.kind == "measure" and item.min_value > item.max_value:
                raise ValidationError(
                    _(
                        "Criterion %(item)s: the minimum (%(min)s) is greater than "
                        "the maximum (%(max)s). Enter a minimum lower than or equal "
                        "to the maximum.",
                        item=item.name,
                        min=item.min_value,
                        max=item.max_value,
                    )
                )

    def _prepare_inspection_line_vals(self):
        # the lines keep "from_template": inspectors cannot delete or redefine them
        return [
            {
                "sequence": item.sequence,
                "name": item.name,
                "kind": item.kind,
                "uom": item.uom,
                "min_value": item.min_value,
                "max_value": item.max_value,
                "from_template": True,
            }
            for item in self
        ]
