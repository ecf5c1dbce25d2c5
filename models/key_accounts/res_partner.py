from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .tier_policy import QUADRANTS, QUADRANTS_ALL

# Results of the recomputation: company-dependent (each company scores its own sales).
KA_COMPUTED_FIELDS = (
    "ka_orders_12m",
    "ka_orders_prev_12m",
    "ka_growth_pct",
    "ka_invoiced_12m",
    "ka_first_order_date",
    "ka_years",
    "ka_potential_score",
    "ka_growth_score",
    "ka_outlook_score",
    "ka_share_score",
    "ka_loyalty_score",
    "ka_attract_score",
    "ka_position_score",
    "ka_computed_quadrant",
    "ka_quadrant",
    "ka_score_date",
)
KA_OVERRIDE_FIELDS = ("ka_quadrant_override", "ka_override_reason")
OUTLOOK_SCORES = {"limited": 0.0, "moderate": 50.0, "many": 100.0}


class ResPartner(models.Model):
    _name = "res.partner"
    # Scores, quadrant and override change only through the recomputation and the
    # manager's override actions (governance's protected-workflow mixin), whatever the
    # context says.
    _inherit = ["res.partner", "sale.governance.protected.mixin"]

    # --- profile (policy: customer files of key accounts) ---
    ka_company_nature = fields.Selection(
        [
            ("state_owned", "State-owned"),
            ("private", "Private"),
            ("foreign", "Foreign-invested"),
            ("joint_venture", "Joint Venture"),
            ("public", "Public Institution"),
            ("other", "Other"),
        ],
        string="Company Nature",
    )
    ka_target_market = fields.Char(string="Target Market")
    ka_consumer_group = fields.Char(string="Consumer Group")
    ka_strategy = fields.Text(string="Customer Strategy")
    ka_credit_days = fields.Integer(string="Credit Period (days)")
    ka_discount = fields.Float(string="Discount (%)", digits="Discount")
    ka_other_terms = fields.Text(string="Other Trade Terms")
    ka_potential = fields.Float(
        string="Annual Purchase Potential",
        company_dependent=True,
        digits="Account",
        help="The salesperson's estimate of what this customer buys per year of our "
        "kind of products, from everybody, in the company's currency.",
    )
    ka_outlook = fields.Selection(
        [("limited", "Limited"), ("moderate", "Moderate"), ("many", "Many")],
        string="Future Business Opportunities",
        default="moderate",
        tracking=True,
        help="The salesperson's judgement of the business opportunities this customer "
        "will bring: limited (0), moderate (50) or many (100) points of the "
        "opportunities score.",
    )
    ka_last_visit_date = fields.Date(
        string="Last Visit",
        tracking=True,
        help="Date of the last completed customer visit; marking a 'Customer visit' "
        "activity as done sets it.",
    )

    # --- results of the recomputation (company-dependent, read-only) ---
    ka_orders_12m = fields.Float(
        string="Confirmed Orders (12 months)",
        company_dependent=True,
        readonly=True,
        digits="Account",
    )
    ka_orders_prev_12m = fields.Float(
        string="Confirmed Orders (12 months before)",
        company_dependent=True,
        readonly=True,
        digits="Account",
    )
    ka_growth_pct = fields.Float(
        string="Order Growth (%)", company_dependent=True, readonly=True
    )
    ka_invoiced_12m = fields.Float(
        string="Invoiced Sales (12 months)",
        company_dependent=True,
        readonly=True,
        digits="Account",
        help="Posted customer invoices minus credit notes of the last 12 months, "
        "untaxed, in the company's currency.",
    )
    ka_first_order_date = fields.Date(
        string="Customer Since", company_dependent=True, readonly=True
    )
    ka_years = fields.Float(
        string="Years as Customer",
        company_dependent=True,
        readonly=True,
        digits=(16, 1),
    )
    ka_potential_score = fields.Float(
        string="Potential Score", company_dependent=True, readonly=True, digits=(16, 1)
    )
    ka_growth_score = fields.Float(
        string="Growth Score", company_dependent=True, readonly=True, digits=(16, 1)
    )
    ka_outlook_score = fields.Float(
        string="Opportunities Score",
        company_dependent=True,
        readonly=True,
        digits=(16, 1),
    )
    ka_share_score = fields.Float(
        string="Share Score", company_dependent=True, readonly=True, digits=(16, 1)
    )
    ka_loyalty_score = fields.Float(
        string="Relationship Score",
        company_dependent=True,
        readonly=True,
        digits=(16, 1),
    )
    ka_attract_score = fields.Float(
        string="Attractiveness",
        company_dependent=True,
        readonly=True,
        digits=(16, 1),
        help="0-100: how much business the customer can bring (potential, order "
        "growth, future opportunities), weighted as set in the settings.",
    )
    ka_position_score = fields.Float(
        string="Our Position",
        company_dependent=True,
        readonly=True,
        digits=(16, 1),
        help="0-100: our share of the customer's potential and how long they have "
        "bought from us, weighted as set in the settings.",
    )
    ka_computed_quadrant = fields.Selection(
        QUADRANTS_ALL, string="Computed Quadrant", company_dependent=True, readonly=True
    )
    ka_quadrant = fields.Selection(
        QUADRANTS_ALL,
        string="KA Quadrant",
        company_dependent=True,
        readonly=True,
        group_expand="_sg_group_expand_ka_quadrant",
        help="Key-account quadrant: the manager's override if any, else the computed "
        "quadrant. Contacts of a company share its quadrant.",
    )
    ka_score_date = fields.Datetime(
        string="Scored On", company_dependent=True, readonly=True
    )
    ka_quadrant_override = fields.Selection(
        QUADRANTS, string="Overridden Quadrant", company_dependent=True, readonly=True
    )
    ka_override_reason = fields.Char(
        string="Override Reason", company_dependent=True, readonly=True
    )

    # --- what the form shows to explain the quadrant ---
    ka_attract_threshold = fields.Float(
        string="Attractiveness Threshold", compute="_compute_ka_thresholds"
    )
    ka_position_threshold = fields.Float(
        string="Position Threshold", compute="_compute_ka_thresholds"
    )
    # The tier policies are the sales team's: people outside it (finance, warehouse,
    # quality, gate) open customers without these fields rather than meet an access
    # error.
    ka_tier_policy_id = fields.Many2one(
        "sale.governance.tier.policy",
        string="Tier Policy",
        compute="_compute_ka_tier_policy_id",
        groups="sales_team.group_sale_salesman",
    )
    ka_visit_guidance = fields.Text(
        string="Visit Guidance",
        compute="_compute_ka_tier_policy_id",
        groups="sales_team.group_sale_salesman",
    )
    ka_promotion_type_ids = fields.Many2many(
        "sale.governance.promotion.type",
        string="Recommended Promotions",
        compute="_compute_ka_tier_policy_id",
        groups="sales_team.group_sale_salesman",
    )

    @api.model
    def _sg_group_expand_ka_quadrant(self, values, domain):
        """Every quadrant is a column, in the order of the matrix, even when empty."""
        return [key for key, _label in QUADRANTS_ALL]

    @api.depends_context("company")
    def _compute_ka_thresholds(self):
        company = self.env.company
        for partner in self:
            partner.ka_attract_threshold = company.ka_attract_threshold
            partner.ka_position_threshold = company.ka_position_threshold

    @api.depends("ka_quadrant")
    @api.depends_context("company")
    def _compute_ka_tier_policy_id(self):
        policies = self.env["sale.governance.tier.policy"]._by_quadrant(
            self.env.company
        )
        for partner in self:
            policy = policies.get(partner.ka_quadrant)
            partner.ka_tier_policy_id = policy or False
            partner.ka_visit_guidance = policy.visit_guidance if policy else False
            partner.ka_promotion_type_ids = (
                policy.promotion_type_ids if policy else False
            )

    @api.constrains("ka_potential", "ka_credit_days", "ka_discount")
    def _check_ka_profile(self):
        for partner in self:
            if partner.ka_potential < 0:
                raise ValidationError(
                    _(
                        "%(partner)s: the annual purchase potential cannot be "
                        "negative; enter 0 when you do not know it.",
                        partner=partner.display_name,
                    )
                )
            if partner.ka_credit_days < 0:
                raise ValidationError(
                    _(
                        "%(partner)s: the credit period cannot be negative; enter 0 "
                        "for cash customers.",
                        partner=partner.display_name,
                    )
                )
            if not 0 <= partner.ka_discount <= 100:
                raise ValidationError(
                    _(
                        "%(partner)s: the discount must be between 0 and 100%%.",
                        partner=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # contacts created under a classified company share its quadrant
        children = partners.filtered(
            lambda p: p.parent_id.commercial_partner_id.ka_quadrant
        )
        for parent, contacts in children.grouped("parent_id").items():
            contacts._sg_protected_write(
                {"ka_quadrant": parent.commercial_partner_id.ka_quadrant}
            )
        return partners

    def _sg_protected_fields(self):
        return (
            super()._sg_protected_fields()
            | set(KA_COMPUTED_FIELDS)
            | set(KA_OVERRIDE_FIELDS)
        )

    def _sg_protected_create_allowed(self, field_name, value):
        # creating a partner with empty scores (imports, copies) changes nothing
        return not value or super()._sg_protected_create_allowed(field_name, value)

    def _sg_refuse_protected(self, field_names):
        if set(KA_OVERRIDE_FIELDS) & set(field_names):
            if not self.env.user.has_group("sale_governance.group_sales_manager"):
                raise AccessError(
                    _("Only sales managers may override a key-account quadrant.")
                )
            raise UserError(
                _(
                    "Override a key-account quadrant with the 'Override Quadrant' "
                    "button of the customer, which asks for the reason and logs it."
                )
            )
        raise UserError(
            _(
                "Key-account scores and quadrants are computed from the sales data; "
                "change the customer's potential or judgement and recompute, or "
                "override the quadrant."
            )
        )

    # ----------------------------------------------------------------------------------
    # Actions
    # ----------------------------------------------------------------------------------
    def action_ka_recompute(self):
        """Recompute the key-account scores of the selected customers (and of their
        companies)."""
        self.check_access("read")
        self.mapped("commercial_partner_id")._sg_ka_recompute()
        return True

    def action_ka_open_override(self):
        self.ensure_one()
        self._sg_ka_check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": _("Override Quadrant"),
            "res_model": "sale.governance.tier.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.mapped("commercial_partner_id").id},
        }

    def action_ka_clear_override(self):
        """Clear the manager's override: the partner goes back to its computed
        quadrant."""
        self._sg_ka_check_manager()
        partners = self.mapped("commercial_partner_id").filtered("ka_quadrant_override")
        for partner in partners:
            old = partner.ka_quadrant
            new = partner.ka_computed_quadrant or "unclassified"
            # authorised above (sales manager); salespeople need not have write access
            # to contacts
            partner._sg_ka_members()._sg_protected_write(
                {
                    "ka_quadrant_override": False,
                    "ka_override_reason": False,
                    "ka_quadrant": new,
                }
            )
            partner._sg_ka_log_change(
                old, new, _("Override cleared by %(user)s.", user=self.env.user.name)
            )
        return True

    @api.model
    def _sg_ka_customer_domain(self):
        """Key accounts are customers: no contact persons, internal users or the
        companies' own partners; a customer has bought or has a salesperson. (The Key
        Accounts action carries the same domain.)"""
        return [
            ("parent_id", "=", False),
            ("partner_share", "=", True),
            ("ref_company_ids", "=", False),
            "|",
            ("customer_rank", ">", 0),
            ("user_id", "!=", False),
        ]

    @api.model
    def ka_matrix_data(self, domain=None, limit=2000):
        """What the KA matrix view draws: the classified customers the user can read
        (within ``domain``), their position in the matrix and the current company's
        thresholds."""
        base = self._sg_ka_customer_domain() + [
            ("ka_quadrant", "in", [key for key, _l in QUADRANTS])
        ]
        partners = self.search(expression.AND([base, domain or []]), limit=limit)
        return self._sg_ka_matrix_points(partners, self.env.company)

    @api.model
    def _sg_ka_matrix_points(self, partners, company):
        """Geometry shared by the matrix view and the KA Matrix PDF (no query per
        partner)."""
        partners = partners.with_company(company)
        partners.fetch(
            [
                "name",
                "ka_attract_score",
                "ka_position_score",
                "ka_invoiced_12m",
                "ka_quadrant",
            ]
        )
        largest = max([p.ka_invoiced_12m for p in partners] + [0.0])
        labels = dict(self._fields["ka_quadrant"]._description_selection(self.env))
        points = []
        for partner in partners:
            invoiced = max(partner.ka_invoiced_12m, 0.0)
            points.append(
                {
                    "id": partner.id,
                    "name": partner.name or "",
                    "attract": round(partner.ka_attract_score, 1),
                    "position": round(partner.ka_position_score, 1),
                    "invoiced": invoiced,
                    "quadrant": partner.ka_quadrant,
                    "quadrant_label": labels.get(partner.ka_quadrant, ""),
                    # radius 4..18 px, area proportional to the invoiced sales of 12
                    # months
                    "radius": round(4 + 14 * (invoiced / largest) ** 0.5, 1)
                    if largest
                    else 4,
                }
            )
        return {
            "attract_threshold": company.ka_attract_threshold,
            "position_threshold": company.ka_position_threshold,
            "currency": company.currency_id.name,
            "labels": {key: labels.get(key, key) for key, _label in QUADRANTS},
            "points": points,
        }

    @api.model
    def _sg_ka_matrix_svg(self, partners, company, size=560):
        """The matrix as an SVG picture (KA Matrix PDF): the same picture as the matrix
        view."""
        data = self._sg_ka_matrix_points(partners, company)
        margin = 40
        inner = size - 2 * margin
        tx = data["position_threshold"]
        ty = data["attract_threshold"]

        def x(score):
            return margin + inner * score / 100.0

        def y(score):
            return margin + inner * (100.0 - score) / 100.0

        quadrants = [
            # key, x0, x1 (position), y0, y1 (attractiveness), colour
            ("question", 0, tx, ty, 100, "#d6eaf8"),
            ("star", tx, 100, ty, 100, "#d5f5e3"),
            ("dog", 0, tx, 0, ty, "#fadbd8"),
            ("cash_cow", tx, 100, 0, ty, "#fdebd0"),
        ]
        dot_colours = {
            "star": "#1e8449",
            "question": "#2471a3",
            "cash_cow": "#ca6f1e",
            "dog": "#b03a2e",
        }
        parts = [
            Markup(
                '<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" '
                'viewBox="0 0 %s %s" class="o_ka_matrix_svg" font-family="sans-serif">'
            )
            % (size, size, size, size)
        ]
        for key, x0, x1, y0, y1, colour in quadrants:
            parts.append(
                Markup(
                    '<rect data-quadrant="%s" x="%.1f" y="%.1f" width="%.1f" '
                    'height="%.1f" fill="%s"/>'
                )
                % (key, x(x0), y(y1), x(x1) - x(x0), y(y0) - y(y1), colour)
            )
            parts.append(
                Markup(
                    '<text x="%.1f" y="%.1f" font-size="14" font-weight="bold" '
                    'fill="#555" text-anchor="middle">%s</text>'
                )
                % ((x(x0) + x(x1)) / 2, y(y1) + 18, data["labels"][key])
            )
        parts.append(
            Markup(
                '<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#999"/>'
            )
            % (margin, margin, inner, inner)
        )
        parts.append(
            Markup(
                '<line class="o_ka_threshold" x1="%.1f" y1="%s" x2="%.1f" y2="%s" '
                'stroke="#333" stroke-dasharray="6,4"/>'
            )
            % (x(tx), margin, x(tx), margin + inner)
        )
        parts.append(
            Markup(
                '<line class="o_ka_threshold" x1="%s" y1="%.1f" x2="%s" y2="%.1f" '
                'stroke="#333" stroke-dasharray="6,4"/>'
            )
            % (margin, y(ty), margin + inner, y(ty))
        )
        for point in sorted(data["points"], key=lambda p: -p["radius"]):
            parts.append(
                Markup(
                    '<circle data-partner-id="%s" cx="%.1f" cy="%.1f" r="%s" '
                    'fill="%s" fill-opacity="0.75" '
                    'stroke="#fff"><title>%s</title></circle>'
                )
                % (
                    point["id"],
                    x(point["position"]),
                    y(point["attract"]),
                    point["radius"],
                    dot_colours.get(point["quadrant"], "#777"),
                    "%s (%s / %s)"
                    % (point["name"], point["attract"], point["position"]),
                )
            )
            parts.append(
                Markup('<text x="%.1f" y="%.1f" font-size="9" fill="#333">%s</text>')
                % (
                    x(point["position"]) + point["radius"] + 2,
                    y(point["attract"]) + 3,
                    point["name"][:24],
                )
            )
        parts.append(
            Markup(
                '<text x="%.1f" y="%s" font-size="12" text-anchor="middle" '
                'fill="#333">%s →</text>'
            )
            % (margin + inner / 2, size - 10, _("Our position"))
        )
        parts.append(
            Markup(
                '<text x="14" y="%.1f" font-size="12" text-anchor="middle" fill="#333" '
                'transform="rotate(-90 14 %.1f)">%s →</text>'
            )
            % (margin + inner / 2, margin + inner / 2, _("Attractiveness"))
        )
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)

    # ----------------------------------------------------------------------------------
    # Business methods
    # ----------------------------------------------------------------------------------
    def _sg_ka_check_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "sale_governance.group_sales_manager"
        ):
            raise AccessError(
                _("Only sales managers may override a key-account quadrant.")
            )

    def _sg_ka_members(self):
        """The commercial partners of ``self`` and their contacts."""
        return (
            self.with_context(active_test=False)
            .search([("commercial_partner_id", "in", self.ids)])
            .with_context(active_test=self.env.context.get("active_test", True))
        )

    def _sg_ka_set_override(self, quadrant, reason):
        """Force the quadrant of the commercial partners of ``self``; survives
        recomputation."""
        self._sg_ka_check_manager()
        if quadrant not in dict(QUADRANTS):
            raise UserError(_("Choose the quadrant the customer belongs to."))
        if not (reason or "").strip():
            raise UserError(
                _(
                    "Give the reason of the override: it is kept with the customer "
                    "and logged."
                )
            )
        for partner in self.mapped("commercial_partner_id"):
            old = partner.ka_quadrant
            # authorised above (sales manager); salespeople need not have write access
            # to contacts
            partner._sg_ka_members()._sg_protected_write(
                {
                    "ka_quadrant_override": quadrant,
                    "ka_override_reason": reason.strip(),
                    "ka_quadrant": quadrant,
                }
            )
            partner._sg_ka_log_change(
                old,
                quadrant,
                _(
                    "Overridden by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
            )

    def _sg_ka_quadrant_label(self, quadrant):
        return dict(self._fields["ka_quadrant"]._description_selection(self.env)).get(
            quadrant, _("Not Classified")
        )

    def _sg_ka_change_body(self, old, new, why):
        return _(
            "Key-account quadrant (%(company)s): %(old)s → %(new)s. %(why)s",
            company=self.env.company.name,
            old=self._sg_ka_quadrant_label(old) if old else _("none"),
            new=self._sg_ka_quadrant_label(new),
            why=why,
        )

    def _sg_ka_log_change(self, old, new, why):
        self.ensure_one()
        if old != new:
            self._message_log(body=self._sg_ka_change_body(old, new, why))

    @api.model
    def _sg_ka_quadrant_from_scores(self, attract, position, company):
        attractive = attract >= company.ka_attract_threshold
        strong = position >= company.ka_position_threshold
        if attractive:
            return "star" if strong else "question"
        return "cash_cow" if strong else "dog"

    def _sg_ka_sales_figures(self, company, today, all_partners):
        """Sales figures of ``company`` per commercial partner id, in bounded queries.

        :return: dict {commercial partner id: {'first': date, 'orders_12m',
                 'orders_prev_12m',
            'invoiced_12m'}}
        """
        figures = defaultdict(
            lambda: {
                "first": False,
                "orders_12m": 0.0,
                "orders_prev_12m": 0.0,
                "invoiced_12m": 0.0,
            }
        )
        start_12 = datetime.combine(today - relativedelta(years=1), time.min)
        start_24 = datetime.combine(today - relativedelta(years=2), time.min)
        order_domain = [("company_id", "=", company.id), ("state", "=", "sale")]
        move_domain = [
            ("company_id", "=", company.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("invoice_date", ">=", today - relativedelta(years=1)),
            ("invoice_date", "<=", today),
        ]
        if not all_partners:
            order_domain.append(("partner_id.commercial_partner_id", "in", self.ids))
            move_domain.append(("commercial_partner_id", "in", self.ids))
        # aggregated reads over everybody's orders: the scores must not depend on who
        # runs them
        orders = self.env["sale.order"].sudo()
        first_dates = orders._read_group(
            order_domain, ["partner_id"], ["date_order:min"]
        )
        recent = orders._read_group(
            order_domain + [("date_order", ">=", start_12)],
            ["partner_id", "currency_id"],
            ["amount_untaxed:sum"],
        )
        previous = orders._read_group(
            order_domain
            + [("date_order", ">=", start_24), ("date_order", "<", start_12)],
            ["partner_id", "currency_id"],
            ["amount_untaxed:sum"],
        )
        invoiced = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                move_domain, ["commercial_partner_id"], ["amount_untaxed_signed:sum"]
            )
        )
        order_partners = self.browse(
            {p.id for p, _date in first_dates}
            | {p.id for p, _c, _a in recent + previous}
        )
        order_partners.fetch(["commercial_partner_id"])
        rates = {}

        def to_company_currency(currency, amount):
            if currency == company.currency_id or not amount:
                return amount
            if currency not in rates:
                rates[currency] = currency._get_conversion_rate(
                    currency, company.currency_id, company, today
                )
            return amount * rates[currency]

        for partner, first in first_dates:
            key = partner.commercial_partner_id.id
            first = first.date()
            if not figures[key]["first"] or first < figures[key]["first"]:
                figures[key]["first"] = first
        for bucket, rows in (("orders_12m", recent), ("orders_prev_12m", previous)):
            for partner, currency, amount in rows:
                figures[partner.commercial_partner_id.id][bucket] += (
                    to_company_currency(currency, amount)
                )
        for partner, amount in invoiced:
            figures[partner.id]["invoiced_12m"] += amount
        return figures

    def _sg_ka_score(self, company, figures, potential, outlook, today):
        """Scores and computed quadrant of one customer from its figures (no query)."""
        orders_12m = figures["orders_12m"]
        orders_prev = figures["orders_prev_12m"]
        invoiced = max(figures["invoiced_12m"], 0.0)
        first = figures["first"]
        if not (potential or orders_12m or orders_prev or invoiced):
            quadrant = "unclassified"
        else:
            quadrant = None
        if orders_prev:
            growth = (orders_12m - orders_prev) / orders_prev * 100.0
        elif orders_12m:
            growth = company.ka_growth_ceiling
        else:
            growth = company.ka_growth_floor
        floor, ceiling = company.ka_growth_floor, company.ka_growth_ceiling
        growth_score = min(
            max((growth - floor) / (ceiling - floor) * 100.0, 0.0), 100.0
        )
        potential_score = min(potential / company.ka_potential_reference * 100.0, 100.0)
        outlook_score = OUTLOOK_SCORES.get(outlook or "moderate", 50.0)
        if potential:
            share_score = min(invoiced / potential * 100.0, 100.0)
        else:
            share_score = 100.0 if invoiced else 0.0
        years = max((today - first).days / 365.25, 0.0) if first else 0.0
        loyalty_score = min(years / company.ka_loyalty_years * 100.0, 100.0)
        w_pot, w_growth, w_outlook = (
            company.ka_weight_potential,
            company.ka_weight_growth,
            company.ka_weight_outlook,
        )
        attract = (
            w_pot * potential_score
            + w_growth * growth_score
            + w_outlook * outlook_score
        ) / (w_pot + w_growth + w_outlook)
        w_share, w_loyalty = company.ka_weight_share, company.ka_weight_loyalty
        position = (w_share * share_score + w_loyalty * loyalty_score) / (
            w_share + w_loyalty
        )
        quadrant = quadrant or self._sg_ka_quadrant_from_scores(
            attract, position, company
        )
        return {
            "ka_orders_12m": orders_12m,
            "ka_orders_prev_12m": orders_prev,
            "ka_growth_pct": growth if orders_prev else 0.0,
            "ka_invoiced_12m": figures["invoiced_12m"],
            "ka_first_order_date": first,
            "ka_years": years,
            "ka_potential_score": potential_score,
            "ka_growth_score": growth_score,
            "ka_outlook_score": outlook_score,
            "ka_share_score": share_score,
            "ka_loyalty_score": loyalty_score,
            "ka_attract_score": round(attract, 2),
            "ka_position_score": round(position, 2),
            "ka_computed_quadrant": quadrant,
        }

    def _sg_ka_recompute(self, all_partners=False):
        """Recompute scores and quadrants of the commercial partners ``self`` (and
        contacts) for the current company, in a number of queries independent of the
        number of partners.

        :param all_partners: ``self`` holds every partner of the company (nightly run):
                             the sales
            data is read without a partner filter.
        """
        company = self.env.company
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        self.fetch(["commercial_partner_id"])  # one query, not one per 1,000 partners
        commercial = self.mapped("commercial_partner_id")
        members = (self | commercial) if all_partners else commercial._sg_ka_members()
        members.fetch(["commercial_partner_id", "ka_quadrant"])
        commercial.fetch(
            ["ka_potential", "ka_outlook", "ka_quadrant_override", "ka_quadrant"]
        )
        figures = commercial._sg_ka_sales_figures(company, today, all_partners)
        results = {}
        changes = {}
        why = _("Recomputed from the sales data.")
        for partner in commercial:
            vals = self._sg_ka_score(
                company,
                figures[partner.id],
                partner.ka_potential,
                partner.ka_outlook,
                today,
            )
            vals["ka_quadrant"] = (
                partner.ka_quadrant_override or vals["ka_computed_quadrant"]
            )
            vals["ka_score_date"] = now
            results[partner.id] = vals
            # a change is logged; a partner with nothing to score is not worth a note
            if partner.ka_quadrant != vals["ka_quadrant"] and (
                partner.ka_quadrant or vals["ka_quadrant"] != "unclassified"
            ):
                changes[partner.id] = partner._sg_ka_change_body(
                    partner.ka_quadrant, vals["ka_quadrant"], why
                )
        rows = [
            (member.id, results[member.commercial_partner_id.id])
            for member in members
            if member.commercial_partner_id.id in results
        ]
        self._sg_ka_store(rows, company)
        # one INSERT for all the chatter notes (thousands on the first nightly run)
        commercial._sg_log_notes(changes)
        return results

    @api.model
    def _sg_ka_store(self, rows, company):
        """Write the computed key-account fields of ``rows`` [(partner id, vals)] for
        ``company`` in one parametrized UPDATE (company-dependent columns are jsonb
        {company id: value})."""
        if not rows:
            return
        self.env["res.partner"].flush_model(KA_COMPUTED_FIELDS)
        column_types = {
            "float": "float8",
            "date": "text",
            "datetime": "text",
            "selection": "text",
        }
        columns, arrays, assignments = [], [], []
        for fname in KA_COMPUTED_FIELDS:
            field = self._fields[fname]
            values = []
            for _id, vals in rows:
                value = vals[fname]
                if field.type == "date":
                    value = fields.Date.to_string(value) if value else None
                elif field.type == "datetime":
                    value = fields.Datetime.to_string(value) if value else None
                values.append(value)
            columns.append(SQL.identifier(fname))
            arrays.append(SQL("%s::%s[]", values, SQL(column_types[field.type])))
            assignments.append(
                SQL(
                    "%(col)s = COALESCE(res_partner.%(col)s, '{}'::jsonb)"
                    " || jsonb_build_object(%(company)s, v.%(col)s)",
                    col=SQL.identifier(fname),
                    company=str(company.id),
                )
            )
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET %(assignments)s, write_date = %(now)s, "
                "write_uid = %(uid)s FROM unnest(%(ids)s::int[], %(arrays)s) AS v(id, "
                "%(columns)s) WHERE res_partner.id = v.id",
                assignments=SQL(", ").join(assignments),
                now=fields.Datetime.now(),
                uid=self.env.uid,
                ids=[partner_id for partner_id, _vals in rows],
                arrays=SQL(", ").join(arrays),
                columns=SQL(", ").join(columns),
            )
        )
        self.env["res.partner"].invalidate_model(
            KA_COMPUTED_FIELDS + ("write_date", "write_uid")
        )

    @api.model
    def _cron_ka_recompute(self):
        """Nightly: recompute every customer of every company."""
        for company in self.env["res.company"].search([]):
            partners = (
                self.with_company(company)
                .with_context(active_test=False)
                .search([("company_id", "in", [False, company.id])])
            )
            partners._sg_ka_recompute(all_partners=True)

    @api.model
    def _cron_ka_schedule_visits(self):
        """Daily: one 'Customer visit' activity per customer whose last visit is older
        than the visit interval of its tier (none while one is open)."""
        visit_type = self.env.ref(
            "sale_governance.mail_activity_type_customer_visit",
            raise_if_not_found=False,
        )
        if not visit_type:
            return
        today = fields.Date.context_today(self)
        for company in self.env["res.company"].search([]):
            self.with_company(company)._sg_ka_schedule_visits(visit_type, today)

    @api.model
    def _sg_ka_schedule_visits(self, visit_type, today):
        policies = self.env["sale.governance.tier.policy"]._by_quadrant(
            self.env.company
        )
        due_domains = []
        for quadrant, policy in policies.items():
            if policy.visit_interval_days <= 0:
                continue
            limit = today - relativedelta(days=policy.visit_interval_days)
            due_domains.append(
                [
                    ("ka_quadrant", "=", quadrant),
                    "|",
                    ("ka_last_visit_date", "=", False),
                    ("ka_last_visit_date", "<=", limit),
                ]
            )
        if not due_domains:
            return self.browse()
        domain = expression.AND(
            [
                [
                    ("company_id", "in", [False, self.env.company.id]),
                    ("parent_id", "=", False),
                    ("user_id", "!=", False),
                ],
                expression.OR(due_domains),
            ]
        )
        partners = self.search(domain)
        if not partners:
            return partners
        open_visits = self.env["mail.activity"].search_read(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("activity_type_id", "=", visit_type.id),
            ],
            ["res_id"],
        )
        partners -= self.browse([activity["res_id"] for activity in open_visits])
        partners.fetch(["user_id", "ka_quadrant"])
        # One batch per tier (its summary and guidance); no notification e-mail per
        # activity: the salesperson sees them in the activity menu.
        for quadrant, group in partners.grouped("ka_quadrant").items():
            policy = policies[quadrant]
            group._sg_schedule_activities(
                "sale_governance.mail_activity_type_customer_visit",
                [partner.user_id for partner in group],
                today,
                summary=_("Visit due (%(tier)s)", tier=policy.name),
                note=policy.visit_guidance or False,
            )
        return partners
