from odoo import _, fields, models

APPROVAL_ACTIVITY = "sale_governance.mail_activity_data_contract_approval"

LEVEL_SELECTION = [
    ("1", "Level 1 - Sales Dept"),
    ("2", "Level 2 - Business Management"),
    ("3", "Level 3 - Executive in Charge"),
]


class SaleGovernanceApproval(models.Model):
    """One approval level of one submission round of a quotation.

    Written only by the methods of ``sale.order`` (under ``sudo()`` after they checked who acts):
    the access rights give everybody read access only, so that an RPC write is refused.
    """

    _name = "sale.governance.approval"
    _description = "Contract Approval Level"
    _order = "order_id, round desc, level"
    _rec_name = "level"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, readonly=True
    )
    salesperson_id = fields.Many2one(related="order_id.user_id", string="Salesperson")
    round = fields.Integer(
        string="Submission", readonly=True, help="Which submission of the quotation this is."
    )
    level = fields.Selection(LEVEL_SELECTION, required=True, readonly=True)
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
        "res.users", string="Decided by", readonly=True,
        help="The person who approved or rejected this level.",
    )
    on_behalf_of_id = fields.Many2one(
        "res.users", string="On Behalf of", readonly=True,
        help="The approver that the person who decided stood in for (substitution).",
    )
    date = fields.Datetime(string="Decided on", readonly=True)
    comment = fields.Text(readonly=True)
    cancel_reason = fields.Char(
        readonly=True, help="Why this level was cancelled (a change to the commercial terms, a "
        "rejection at another level).",
    )

    def _approval_level_label(self):
        self.ensure_one()
        return dict(self._fields["level"]._description_selection(self.env))[self.level]

    def _approval_notify(self):
        """An activity to each approver of these pending levels, and to whoever stands in for
        them today (the salesperson of the order excepted)."""
        today = fields.Date.context_today(self)
        substitutions = self.env["sale.governance.approval.substitute"].sudo().search([
            ("user_id", "in", self.group_id.sudo().users.ids),
            ("date_from", "<=", today),
            ("date_to", ">=", today),
        ])
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        model_id = self.env["ir.model"]._get_id("sale.order")
        deadline = fields.Date.context_today(self)
        vals_list = []
        for approval in self:
            order = approval.order_id
            members = approval.group_id.sudo().users.filtered(
                lambda u: not u.share and order.company_id in u.company_ids
            )
            substitutes = substitutions.filtered(
                lambda s: s.user_id in members and s.company_id == order.company_id
            ).substitute_id
            summary = _("Approve the contract: %(level)s", level=approval._approval_level_label())
            vals_list += [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": order.id,
                    "user_id": user.id,
                    "summary": summary,
                    "date_deadline": deadline,
                    "automated": True,
                }
                for user in (members | substitutes) - order.user_id
            ]
        # One batch for every approver (activity_schedule() would create them one by one).
        self.env["mail.activity"].create(vals_list)
