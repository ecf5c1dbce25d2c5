from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_figures import add_months, month_start, to_datetime

PLAN_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("returned", "Returned"),
]
PLAN_EDITABLE_STATES = ("draft", "returned")
VISIT_TYPE_XMLID = "sale_governance.mail_activity_type_customer_visit"


def _check_owner_change(records, vals):
    """Only a sales manager hands a plan or a log over to somebody else."""
    if (
        vals.get("user_id")
        and vals["user_id"] != records.env.user.id
        and not records.env.su
        and not records.env.user.has_group("sale_governance.group_sales_manager")
    ):
        raise UserError(
            _(
                "Only a sales manager hands work plans and visit logs over to another "
                "salesperson."
            )
        )


class SaleGovernanceWorkPlan(models.Model):
    """A salesperson's weekly or monthly work plan (工作计划 / 주간 작업 계획)."""

    _name = "sale.governance.work.plan"
    _inherit = ["sale.governance.protected.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Work Plan"
    _order = "date_start desc, user_id"
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
        check_company=True,
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    period_type = fields.Selection(
        [("week", "Weekly"), ("month", "Monthly")],
        string="Period",
        required=True,
        default="week",
    )
    date_start = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self)
        - timedelta(days=fields.Date.context_today(self).weekday())
        + timedelta(days=7),
        help="Weekly plans start on a Monday, monthly plans on the 1st (adjusted on "
        "save).",
    )
    date_end = fields.Date(string="To", compute="_compute_date_end", store=True)
    objectives = fields.Text(
        help="What the salesperson means to achieve in the period."
    )
    line_ids = fields.One2many(
        "sale.governance.work.plan.line", "plan_id", string="Planned Actions"
    )
    state = fields.Selection(
        PLAN_STATES, default="draft", required=True, tracking=True, copy=False
    )
    review_comment = fields.Text(
        readonly=True,
        copy=False,
        tracking=True,
        help="The sales manager's comment when returning or approving.",
    )
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_date = fields.Datetime(readonly=True, copy=False)
    visit_log_ids = fields.One2many(
        "sale.governance.visit.log", "plan_id", string="Visit Logs"
    )

    # --- realisation (live) ---
    planned_visit_count = fields.Integer(
        string="Planned Visits", compute="_compute_realisation"
    )
    visited_count = fields.Integer(
        string="Planned Customers Visited",
        compute="_compute_realisation",
        help="Planned customers with a logged visit by the salesperson in the period.",
    )
    visit_count = fields.Integer(string="Visits Logged", compute="_compute_realisation")
    quotation_count = fields.Integer(
        string="Quotations Made", compute="_compute_realisation"
    )
    order_count = fields.Integer(string="Orders Won", compute="_compute_realisation")
    order_amount = fields.Monetary(
        string="Orders Won Amount", compute="_compute_realisation"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    visit_realisation_pct = fields.Float(
        string="Visits Done (%)", compute="_compute_realisation"
    )

    @api.depends("user_id")
    def _compute_team_id(self):
        for plan in self:
            plan.team_id = plan.user_id.sale_team_id or plan.team_id

    @api.depends("period_type", "date_start")
    def _compute_date_end(self):
        for plan in self:
            if not plan.date_start:
                plan.date_end = False
            elif plan.period_type == "month":
                plan.date_end = add_months(plan.date_start, 1) - timedelta(days=1)
            else:
                plan.date_end = plan.date_start + timedelta(days=6)

    @api.depends("period_type", "date_start", "user_id")
    def _compute_name(self):
        for plan in self:
            if not plan.date_start:
                plan.name = False
                continue
            if plan.period_type == "month":
                period = plan.date_start.strftime("%Y-%m")
            else:
                year, week, _day = plan.date_start.isocalendar()
                period = "%s-W%02d" % (year, week)
            plan.name = "%s %s" % (period, plan.user_id.name or "")

    def _compute_realisation(self):
        """Bounded: a few grouped queries per distinct period, whatever the number of
        plans."""
        Figures = self.env["sale.governance.sales.figures"].sudo()
        Log = self.env["sale.governance.visit.log"].sudo()
        for plan in self:
            plan.update(
                dict.fromkeys(
                    [
                        "planned_visit_count",
                        "visited_count",
                        "visit_count",
                        "quotation_count",
                        "order_count",
                        "order_amount",
                        "visit_realisation_pct",
                    ],
                    0,
                )
            )
        periods = {}
        for plan in self.filtered("date_start"):
            periods.setdefault(
                (plan.company_id, plan.date_start, plan.date_end), self.browse()
            )
            periods[(plan.company_id, plan.date_start, plan.date_end)] |= plan
        for (company, date_from, date_end), plans in periods.items():
            date_to = date_end + timedelta(days=1)
            quotations = Figures._order_counts(
                company, date_from, date_to, quotations=True
            )
            won = Figures._order_counts(company, date_from, date_to)
            amounts = Figures._confirmed_sales(company, date_from, date_to)
            visited = {
                (user.id, partner.id): count
                for user, partner, count in Log._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("user_id", "in", plans.user_id.ids),
                        ("visit_datetime", ">=", to_datetime(date_from)),
                        ("visit_datetime", "<", to_datetime(date_to)),
                    ],
                    ["user_id", "partner_id"],
                    ["__count"],
                )
            }
            for plan in plans:
                uid = plan.user_id.id
                planned = plan.line_ids.filtered(
                    lambda line: line.line_type == "visit"
                ).partner_id
                done = sum(1 for p in planned if visited.get((uid, p.id)))
                plan.planned_visit_count = len(planned)
                plan.visited_count = done
                plan.visit_count = sum(c for (u, _p), c in visited.items() if u == uid)
                plan.quotation_count = quotations.get((uid,), 0)
                plan.order_count = won.get((uid,), 0)
                plan.order_amount = amounts.get((uid,), 0.0)
                plan.visit_realisation_pct = (
                    100.0 * done / len(planned) if planned else 0.0
                )

    # ------------------------------------------------------------------ constraints
    @api.constrains("line_ids", "date_start", "period_type")
    def _check_line_dates(self):
        for plan in self:
            outside = plan.line_ids.filtered(
                lambda line, p=plan: line.date
                and not (p.date_start <= line.date <= p.date_end)
            )
            if outside:
                raise ValidationError(
                    _(
                        "Planned actions of %(plan)s must fall between %(start)s and "
                        "%(end)s; move them or plan them in another period.",
                        plan=plan.name,
                        start=plan.date_start,
                        end=plan.date_end,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {
            "state",
            "review_comment",
            "reviewed_by_id",
            "reviewed_date",
        }

    @api.model
    def _normalize_vals(self, vals, period_type=None):
        if vals.get("date_start"):
            start = fields.Date.to_date(vals["date_start"])
            if (vals.get("period_type") or period_type) == "month":
                start = month_start(start)
            else:
                start -= timedelta(days=start.weekday())
            vals["date_start"] = start
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            self._normalize_vals(dict(vals), vals.get("period_type") or "week")
            for vals in vals_list
        ]
        return super().create(vals_list)

    def write(self, vals):
        if not self._sg_is_internal_write():
            self._check_editable()
            _check_owner_change(self, vals)
        if "date_start" in vals or "period_type" in vals:
            for plan in self:
                super(SaleGovernanceWorkPlan, plan).write(
                    self._normalize_vals(
                        dict(vals), vals.get("period_type") or plan.period_type
                    )
                )
            return True
        return super().write(vals)

    def _check_editable(self):
        locked = self.filtered(lambda p: p.state not in PLAN_EDITABLE_STATES)
        if locked:
            raise UserError(
                _(
                    "Work plan %(plan)s is %(state)s and can no longer be edited; the "
                    "sales manager returns it if it must change.",
                    plan=locked[0].name,
                    state=dict(PLAN_STATES)[locked[0].state].lower(),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reviewed(self):
        self._check_editable()

    # ------------------------------------------------------------------ actions
    def action_submit(self):
        for plan in self:
            if plan.state not in PLAN_EDITABLE_STATES:
                raise UserError(
                    _("Only draft or returned work plans can be submitted.")
                )
            if plan.user_id != self.env.user and not self.env.user.has_group(
                "sale_governance.group_sales_manager"
            ):
                raise UserError(_("Only the salesperson of a work plan submits it."))
        self.check_access("write")
        self._sg_protected_write({"state": "submitted"})
        managers = {}
        for plan in self:
            manager = plan.team_id.user_id
            if manager and manager != plan.user_id:
                managers.setdefault(manager, self.browse())
                managers[manager] |= plan
        for manager, plans in managers.items():
            for plan in plans:
                plan.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=_("Review the work plan %(plan)s", plan=plan.name),
                )
        return True

    def _check_reviewer(self):
        if not self.env.user.has_group("sale_governance.group_sales_manager"):
            raise UserError(_("Only a sales manager approves or returns work plans."))
        own = self.filtered(lambda p: p.user_id == self.env.user)
        if own:
            raise UserError(
                _(
                    "You cannot review your own work plan %(plan)s: your superior "
                    "does.",
                    plan=own[0].name,
                )
            )
        if self.filtered(lambda p: p.state != "submitted"):
            raise UserError(_("Only submitted work plans can be approved or returned."))
        self.check_access("write")

    def action_approve(self, comment=False):
        """The superior approves the plan; its planned visits become 'Customer visit'
        activities."""
        self._check_reviewer()
        self._sg_protected_write(
            {
                "state": "approved",
                "review_comment": comment or False,
                "reviewed_by_id": self.env.user.id,
                "reviewed_date": fields.Datetime.now(),
            }
        )
        self.activity_ids.sudo().filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        ).action_feedback(feedback=_("Work plan approved."))
        self.line_ids._schedule_visit_activities()
        return True

    def action_return(self, comment):
        """The superior returns the plan to the salesperson with a comment
        (mandatory)."""
        if not (comment or "").strip():
            raise UserError(
                _("Say why the work plan goes back: the comment is mandatory.")
            )
        self._check_reviewer()
        self._sg_protected_write(
            {
                "state": "returned",
                "review_comment": comment,
                "reviewed_by_id": self.env.user.id,
                "reviewed_date": fields.Datetime.now(),
            }
        )
        for plan in self:
            plan.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=plan.user_id.id,
                summary=_("Work plan returned: %(comment)s", comment=comment[:100]),
            )
        return True

    def action_open_return_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Return Work Plan"),
            "res_model": "sale.governance.work.plan.review",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def action_new_visit_log(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Visit Log"),
            "res_model": "sale.governance.visit.log",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_plan_id": self.id,
                "default_user_id": self.user_id.id,
                "default_visit_kind": "planned",
            },
        }


