from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_figures import add_months, month_start

TARGET_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
]
# what an approved (or submitted) target freezes
TARGET_FROZEN_FIELDS = {
    "target_type",
    "user_id",
    "team_id",
    "month",
    "company_id",
    "amount_sales",
    "amount_invoiced",
    "amount_collected",
}


class SaleGovernanceSalesTarget(models.Model):
    """A monthly sales target (销售指标) of a salesperson or a sales team."""

    _name = "sale.governance.sales.target"
    _inherit = ["sale.governance.protected.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Sales Target"
    _order = "month desc, team_id, target_type desc, user_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    target_type = fields.Selection(
        [("user", "Salesperson"), ("team", "Sales Team")],
        string="Target Of",
        required=True,
        default="user",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    month = fields.Date(
        required=True,
        index=True,
        default=lambda self: month_start(fields.Date.context_today(self)),
        tracking=True,
        help="The target's month (any day of it; stored as the first day).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_sales = fields.Monetary(
        string="Sales Target",
        required=True,
        tracking=True,
        help="Untaxed amount of confirmed orders to reach in the month, in company "
        "currency.",
    )
    amount_invoiced = fields.Monetary(string="Invoicing Target", tracking=True)
    amount_collected = fields.Monetary(string="Collection Target", tracking=True)
    state = fields.Selection(
        TARGET_STATES, default="draft", required=True, tracking=True, copy=False
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    approved_date = fields.Datetime(readonly=True, copy=False)
    note = fields.Text()

    # --- the team's split across its salespeople ---
    split_amount = fields.Monetary(
        string="Split to Salespeople",
        compute="_compute_split",
        help="Sum of the salesperson targets of this team and month.",
    )
    split_difference = fields.Monetary(
        compute="_compute_split",
        help="Team target minus the sum of its salesperson targets: zero when the "
        "split adds up.",
    )

    # --- achievement, live from confirmed governed orders, invoices and payments ---
    actual_sales = fields.Monetary(
        string="Confirmed Sales", compute="_compute_achievement"
    )
    actual_invoiced = fields.Monetary(string="Invoiced", compute="_compute_achievement")
    actual_collected = fields.Monetary(
        string="Collected", compute="_compute_achievement"
    )
    achievement_pct = fields.Float(
        string="Achievement (%)", compute="_compute_achievement"
    )
    invoiced_pct = fields.Float(
        string="Invoicing Achievement (%)", compute="_compute_achievement"
    )
    collected_pct = fields.Float(
        string="Collection Achievement (%)", compute="_compute_achievement"
    )
    last_month_sales = fields.Monetary(
        string="Sales Last Month", compute="_compute_achievement"
    )
    last_year_sales = fields.Monetary(
        string="Sales Same Month Last Year", compute="_compute_achievement"
    )
    growth_month_pct = fields.Float(
        string="Growth vs Last Month (%)", compute="_compute_achievement"
    )
    growth_year_pct = fields.Float(
        string="Growth vs Last Year (%)", compute="_compute_achievement"
    )

    # --- stored copy of the achievement for pivot and graph (refreshed by the hourly
    # job) ---
    stat_actual_sales = fields.Monetary(
        string="Confirmed Sales (last refresh)", readonly=True
    )
    stat_achievement_pct = fields.Float(
        string="Achievement % (last refresh)", readonly=True, aggregator="avg"
    )
    stat_refresh_date = fields.Datetime(string="Figures Refreshed On", readonly=True)

    # ------------------------------------------------------------------ computes
    @api.depends("target_type", "user_id", "team_id", "month")
    def _compute_name(self):
        for target in self:
            who = (
                target.user_id.name
                if target.target_type == "user"
                else target.team_id.name
            )
            target.name = "%s %s" % (
                target.month.strftime("%Y-%m") if target.month else "",
                who or "",
            )

    @api.depends("amount_sales", "team_id", "month", "target_type")
    def _compute_split(self):
        teams = self.filtered(
            lambda t: t.target_type == "team" and t.team_id and t.month
        )
        sums = {}
        if teams:
            for team, month, company, amount in self.sudo()._read_group(
                [
                    ("target_type", "=", "user"),
                    ("team_id", "in", teams.team_id.ids),
                    ("month", "in", list(set(teams.mapped("month")))),
                ],
                ["team_id", "month:day", "company_id"],
                ["amount_sales:sum"],
            ):
                sums[(team.id, month, company.id)] = amount
        for target in self:
            if target in teams:
                split = sums.get(
                    (target.team_id.id, target.month, target.company_id.id), 0.0
                )
                target.split_amount = split
                target.split_difference = target.amount_sales - split
            else:
                target.split_amount = target.split_difference = 0.0

    def _compute_achievement(self):
        """Bounded: three queries per company for any number of targets and months."""
        Figures = self.env["sale.governance.sales.figures"].sudo()
        values = {}
        for company in self.company_id:
            targets = self.filtered(lambda t, c=company: t.company_id == c and t.month)
            if not targets:
                continue
            months = set(targets.mapped("month"))
            date_from = add_months(min(months), -12)
            date_to = add_months(max(months), 1)
            keys = ("user", "team")
            sales = Figures._confirmed_sales(
                company, date_from, date_to, keys, by_month=True
            )
            first = min(months)
            invoiced = Figures._invoiced(company, first, date_to, keys, by_month=True)
            collected = Figures._collected(company, first, date_to, keys, by_month=True)
            for target in targets:
                values[target.id] = target._achievement_from(sales, invoiced, collected)
        empty = dict.fromkeys(
            [
                "actual_sales",
                "actual_invoiced",
                "actual_collected",
                "achievement_pct",
                "invoiced_pct",
                "collected_pct",
                "last_month_sales",
                "last_year_sales",
                "growth_month_pct",
                "growth_year_pct",
            ],
            0.0,
        )
        for target in self:
            target.update(values.get(target.id, empty))

    def _achievement_from(self, sales, invoiced, collected):
        """This target's figures out of the grouped results
        ``{(user, team, month): amount}``."""
        self.ensure_one()

        def total(figures, month):
            if self.target_type == "user":
                return sum(
                    v
                    for (u, _t, m), v in figures.items()
                    if u == self.user_id.id and m == month
                )
            return sum(
                v
                for (_u, t, m), v in figures.items()
                if t == self.team_id.id and m == month
            )

        def pct(actual, reference):
            return 100.0 * actual / reference if reference else 0.0

        def growth(actual, before):
            return 100.0 * (actual - before) / before if before else 0.0

        actual = total(sales, self.month)
        last_month = total(sales, add_months(self.month, -1))
        last_year = total(sales, add_months(self.month, -12))
        actual_invoiced = total(invoiced, self.month)
        actual_collected = total(collected, self.month)
        return {
            "actual_sales": actual,
            "actual_invoiced": actual_invoiced,
            "actual_collected": actual_collected,
            "achievement_pct": pct(actual, self.amount_sales),
            "invoiced_pct": pct(actual_invoiced, self.amount_invoiced),
            "collected_pct": pct(actual_collected, self.amount_collected),
            "last_month_sales": last_month,
            "last_year_sales": last_year,
            "growth_month_pct": growth(actual, last_month),
            "growth_year_pct": growth(actual, last_year),
        }

    # ------------------------------------------------------------------ constraints
    @api.constrains("target_type", "user_id", "team_id", "month", "company_id")
    def _check_unique_target(self):
        for target in self:
            if target.target_type == "user" and not target.user_id:
                raise ValidationError(_("A salesperson target needs a salesperson."))
        counts = self.sudo()._read_group(
            [
                ("month", "in", list(set(self.mapped("month")))),
                ("team_id", "in", self.team_id.ids),
            ],
            ["company_id", "month:day", "target_type", "team_id", "user_id"],
            ["__count"],
        )
        for _company, month, target_type, team, user, count in counts:
            if count > 1:
                who = user.name if target_type == "user" else team.name
                raise ValidationError(
                    _(
                        "%(who)s already has a target for %(month)s in %(team)s. Edit "
                        "that target instead of creating a second one.",
                        who=who,
                        month=month.strftime("%Y-%m"),
                        team=team.name,
                    )
                )

    @api.constrains("amount_sales", "amount_invoiced", "amount_collected")
    def _check_amounts(self):
        for target in self:
            if (
                min(
                    target.amount_sales, target.amount_invoiced, target.amount_collected
                )
                < 0
            ):
                raise ValidationError(_("Target amounts cannot be negative."))

    # ------------------------------------------------------------------ CRUD
    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {
            "state",
            "submitted_by_id",
            "approved_by_id",
            "approved_date",
            "stat_actual_sales",
            "stat_achievement_pct",
            "stat_refresh_date",
        }

    @api.model
    def _normalize_vals(self, vals):
        if vals.get("month"):
            vals["month"] = month_start(fields.Date.to_date(vals["month"]))
        if vals.get("target_type") == "team":
            vals["user_id"] = False
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_vals(dict(vals)) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        vals = self._normalize_vals(dict(vals))
        if not self._sg_is_internal_write() and TARGET_FROZEN_FIELDS.intersection(vals):
            frozen = self.filtered(lambda t: t.state != "draft")
            if frozen:
                raise UserError(
                    _(
                        "Target %(target)s is %(state)s: its amounts, month and owner "
                        "can no longer change. The executive in charge may reset it "
                        "to draft first.",
                        target=frozen[0].name,
                        state=dict(TARGET_STATES)[frozen[0].state].lower(),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(
            lambda t: t.state == "approved"
        ) and not self.env.user.has_group("sale_governance.group_executive"):
            raise UserError(
                _("Approved targets can only be deleted by the executive in charge.")
            )

    # ------------------------------------------------------------------ actions
    def _check_manager(self):
        if not self.env.user.has_group("sale_governance.group_sales_manager"):
            raise UserError(
                _(
                    "Only a sales manager submits targets; ask the manager of your "
                    "sales team."
                )
            )

    def _check_executive(self):
        if not self.env.user.has_group("sale_governance.group_executive"):
            raise UserError(
                _(
                    "Only the executive in charge (level 3) approves or reopens sales "
                    "targets."
                )
            )
        own = self.filtered(lambda t: t.user_id == self.env.user)
        if own:
            raise UserError(
                _(
                    "You cannot decide your own target %(target)s: another executive "
                    "must.",
                    target=own[0].name,
                )
            )

    def action_submit(self):
        self._check_manager()
        if self.filtered(lambda t: t.state != "draft"):
            raise UserError(_("Only draft targets can be submitted."))
        self.check_access("write")
        self._sg_protected_write(
            {"state": "submitted", "submitted_by_id": self.env.user.id}
        )
        return True

    def action_approve(self):
        self._check_executive()
        if self.filtered(lambda t: t.state != "submitted"):
            raise UserError(
                _("Only submitted targets can be approved; submit it first.")
            )
        self.check_access("write")
        self._sg_protected_write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_reset_draft(self):
        if self.filtered(lambda t: t.state == "approved"):
            self._check_executive()
        else:
            self._check_manager()
        self.check_access("write")
        self._sg_protected_write(
            {
                "state": "draft",
                "approved_by_id": False,
                "approved_date": False,
                "submitted_by_id": False,
            }
        )
        return True

    def action_refresh_figures(self):
        """Copy the live achievement into the stored figures of the pivot and graph."""
        self.check_access("read")
        now = fields.Datetime.now()
        by_values = defaultdict(list)
        for target in self:
            by_values[
                (round(target.actual_sales, 2), round(target.achievement_pct, 2))
            ].append(target.id)
        for (sales, pct), ids in by_values.items():
            self.browse(ids)._sg_protected_write(
                {
                    "stat_actual_sales": sales,
                    "stat_achievement_pct": pct,
                    "stat_refresh_date": now,
                }
            )
        return True

    @api.model
    def _cron_refresh_figures(self):
        """Hourly: refresh the stored figures of the targets of the last 13 months."""
        since = add_months(fields.Date.context_today(self), -13)
        self.search([("month", ">=", since)]).action_refresh_figures()

    # ------------------------------------------------------------------ growth rule
    @api.model
    def _propose_targets(self, team, base_month, growth_pct):
        """Draft targets for the month after ``base_month``: its actual sales × (1 +
        growth).

        One target for the team and one for each salesperson of the team (members and
        whoever sold in the team that month). Existing draft targets of that month are
        updated; submitted or approved ones are left alone. Returns the targets
        proposed.
        """
        company = team.company_id or self.env.company
        base_month = month_start(base_month)
        next_month = add_months(base_month, 1)
        Figures = self.env["sale.governance.sales.figures"].sudo()
        sales = Figures._confirmed_sales(
            company,
            base_month,
            next_month,
            ("user",),
            extra_domain=[("team_id", "=", team.id)],
        )
        factor = 1.0 + growth_pct / 100.0
        users = (
            team.member_ids
            | team.user_id
            | self.env["res.users"].browse([u for (u,) in sales if u])
        )
        wanted = {("team", False): sum(sales.values()) * factor}
        for user in users:
            wanted[("user", user.id)] = sales.get((user.id,), 0.0) * factor
        existing = self.search(
            [
                ("team_id", "=", team.id),
                ("month", "=", next_month),
                ("company_id", "=", company.id),
            ]
        )
        by_key = {(t.target_type, t.user_id.id or False): t for t in existing}
        proposed = self.browse()
        to_create = []
        for (target_type, user_id), amount in wanted.items():
            amount = company.currency_id.round(amount)
            target = by_key.get((target_type, user_id))
            if target and target.state == "draft":
                target.amount_sales = amount
                proposed |= target
            elif not target:
                to_create.append(
                    {
                        "target_type": target_type,
                        "user_id": user_id,
                        "team_id": team.id,
                        "month": next_month,
                        "company_id": company.id,
                        "amount_sales": amount,
                    }
                )
        return proposed | self.create(to_create)
