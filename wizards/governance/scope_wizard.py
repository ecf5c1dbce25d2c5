from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

GOVERNANCE_ADMIN = "sale_governance.group_governance_admin"


class SaleGovernanceScopeWizard(models.TransientModel):
    """A Governance Administrator puts orders under the sales policy or takes them out,
    with a
    reason logged in each order's chatter. The only way ``sale.order.governed`` changes
    after
    creation (besides a quotation moving into a governed team)."""

    _name = "sale.governance.scope.wizard"
    _description = "Sales Governance: change the policy scope of orders"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    governed = fields.Boolean(
        string="Under the Sales Policy",
        help="On: the orders follow the policy from now on. Off: they leave it "
        "(approvals, credit and delivery gates no longer apply to them).",
    )
    reason = fields.Text(
        help="Mandatory: logged in the chatter of every order changed."
    )

    @api.model
    def _check_administrator(self):
        if not self.env.user.has_group(GOVERNANCE_ADMIN):
            raise AccessError(
                _(
                    "Only a Governance Administrator can change whether an order is "
                    "under the sales policy. Ask them to do it."
                )
            )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        # The context (active_model / active_ids, sent by the caller) only pre-fills
        # the form: create and action_apply decide, as administrator checks. Nothing is
        # proposed to others, nor orders the user may not read.
        if self.env.context.get("active_model") == "sale.order" and (
            self.env.su or self.env.user.has_group(GOVERNANCE_ADMIN)
        ):
            orders = self.env["sale.order"].browse(
                self.env.context.get("active_ids") or []
            )
            orders = orders.exists()._filtered_access("read")
            if "order_ids" in fields_list:
                res["order_ids"] = [fields.Command.set(orders.ids)]
            if "governed" in fields_list and orders:
                # Propose the change: take governed orders out, put the others in.
                res["governed"] = not all(orders.mapped("governed"))
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self._check_administrator()
        return super().create(vals_list)

    def action_apply(self):
        self.ensure_one()
        self._check_administrator()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(
                _(
                    "Give the reason for changing the policy scope: it is logged on "
                    "every order."
                )
            )
        orders = self.order_ids
        # The administrator must be able to read the orders (record rules, companies).
        orders.check_access("read")
        orders._sg_set_scope(self.governed, reason)
        return {"type": "ir.actions.act_window_close"}
