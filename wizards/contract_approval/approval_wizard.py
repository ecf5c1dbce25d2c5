from odoo import api, fields, models


class SaleGovernanceApprovalWizard(models.TransientModel):
    """Approve (optional comment) or reject (mandatory reason) one or several
    quotations."""

    _name = "sale.governance.approval.wizard"
    _description = "Approve or Reject Contracts"

    order_ids = fields.Many2many("sale.order", string="Quotations", required=True)
    order_count = fields.Integer(compute="_compute_order_count")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    comment = fields.Text(
        help="Optional when approving; the reason is mandatory when rejecting.",
    )

    @api.depends("order_ids")
    def _compute_order_count(self):
        for wizard in self:
            wizard.order_count = len(wizard.order_ids)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if (
            "order_ids" in fields_list
            and not res.get("order_ids")
            and context.get("active_model") == "sale.order"
            and context.get("active_ids")
        ):
            res["order_ids"] = [fields.Command.set(context["active_ids"])]
        return res

    def action_apply(self):
        self.ensure_one()
        if self.decision == "approve":
            self.order_ids._sg_approval_approve(self.comment)
        else:
            self.order_ids._sg_approval_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
