from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .work_plan import _check_owner_change

VISIT_TYPE_XMLID = "sale_governance.mail_activity_type_customer_visit"
# set while a visit log completes the activity it came from (no second log for that
# activity)
LOG_COMPLETES_ACTIVITY = "sale_governance_visit_log_completes"


class SaleGovernanceVisitLog(models.Model):
    """A salesperson's record of one customer visit (拜访记录 / 방문 일지)."""

    _name = "sale.governance.visit.log"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Visit Log"
    _order = "visit_datetime desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    customer_tier = fields.Char(
        compute="_compute_customer_tier",
        store=True,
        index=True,
        help="The customer's key-account tier when the visit was logged.",
    )
    contact_id = fields.Many2one(
        "res.partner", domain="[('parent_id', '=', partner_id)]"
    )
    visit_datetime = fields.Datetime(
        string="Visited On",
        required=True,
        index=True,
        default=fields.Datetime.now,
        tracking=True,
    )
    visit_date = fields.Date(compute="_compute_visit_date", store=True)
    visit_kind = fields.Selection(
        [("planned", "Planned"), ("unplanned", "Unplanned")],
        string="Planned?",
        required=True,
        default="unplanned",
    )
    plan_id = fields.Many2one(
        "sale.governance.work.plan",
        string="Work Plan",
        index=True,
        ondelete="set null",
        domain="[('user_id', '=', user_id)]",
    )
    activity_ref = fields.Integer(
        string="From Activity",
        readonly=True,
        copy=False,
        help="Id of the 'Customer visit' activity this visit fulfilled.",
    )
    purpose = fields.Char(required=True, default=lambda self: _("Customer visit"))
    discussion = fields.Text(string="What Was Discussed")
    result = fields.Text()
    next_step = fields.Char()
    next_step_date = fields.Date()
    next_activity_id = fields.Many2one(
        "mail.activity", readonly=True, copy=False, ondelete="set null"
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Photos and Files",
        help="Photos of the visit, documents received from the customer ...",
    )

    @api.depends("partner_id", "visit_datetime")
    def _compute_name(self):
        for log in self:
            day = (
                fields.Date.to_string(log.visit_datetime.date())
                if log.visit_datetime
                else ""
            )
            log.name = "%s %s" % (day, log.partner_id.name or "")

    @api.depends("partner_id")
    def _compute_customer_tier(self):
        profiles = self.partner_id._sg_customer_profiles()
        for log in self:
            log.customer_tier = (
                profiles.get(log.partner_id.id, {}).get("tier_label") or False
            )

    @api.depends("user_id")
    def _compute_team_id(self):
        for log in self:
            log.team_id = log.user_id.sale_team_id or log.team_id

    @api.depends("visit_datetime")
    def _compute_visit_date(self):
        for log in self:
            log.visit_date = log.visit_datetime.date() if log.visit_datetime else False

    @api.constrains("next_step", "next_step_date", "visit_datetime")
    def _check_next_step(self):
        for log in self:
            if log.next_step_date and not log.next_step:
                raise ValidationError(
                    _(
                        "Describe the next step planned for %(date)s.",
                        date=log.next_step_date,
                    )
                )
            if (
                log.next_step_date
                and log.visit_datetime
                and log.next_step_date < log.visit_datetime.date()
            ):
                raise ValidationError(
                    _(
                        "The next step's date cannot be before the visit; pick a "
                        "later date."
                    )
                )

    @api.constrains("visit_datetime")
    def _check_not_future(self):
        now = fields.Datetime.now()
        for log in self:
            if log.visit_datetime and log.visit_datetime.date() > now.date():
                raise ValidationError(
                    _(
                        "A visit log records a visit that took place: its date cannot "
                        "be in the future. Plan future visits in a work plan."
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        logs = super().create(vals_list)
        logs._after_visit()
        return logs

    def write(self, vals):
        if not self.env.su:
            if {"next_activity_id", "activity_ref"} & set(vals):
                raise UserError(
                    _(
                        "The activities of a visit log are linked by the visit log "
                        "itself."
                    )
                )
            _check_owner_change(self, vals)
        result = super().write(vals)
        if {"visit_datetime", "partner_id", "next_step", "next_step_date"} & set(vals):
            self._after_visit()
        return result

    def _after_visit(self):
        """Last Visit of the customers (hook of governance) and the next step's
        activity."""
        dates = {}
        for log in self:
            partner = log.partner_id.commercial_partner_id
            day = log.visit_datetime.date()
            if partner.id not in dates or dates[partner.id] < day:
                dates[partner.id] = day
        if dates:
            self.env["res.partner"]._sg_register_visits(dates)
        todo = self.filtered(
            lambda log: log.next_step_date
            and log.next_step
            and not log.next_activity_id
        )
        if todo:
            activity_type = self.env.ref(
                VISIT_TYPE_XMLID, raise_if_not_found=False
            ) or self.env.ref("mail.mail_activity_data_todo")
            partner_model = self.env["ir.model"]._get_id("res.partner")
            activities = (
                self.env["mail.activity"]
                .sudo()
                .create(
                    [
                        {
                            "res_model_id": partner_model,
                            "res_id": log.partner_id.commercial_partner_id.id,
                            "activity_type_id": activity_type.id,
                            "user_id": log.user_id.id,
                            "date_deadline": log.next_step_date,
                            "summary": log.next_step,
                            "note": self.env._(
                                "Next step of the visit %(visit)s", visit=log.name
                            ),
                        }
                        for log in todo
                    ]
                )
            )
            for log, activity in zip(todo, activities, strict=False):
                log.sudo().next_activity_id = activity

    @api.model
    def _create_from_activities(self, activities, feedback=False):
        """Visit logs for 'Customer visit' activities marked done (the salesperson
        completes them)."""
        now = fields.Datetime.now()
        plan_lines = (
            self.env["sale.governance.work.plan.line"]
            .sudo()
            .search([("activity_id", "in", activities.ids)])
        )
        line_by_activity = {line.activity_id.id: line for line in plan_lines}
        vals_list = []
        for activity in activities:
            partner = self.env["res.partner"].browse(activity.res_id)
            line = line_by_activity.get(activity.id)
            vals_list.append(
                {
                    "user_id": activity.user_id.id or self.env.user.id,
                    "partner_id": partner.id,
                    "company_id": (partner.company_id or self.env.company).id,
                    "visit_datetime": now,
                    "visit_kind": "planned",
                    "plan_id": line.plan_id.id if line else False,
                    "activity_ref": activity.id,
                    "purpose": activity.summary or activity.activity_type_id.name,
                    "discussion": feedback or False,
                }
            )
        return self.sudo().create(vals_list).with_env(self.env)