class SaleGovernanceWorkPlanLine(models.Model):
    _name = "sale.governance.work.plan.line"
    _description = "Planned Action of a Work Plan"
    _order = "date, id"

    plan_id = fields.Many2one(
        "sale.governance.work.plan", required=True, ondelete="cascade", index=True
    )
    line_type = fields.Selection(
        [
            ("visit", "Customer Visit"),
            ("quotation", "Quotation"),
            ("follow_up", "Follow-up"),
        ],
        string="Action",
        required=True,
        default="visit",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    date = fields.Date(required=True)
    purpose = fields.Char()
    activity_id = fields.Many2one(
        "mail.activity", readonly=True, copy=False, ondelete="set null"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)

    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["sale.governance.work.plan"].browse(
            [vals["plan_id"] for vals in vals_list if vals.get("plan_id")]
        )
        plans._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        if "activity_id" in vals and not self.env.su:
            raise UserError(
                _(
                    "The visit activity of a planned action is set by the plan's "
                    "approval."
                )
            )
        if set(vals) - {"activity_id"}:
            self.plan_id._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reviewed(self):
        self.plan_id._check_editable()

    def _schedule_visit_activities(self):
        """One 'Customer visit' activity per planned visit, for the plan's
        salesperson."""
        visit_type = self.env.ref(VISIT_TYPE_XMLID, raise_if_not_found=False)
        lines = self.filtered(
            lambda line: line.line_type == "visit" and not line.activity_id
        )
        if not visit_type or not lines:
            return self.env["mail.activity"]
        partner_model = self.env["ir.model"]._get_id("res.partner")
        activities = (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "res_model_id": partner_model,
                        "res_id": line.partner_id.id,
                        "activity_type_id": visit_type.id,
                        "user_id": line.plan_id.user_id.id,
                        "date_deadline": line.date,
                        "summary": line.purpose
                        or self.env._(
                            "Planned visit (%(plan)s)", plan=line.plan_id.name
                        ),
                    }
                    for line in lines
                ]
            )
        )
        for line, activity in zip(lines, activities, strict=False):
            line.sudo().activity_id = activity
        return activities
