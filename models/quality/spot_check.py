"""Irregular stock spot checks, in principle twice a month (004 第六条: 不定期抽查,
原则上每月抽查两次).

Each month is split into N periods (setting, default 2: the two halves). For each period
the schedule draws one day at random, seeded per company with a secret the users never
see, so the date is reproducible by the server and cannot be guessed from the cron
interval. The daily job creates the checks on that day; nothing is announced before. The
plan rows are the history of planned vs done checks (governance administrators only).
"""

import calendar
import hashlib
import random
from datetime import date, timedelta

from odoo import _, api, fields, models


def period_bounds(year, month, periods):
    """[(first_day, last_day)] of the ``periods`` parts of a month (the last takes the
    rest)."""
    days = calendar.monthrange(year, month)[1]
    periods = max(1, min(periods, days))
    size = days // periods
    bounds = []
    for index in range(periods):
        first = index * size + 1
        last = days if index == periods - 1 else (index + 1) * size
        bounds.append((date(year, month, first), date(year, month, last)))
    return bounds


def draw_dates(seed, year, month, periods):
    """One day at random inside each period of the month, reproducible from ``seed``."""
    result = []
    for index, (first, last) in enumerate(period_bounds(year, month, periods)):
        key = f"{seed}:{year:04d}-{month:02d}:{periods}:{index}".encode()
        rng = random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))
        result.append(first + timedelta(days=rng.randrange((last - first).days + 1)))
    return result


class SaleGovernanceSpotCheckPlan(models.Model):
    _name = "sale.governance.spot.check.plan"
    _description = "Stock Spot Check Plan"
    _order = "planned_date desc, id desc"
    _inherit = ["sale.governance.protected.mixin"]

    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    month = fields.Date(required=True, readonly=True, help="First day of the month.")
    period = fields.Integer(
        readonly=True, help="1 = first half of the month, 2 = second half ..."
    )
    planned_date = fields.Date(required=True, readonly=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("missed", "Missed")],
        default="planned",
        required=True,
        readonly=True,
    )
    date_done = fields.Datetime(readonly=True)
    inspection_ids = fields.Many2many(
        "sale.governance.inspection", string="Spot Checks", readonly=True
    )
    inspection_count = fields.Integer(
        compute="_compute_inspection_count", string="Checks"
    )

    _sql_constraints = [
        (
            "period_unique",
            "unique(company_id, month, period)",
            "A period of a month has one spot-check date per company.",
        ),
    ]

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {
            "company_id",
            "month",
            "period",
            "planned_date",
            "state",
            "date_done",
            "inspection_ids",
        }

    def _compute_inspection_count(self):
        for plan in self:
            plan.inspection_count = len(plan.inspection_ids)

    @api.model
    def _sg_plan_month(self, company, day):
        """The plan rows of ``day``'s month for ``company`` (drawn once, then kept)."""
        month = day.replace(day=1)
        existing = self.sudo().search(
            [("company_id", "=", company.id), ("month", "=", month)]
        )
        if existing:
            return existing
        company = company.sudo()
        company._sg_ensure_spot_check_seed()
        dates = draw_dates(
            company.sg_spot_check_seed,
            month.year,
            month.month,
            company.sg_spot_checks_per_month or 2,
        )
        return self._sg_protected_create(
            [
                {
                    "company_id": company.id,
                    "month": month,
                    "period": index + 1,
                    "planned_date": day_,
                }
                for index, day_ in enumerate(dates)
            ]
        ).sudo()


