"""The joint quality inspection group (质量联合监察组, 004 第六条): the departments of a
company that inspect finished goods together, who represents each, and their sign-offs
on an inspection."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleGovernanceInspectionDepartment(models.Model):
    _name = "sale.governance.inspection.department"
    _description = "Joint Inspection Group Department"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    required = fields.Boolean(
        default=True,
        help="The inspection is recorded only after this department signed.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "sg_inspection_department_user_rel",
        "department_id",
        "user_id",
        string="Representatives",
    )
    group_ids = fields.Many2many(
        "res.groups",
        "sg_inspection_department_group_rel",
        "department_id",
        "group_id",
        string="Representative Groups",
        help="Every member of these groups represents the department too.",
    )

    _sql_constraints = [
        (
            "name_company_unique",
            "unique(name, company_id)",
            "A department of the joint inspection group appears once per company.",
        ),
    ]

    def _sg_represented_by(self, user):
        """Departments of ``self`` that ``user`` represents."""
        user_groups = user.sudo().groups_id
        return self.filtered(
            lambda d: user in d.user_ids or (d.group_ids & user_groups)
        )

    @api.model
    def _sg_ensure_defaults(self, companies=None):
        """Each company gets the policy's four departments (install, new company)."""
        companies = companies or self.env["res.company"].search([])
        existing = set(
            self.with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
            .mapped("company_id")
            .ids
        )
        # the policy's four departments (销售部、企管部、生产部、财务部) and the role
        # that represents each by default
        defaults = [
            (self.env._("Sales"), "sale_governance.group_sales_manager"),
            (
                self.env._("Business Management"),
                "sale_governance.group_business_reviewer",
            ),
            (self.env._("Production"), "sale_governance.group_quality_inspector"),
            (self.env._("Finance"), "sale_governance.group_credit_controller"),
        ]
        vals_list = []
        for company in companies:
            if company.id in existing:
                continue
            for sequence, (name, group_xmlid) in enumerate(defaults, start=1):
                group = self.env.ref(group_xmlid, raise_if_not_found=False)
                vals_list.append(
                    {
                        "name": name,
                        "sequence": sequence * 10,
                        "company_id": company.id,
                        "group_ids": [fields.Command.set(group.ids if group else [])],
                    }
                )
        if vals_list:
            self.sudo().create(vals_list)


class SaleGovernanceInspectionSignoff(models.Model):
    _name = "sale.governance.inspection.signoff"
    _description = "Joint Inspection Sign-off"
    _inherit = ["sale.governance.protected.mixin"]
    _order = "inspection_id, sequence, id"

    inspection_id = fields.Many2one(
        "sale.governance.inspection",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="inspection_id.company_id", store=True)
    department_id = fields.Many2one(
        "sale.governance.inspection.department",
        required=True,
        readonly=True,
        ondelete="restrict",
    )
    sequence = fields.Integer(related="department_id.sequence", store=True)
    required = fields.Boolean(related="department_id.required")
    state = fields.Selection(
        [("pending", "Waiting"), ("accepted", "Accepted"), ("failed", "Failed")],
        default="pending",
        required=True,
        readonly=True,
        string="Finding",
    )
    user_id = fields.Many2one("res.users", string="Signed by", readonly=True)
    date = fields.Datetime(string="Signed on", readonly=True)
    note = fields.Char(string="Finding / Reason")
    can_sign = fields.Boolean(compute="_compute_can_sign")

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {
            "inspection_id",
            "department_id",
            "state",
            "user_id",
            "date",
        }

    @api.depends_context("uid")
    def _compute_can_sign(self):
        user = self.env.user
        for signoff in self:
            signoff.can_sign = signoff.state == "pending" and bool(
                signoff.department_id.sudo()._sg_represented_by(user)
            )

    def write(self, vals):
        if "note" in vals and not self._sg_is_internal_write():
            for signoff in self:
                signoff._sg_check_signer(for_note=True)
        return super().write(vals)

    def _sg_check_signer(self, for_note=False):
        self.ensure_one()
        user = self.env.user
        inspection = self.inspection_id
        if inspection.state != "todo":
            raise UserError(
                _(
                    "Inspection %(name)s is not waiting for a result.",
                    name=inspection.name,
                )
            )
        if self.state != "pending":
            raise UserError(
                _(
                    "%(department)s already signed inspection %(name)s. A quality "
                    "inspector can reset the inspection if it must be signed again.",
                    department=self.department_id.name,
                    name=inspection.name,
                )
            )
        if not self.department_id.sudo()._sg_represented_by(user):
            raise UserError(
                _(
                    "You do not represent %(department)s in the joint inspection "
                    "group; only its representatives sign for it.",
                    department=self.department_id.name,
                )
            )
        if for_note:
            return
        company = inspection.company_id
        others = inspection.signoff_ids.filtered(
            lambda s: s != self and s.user_id == user
        )
        if others and not company.sg_joint_sign_multiple:
            raise UserError(
                _(
                    "You already signed inspection %(name)s for %(department)s; one "
                    "person signs for one department only. Ask another representative "
                    "of %(this)s.",
                    name=inspection.name,
                    department=others[0].department_id.name,
                    this=self.department_id.name,
                )
            )

    def action_accept(self):
        return self._sg_sign("accepted")

    def action_open_fail(self):
        """The representative writes the reason of the failure, then fails the
        inspection."""
        self.ensure_one()
        self._sg_check_signer()
        return {
            "type": "ir.actions.act_window",
            "name": _("Fail the Inspection"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "sale_governance.sale_governance_inspection_signoff_view_form_fail"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
        }

    def action_fail(self):
        return self._sg_sign("failed")

    def _sg_sign(self, finding, note=None):
        for signoff in self:
            signoff._sg_check_signer()
            note = note if note is not None else signoff.note
            if finding == "failed" and not (note or "").strip():
                raise UserError(
                    _(
                        "%(department)s: write the reason of the failure in 'Finding "
                        "/ Reason' before failing the inspection.",
                        department=signoff.department_id.name,
                    )
                )
            vals = {
                "state": finding,
                "user_id": self.env.user.id,
                "date": fields.Datetime.now(),
            }
            if note is not None:
                vals["note"] = note
            signoff._sg_protected_write(vals)
            label = _("accepted") if finding == "accepted" else _("failed")
            note_text = ": " + note if note else ""
            signoff.inspection_id.sudo().message_post(
                body=_(
                    "%(department)s %(finding)s, signed by %(user)s%(note)s",
                    department=signoff.department_id.name,
                    finding=label,
                    user=self.env.user.name,
                    note=note_text,
                ),
                author_id=self.env.user.partner_id.id,
            )
        return True
