import secrets
from urllib.parse import quote

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .delivery_notice import GROUP_DISPATCHER, GROUP_GUARD, check_role


class SaleGovernanceGatePass(models.Model):
    _name = "sale.governance.gate.pass"
    _description = "Gate Pass"
    _inherit = ["sale.governance.protected.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    token = fields.Char(readonly=True, copy=False, index=True, groups="base.group_user")
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    notice_id = fields.Many2one(
        "sale.governance.delivery.notice",
        string="Delivery Notice",
        readonly=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    vehicle_plate = fields.Char(readonly=True)
    driver_name = fields.Char(string="Driver", readonly=True)
    state = fields.Selection(
        [
            ("valid", "Waiting at the Gate"),
            ("used", "Left the Premises"),
            ("cancel", "Cancelled"),
        ],
        default="valid",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    issue_date = fields.Datetime(
        string="Issued on", readonly=True, default=fields.Datetime.now
    )
    exit_date = fields.Datetime(string="Exit Time", readonly=True)
    exit_day = fields.Date(readonly=True, index=True)
    exit_by_id = fields.Many2one("res.users", string="Guard", readonly=True)
    move_ids = fields.One2many(related="picking_id.move_ids", string="Goods")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The gate pass number must be unique.",
        ),
        ("token_uniq", "unique(token)", "The gate pass code must be unique."),
    ]

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {
            "name",
            "token",
            "picking_id",
            "notice_id",
            "company_id",
            "partner_id",
            "vehicle_plate",
            "driver_name",
            "state",
            "issue_date",
            "exit_date",
            "exit_day",
            "exit_by_id",
        }

    @api.model_create_multi
    def create(self, vals_list):
        if self._sg_is_internal_write():
            for vals in vals_list:
                if vals.get("name", "/") == "/":
                    company = (
                        self.env["res.company"].browse(vals.get("company_id"))
                        or self.env.company
                    )
                    vals["name"] = (
                        self.env["ir.sequence"]
                        .with_company(company)
                        .next_by_code("sale.governance.gate.pass")
                        or "/"
                    )
                vals.setdefault("token", secrets.token_urlsafe(16))
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        if not self._sg_is_internal_write():
            raise UserError(
                _("A gate pass is kept as a record: cancel it instead of deleting it.")
            )

    # ------------------------------------------------------------------ the guard's
    # page
    def _sg_check_url(self):
        """Path of the guard's page for this pass (the QR code's content, with the base
        URL)."""
        self.ensure_one()
        return "/sale_governance/gate/pass/%s" % self.sudo().token

    def _sg_qr_src(self):
        """Image source of the QR code printed on the pass (Odoo's barcode route)."""
        self.ensure_one()
        url = self.get_base_url() + self._sg_check_url()
        return "/report/barcode/?barcode_type=QR&value=%s&width=240&height=240" % quote(
            url, safe=""
        )

    @api.model
    def _sg_find(self, code):
        """The pass whose code (QR token) or number is ``code``, read as superuser: the
        guard must learn why a pass of another company is refused, not only that it
        cannot be read."""
        code = (code or "").strip()
        if not code:
            return self.browse()
        passes = self.sudo().search([("token", "=", code)], limit=1)
        return passes or self.sudo().search([("name", "=ilike", code)], limit=1)

    def _sg_refusal(self, user=None):
        """Why this pass does not let the vehicle out (a translated message), or
        False."""
        self.ensure_one()
        user = user or self.env.user
        gate_pass = self.sudo()
        if gate_pass.company_id not in user.company_ids:
            return _(
                "Gate pass %(name)s belongs to %(company)s: it is not valid at this "
                "gate. Stop the vehicle and call the dispatcher.",
                name=gate_pass.name,
                company=gate_pass.company_id.name,
            )
        if gate_pass.state == "used":
            return _(
                "Gate pass %(name)s was already used: the vehicle left on %(date)s "
                "(recorded by %(guard)s). A pass is valid once: stop the vehicle and "
                "call the dispatcher.",
                name=gate_pass.name,
                date=fields.Datetime.to_string(
                    fields.Datetime.context_timestamp(
                        gate_pass.with_user(user), gate_pass.exit_date
                    )
                )[:16],
                guard=gate_pass.exit_by_id.name,
            )
        if gate_pass.state == "cancel":
            return _(
                "Gate pass %(name)s was cancelled: stop the vehicle and call the "
                "dispatcher.",
                name=gate_pass.name,
            )
        if gate_pass.picking_id.state == "cancel":
            return _(
                "The delivery %(delivery)s of gate pass %(name)s is cancelled: the "
                "goods may not leave.",
                delivery=gate_pass.picking_id.name,
                name=gate_pass.name,
            )
        if gate_pass.picking_id.state != "done":
            return _(
                "The delivery %(delivery)s of gate pass %(name)s is not done: the "
                "goods may not leave.",
                delivery=gate_pass.picking_id.name,
                name=gate_pass.name,
            )
        return False

    def action_sg_record_exit(self):
        """The guard lets the vehicle out: once, for a done delivery of the guard's
        company."""
        check_role(self.env, GROUP_GUARD, _("record a vehicle's exit"))
        if not self:
            raise UserError(
                _(
                    "No gate pass matches this code. Stop the vehicle and call the "
                    "dispatcher."
                )
            )
        # Two guards scanning the same pass at once: the second waits, then sees it
        # used.
        self.env.cr.execute(
            "SELECT id FROM sale_governance_gate_pass WHERE id IN %s FOR UPDATE",
            [tuple(self.ids)],
        )
        self.invalidate_recordset(["state", "exit_date", "exit_by_id"])
        for gate_pass in self:
            refusal = gate_pass._sg_refusal()
            if refusal:
                raise UserError(refusal)
        now = fields.Datetime.now()
        self._sg_protected_write(
            {
                "state": "used",
                "exit_date": now,
                "exit_day": fields.Date.context_today(self, now),
                "exit_by_id": self.env.uid,
            }
        )
        return True

    def action_cancel(self):
        check_role(self.env, GROUP_DISPATCHER, _("cancel a gate pass"))
        if any(p.state != "valid" for p in self):
            raise UserError(
                _("Only a gate pass still waiting at the gate can be cancelled.")
            )
        self._sg_protected_write({"state": "cancel"})
        return True

    def action_sg_open_check_page(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self._sg_check_url(),
            "target": "self",
        }
