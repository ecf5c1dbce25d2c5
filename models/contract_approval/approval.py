from odoo import _, fields, models

APPROVAL_ACTIVITY = "sale_governance.mail_activity_data_contract_approval"


class SaleGovernanceApproval(models.Model):
    """One approval level of one submission round of a quotation.

    Written only by the approval methods of ``sale.order`` (protected workflow: they
    check who acts, then write through ``_sg_protected_write``); the access rights give
    everybody read access only.
    """

    _name = "sale.governance.approval"
    _inherit = ["sale.governance.protected.mixin"]
    _description = "Contract Approval Step"
    _order = "order_id, round desc, sequence, id"
    _rec_name = "level_name"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, readonly=True
    )
    salesperson_id = fields.Many2one(related="order_id.user_id", string="Salesperson")
    round = fields.Integer(
        string="Submission",
        readonly=True,
        help="Which submission of the quotation this is.",
    )
    level_id = fields.Many2one(
        "sale.governance.approval.level",
        string="Approval Level",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    sequence = fields.Integer(readonly=True, help="The level's sequence at submission.")
    level_name = fields.Char(
        string="Level",
        readonly=True,
        help="The level's name at submission (kept for the trail).",
    )
    group_id = fields.Many2one(
        "res.groups", string="Approver Group", required=True, readonly=True, index=True
    )
    state = fields.Selection(
        [
            ("waiting", "Waiting for Previous Level"),
            ("pending", "To Approve"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="waiting",
        readonly=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Decided by",
        readonly=True,
        help="The person who approved or rejected this level.",
    )
    on_behalf_of_id = fields.Many2one(
        "res.users",
        string="On Behalf of",
        readonly=True,
        help="The approver that the person who decided stood in for (substitution).",
    )
    date = fields.Datetime(string="Decided on", readonly=True)
    comment = fields.Text(readonly=True)
    cancel_reason = fields.Char(
        readonly=True,
        help="Why this level was cancelled (a change to the commercial terms, a "
        "rejection at another level).",
    )

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {
            "order_id",
            "round",
            "level_id",
            "sequence",
            "level_name",
            "group_id",
            "state",
            "user_id",
            "on_behalf_of_id",
            "date",
            "comment",
            "cancel_reason",
        }

    def _approval_level_label(self):
        self.ensure_one()
        return self.level_name or self.level_id.name

    def _approval_approvers(self):
        """Internal users of the order's company who decide these steps (the salesperson
        of the order excepted), ``{step: users}``."""
        result = {}
        for approval in self:
            order = approval.order_id
            result[approval] = (
                approval.group_id.sudo().users.filtered(
                    lambda u, c=order.company_id: not u.share and c in u.company_ids
                )
                - order.user_id
            )
        return result

    def _approval_notify(self):
        """An activity to each approver of these pending levels, and to whoever stands
        in for them today (the salesperson of the order excepted)."""
        today = fields.Date.context_today(self)
        approvers = self._approval_approvers()
        all_members = (
            self.env["res.users"].union(*approvers.values()) if approvers else None
        )
        substitutions = (
            self.env["sale.governance.approval.substitute"]
            .sudo()
            .search(
                [
                    ("user_id", "in", all_members.ids if all_members else []),
                    ("date_from", "<=", today),
                    ("date_to", ">=", today),
                ]
            )
        )
        # {summary: ([order ids], [users])}: one batch per level name, whatever the
        # number of orders and approvers (activity_schedule() creates them one by one)
        batches = {}
        for approval in self:
            order = approval.order_id
            members = approvers[approval]
            substitutes = substitutions.filtered(
                lambda s, m=members, c=order.company_id: s.user_id in m
                and s.company_id == c
            ).substitute_id
            summary = _(
                "Approve the contract: %(level)s",
                level=approval._approval_level_label(),
            )
            order_ids, users = batches.setdefault(summary, ([], []))
            for user in (members | substitutes) - order.user_id:
                order_ids.append(order.id)
                users.append(user)
        # The activity is the notification (the approver's activity menu), without one
        # e-mail each; written in SQL (governance's mail_bulk) as the ORM's create with
        # mail_activity_quick_update would (the approvers follow the order).
        Order = self.env["sale.order"].sudo()
        for summary, (order_ids, users) in batches.items():
            Order.browse(order_ids)._sg_schedule_activities(
                APPROVAL_ACTIVITY, users, today, summary=summary
            )
