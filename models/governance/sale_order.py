from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class SaleOrder(models.Model):
    _inherit = ["sale.order", "sale.governance.protected.mixin"]
    _name = "sale.order"

    governed = fields.Boolean(
        string="Under Sales Policy",
        readonly=True,
        index=True,
        copy=False,
        default=False,
        help="Whether the sales management policy applies to this order. Decided once, "
        "when the order is created, by its sales team (or, without a team, by the "
        "company's setting); it stays through later team changes. Only a Governance "
        "Administrator takes an order out of the policy (Change Policy Scope, with a "
        "reason). Orders that existed before the addon was installed are never "
        "governed.",
    )

    # ------------------------------------------------------------------ scope
    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {"governed"}

    def _sg_refuse_protected(self, field_names):
        if "governed" in field_names:
            raise UserError(
                _(
                    "Whether an order is under the sales policy is decided when it is "
                    "created, by its sales team. Only a Governance Administrator can "
                    "take an order out of the policy, with Change Policy Scope and a "
                    "reason."
                )
            )
        return super()._sg_refuse_protected(field_names)

    def _sg_scope_decision(self):
        """Orders of ``self`` that the policy covers from their sales team (or company
        setting).

        Read as superuser: the question is the policy's, not the user's, and answering
        it must not depend on what the user may read.
        """
        orders = self.sudo()
        return self.browse(
            order.id
            for order in orders
            if (
                order.team_id.governed
                if order.team_id
                else order.company_id.policy_default_governed
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # Decided once, at creation; ungoverned orders cost no write.
        governed = orders._sg_scope_decision()
        if governed:
            governed._sg_protected_write({"governed": True})
        return orders

    def write(self, vals):
        res = super().write(vals)
        if "team_id" in vals:
            # One way only: a quotation moved into a team under the policy comes under
            # it; moving a governed order to a team outside the policy never takes it
            # out.
            candidates = self.filtered(
                lambda o: not o.governed and o.state in ("draft", "sent")
            )
            governed = candidates._sg_scope_decision()
            if governed:
                governed._sg_protected_write({"governed": True})
        return res

    def _sg_governed(self):
        """The shared helper every feature uses: the orders of ``self`` under the sales
        policy.
        """
        return self.filtered("governed")

    # ------------------------------------------------------------------ actions
    def action_sg_change_scope(self):
        """Open the wizard that puts orders under the policy or takes them out
        (administrators).
        """
        self.env["sale.governance.scope.wizard"]._check_administrator()
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Policy Scope"),
            "res_model": "sale.governance.scope.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "sale.order", "active_ids": self.ids},
        }

    def _sg_set_scope(self, governed, reason):
        """Put ``self`` under the policy or take it out; the caller checked who acts."""
        orders = self.filtered(lambda o: o.governed != governed)
        if not orders:
            return orders
        orders._sg_protected_write({"governed": governed})
        if governed:
            text = _(
                "Put under the sales policy by %(user)s. Reason: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            )
        else:
            text = _(
                "Taken out of the sales policy by %(user)s. Reason: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            )
        body = plaintext2html(text)
        orders.sudo()._message_log_batch(
            bodies={order.id: body for order in orders},
            author_id=self.env.user.partner_id.id,
        )
        return orders
