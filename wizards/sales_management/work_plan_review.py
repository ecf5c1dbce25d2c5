from odoo import fields, models


class SaleGovernanceWorkPlanReview(models.TransientModel):
    _name = "sale.governance.work.plan.review"
    _description = "Return a Work Plan with a Comment"

    plan_id = fields.Many2one("sale.governance.work.plan", required=True)
    comment = fields.Text(required=True)

    def action_return(self):
        self.ensure_one()
        self.plan_id.action_return(self.comment)
        return {"type": "ir.actions.act_window_close"}