class SaleGovernanceInspectionSpotCheck(models.Model):
    """Spot checks of stock on hand."""

    _inherit = "sale.governance.inspection"

    SPOT_CHECK_MAX_WEIGHT_DAYS = 180

    @api.model
    def _cron_spot_checks(self, today=None):
        """Daily: on a company's drawn day(s), create its spot checks; earlier plans not
        run (server down that day) are run late, plans of past months left over are
        marked missed."""
        today = today or fields.Date.context_today(self)
        Plan = self.env["sale.governance.spot.check.plan"].sudo()
        for company in self.env["res.company"].sudo().search([]):
            Plan._sg_plan_month(company, today)
            due = Plan.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "planned"),
                    ("planned_date", "<=", today),
                ]
            )
            missed = due.filtered(lambda p: p.month < today.replace(day=1))
            if missed:
                missed._sg_protected_write({"state": "missed"})
            current = due - missed
            if not current:
                continue
            checks = self.with_company(company)._sg_create_spot_checks(
                company, company.sg_spot_check_count
            )
            current._sg_protected_write(
                {
                    "state": "done",
                    "date_done": fields.Datetime.now(),
                    "inspection_ids": [fields.Command.set(checks.ids)],
                }
            )

    @api.model
    def _sg_spot_check_weights(self, products, now=None):
        """Weight of each product: days since its last spot check (capped), never
        checked = cap."""
        now = now or fields.Datetime.now()
        cap = self.SPOT_CHECK_MAX_WEIGHT_DAYS
        last = dict(
            self.sudo()._read_group(
                [("kind", "=", "spot"), ("product_id", "in", products.ids)],
                ["product_id"],
                ["create_date:max"],
            )
        )
        weights = {}
        for product in products:
            checked = last.get(product)
            days = (now - checked).days if checked else cap
            weights[product] = 1.0 + min(max(days, 0), cap)
        return weights

    @api.model
    def _sg_pick_weighted(self, weights, count, rng):
        """``count`` distinct keys drawn at random, with probability growing with their
        weight (Efraimidis-Spirakis: the largest u ** (1 / w))."""
        keyed = sorted(
            (
                (rng.random() ** (1.0 / weight), product.id, product)
                for product, weight in weights.items()
            ),
            reverse=True,
        )
        return [product for _key, _id, product in keyed[: max(count, 0)]]

    @api.model
    def _sg_create_spot_checks(self, company, count, rng=None):
        """Pick products with stock on hand (one read of the quants), weighted towards
        those not checked recently, and create one spot check per product and stock
        location."""
        rng = rng or random.SystemRandom()
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("location_id.usage", "=", "internal"),
                    ("location_id.sg_is_quarantine", "=", False),
                    ("location_id.sg_is_awaiting", "=", False),
                    ("quantity", ">", 0),
                ],
                ["product_id", "location_id"],
                ["quantity:sum"],
            )
        )
        stock = {}
        for product, location, quantity in groups:
            stock.setdefault(product, []).append((location, quantity))
        if not stock:
            return self.browse()
        open_checks = self.sudo()._read_group(
            [
                ("kind", "=", "spot"),
                ("state", "=", "todo"),
                ("company_id", "=", company.id),
            ],
            ["product_id"],
        )
        for (product,) in open_checks:
            stock.pop(product, None)
        products = self.env["product.product"].browse([p.id for p in stock])
        weights = self._sg_spot_check_weights(products)
        chosen = self._sg_pick_weighted(weights, count, rng)
        chosen_products = self.env["product.product"].browse([p.id for p in chosen])
        chosen_products.fetch(["product_tmpl_id", "uom_id"])
        chosen_products.product_tmpl_id.fetch(
            [
                "categ_id",
                "sg_inspection_template_id",
                "sg_sample_mode",
                "sg_sample_size",
            ]
        )
        vals_list = []
        for product in chosen:
            template = product.product_tmpl_id._sg_inspection_template(company)
            lines = template._sg_inspection_line_commands()
            for location, quantity in stock[product]:
                vals_list.append(
                    {
                        "kind": "spot",
                        "company_id": company.id,
                        "product_id": product.id,
                        "location_id": location.id,
                        "quantity": quantity,
                        "sample_size": self._sample_size_for(product, quantity),
                        "template_id": template.id,
                        "line_ids": lines,
                    }
                )
        inspections = self._sg_protected_create(vals_list).sudo()
        inspections._sg_schedule_spot_check_activities()
        return inspections

    def _sg_schedule_spot_check_activities(self):
        activity_type = self.env.ref(
            "sale_governance.mail_activity_type_inspection", raise_if_not_found=False
        )
        # The policy (004 第六条): the joint quality inspection group checks; the
        # inspectors and every member of the group get the day's to-do.
        groups = self.env.ref("sale_governance.group_quality_inspector") | self.env.ref(
            "sale_governance.group_quality_joint_member"
        )
        inspectors = groups.sudo().users.filtered(lambda u: not u.share)
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": inspection.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": _(
                    "Spot check of %(product)s",
                    product=inspection.product_id.display_name,
                ),
                "user_id": user.id,
                "date_deadline": fields.Date.context_today(self),
            }
            for inspection in self
            for user in inspectors.filtered(
                lambda u, i=inspection: i.company_id in u.company_ids
            )
        ]
        if vals_list:
            self.env["mail.activity"].sudo().with_context(
                mail_activity_quick_update=True
            ).create(vals_list)
