from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

SEVERITIES = [("normal", "Normal"), ("urgent", "Urgent"), ("serious", "Serious")]
STAGES = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting for Customer"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# Fields that only the ticket's own action methods change (``_sg_protected_write`` of
# the governance mixin): who acts is checked by the action, never by a context key.
WORKFLOW_FIELDS = {
    "stage",
    "date_assigned",
    "date_resolved",
    "date_closed",
    "escalation_level",
    "product_verified",
}
# Fields that only team leaders (and administrators) change once the ticket exists.
ASSIGNMENT_FIELDS = {"team_id", "technician_id", "deadline"}
# Field types whose values are checked before any logic uses them (clear errors, no
# traceback).
CHECKED_TYPES = (
    "selection",
    "many2one",
    "integer",
    "float",
    "monetary",
    "boolean",
    "date",
    "datetime",
)
# A deadline given at creation may be this much later than the policy's (the form
# computes it a moment before saving); a later one needs the team leader.
DEADLINE_TOLERANCE = timedelta(minutes=5)


class SaleGovernanceServiceTicket(models.Model):
    _name = "sale.governance.service.ticket"
    _description = "After-sales Service Ticket"
    _inherit = [
        "sale.governance.protected.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "portal.mixin",
    ]
    _order = "id desc"
    _rec_names_search = ["reference", "name", "partner_id"]
    _primary_email = "email_from"

    _OPEN_STAGES = ("new", "assigned", "in_progress", "waiting")

    reference = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
        index="trigram",
    )
    name = fields.Char(string="Subject", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        tracking=True,
        index=True,
        check_company=True,
        help="The customer (or the customer's contact person) who asks for service.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        string="Customer Company",
    )
    email_from = fields.Char(
        string="Email",
        compute="_compute_contact",
        store=True,
        readonly=False,
        precompute=True,
    )
    phone = fields.Char(
        compute="_compute_contact", store=True, readonly=False, precompute=True
    )
    product_id = fields.Many2one(
        "product.product", tracking=True, index=True, check_company=True
    )
    product_category_id = fields.Many2one(
        related="product_id.categ_id", store=True, string="Product Category"
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        tracking=True,
        index="btree_not_null",
        check_company=True,
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        check_company=True,
        domain="[('picking_type_code', '=', 'outgoing')]",
    )
    invoice_id = fields.Many2one(
        "account.move",
        check_company=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_refund'))]",
    )
    description = fields.Html()
    severity = fields.Selection(
        SEVERITIES, required=True, default="normal", tracking=True
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("portal", "Customer Portal"),
            ("visit", "Visit"),
            ("other", "Other"),
        ],
        default="phone",
        required=True,
    )
    team_id = fields.Many2one(
        "sale.governance.technical.team",
        string="Technical Team",
        tracking=True,
        index=True,
        check_company=True,
    )
    technician_id = fields.Many2one(
        "res.users",
        compute="_compute_technician_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="The technician of the team with the fewest open tickets, unless the "
        "team leader assigns another one.",
    )
    team_leader_id = fields.Many2one(related="team_id.leader_id", string="Team Leader")
    salesperson_id = fields.Many2one(
        "res.users",
        string="Responsible Salesperson",
        compute="_compute_salesperson_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="Whoever sold it is responsible: the salesperson of the sale order, "
        "else of the customer. Follows the ticket and receives its result.",
    )
    stage = fields.Selection(
        STAGES,
        compute="_compute_stage",
        store=True,
        precompute=True,
        required=True,
        tracking=True,
        index=True,
        copy=False,
        readonly=True,
    )
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")
    deadline = fields.Datetime(
        compute="_compute_deadline",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        copy=False,
        help="Reception plus the hours of the severity (settings). Changing the "
        "severity recomputes it; only the team leader moves it.",
    )
    is_overdue = fields.Boolean(compute="_compute_is_open")
    escalation_level = fields.Selection(
        [("0", "Not escalated"), ("1", "Team Leader"), ("2", "Sales Manager")],
        default="0",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    resolution = fields.Html(copy=False)  # Odoo 18 does not track html fields
    result = fields.Selection(
        [
            ("repaired", "Repaired / Fixed"),
            ("explained", "Explained to Customer"),
            ("returned", "Returned"),
            ("replaced", "Replaced"),
            ("rejected", "Claim Rejected"),
        ],
        tracking=True,
        copy=False,
    )
    date_assigned = fields.Datetime(
        compute="_compute_stage", store=True, precompute=True, readonly=True, copy=False
    )
    date_resolved = fields.Datetime(readonly=True, copy=False)
    date_closed = fields.Datetime(readonly=True, copy=False)
    resolve_hours = fields.Float(
        string="Hours to Resolve",
        compute="_compute_resolve_hours",
        store=True,
        aggregator="avg",
    )
    product_verified = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="The technical team checked the product; returns and exchanges need it.",
    )
    return_qty = fields.Float(
        string="Quantity to Return",
        default=1.0,
        digits="Product Unit of Measure",
        copy=False,
    )
    picking_ids = fields.One2many(
        "stock.picking", "service_ticket_id", string="Returns and Replacements"
    )
    picking_count = fields.Integer(compute="_compute_picking_count")
    satisfaction_rating = fields.Integer(
        string="Satisfaction (1-5)",
        tracking=True,
        copy=False,
        aggregator="avg",
        help="Customer satisfaction collected at the follow-up visit, from 1 (bad) to "
        "5 (excellent).",
    )
    satisfaction_comment = fields.Text(copy=False)

    _sql_constraints = [
        (
            "reference_company_uniq",
            "unique(reference, company_id)",
            "The reference of a service ticket must be unique per company.",
        ),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("partner_id")
    def _compute_contact(self):
        for ticket in self:
            if ticket.partner_id:
                ticket.email_from = ticket.partner_id.email or ticket.email_from
                ticket.phone = ticket.partner_id.phone or ticket.phone

    @api.depends(
        "sale_order_id.user_id",
        "partner_id.user_id",
        "partner_id.commercial_partner_id",
    )
    def _compute_salesperson_id(self):
        for ticket in self:
            # Technicians create tickets too and do not read sale orders.
            ticket.salesperson_id = (
                ticket.sale_order_id.sudo().user_id
                or ticket.partner_id.user_id
                or ticket.partner_id.commercial_partner_id.user_id
                or ticket.salesperson_id
            )

    @api.depends("team_id")
    def _compute_technician_id(self):
        """The technician of the team with the fewest open tickets. One count of the
        open tickets for the whole batch; tickets of the batch add to the load as they
        are assigned."""
        members = self.team_id.sudo().member_ids
        load = defaultdict(int)
        if members:
            # Counting other people's tickets: the user may not see them all.
            groups = self.sudo()._read_group(
                [
                    ("technician_id", "in", members.ids),
                    ("stage", "in", self._OPEN_STAGES),
                    ("id", "not in", [i for i in self.ids if isinstance(i, int)]),
                ],
                ["technician_id"],
                ["__count"],
            )
            load.update({user.id: count for user, count in groups})
        for ticket in self:
            team_members = ticket.team_id.sudo().member_ids
            if not team_members:
                ticket.technician_id = False
                continue
            technician = min(team_members, key=lambda u: (load[u.id], u.id))
            load[technician.id] += 1
            ticket.technician_id = technician.with_env(self.env)

    @api.depends("technician_id")
    def _compute_stage(self):
        """A new ticket is assigned as soon as it has a technician (routing, the
        leader)."""
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.stage in (False, "new"):
                ticket.stage = "assigned" if ticket.technician_id else "new"
            else:
                ticket.stage = ticket.stage
            ticket.date_assigned = ticket.date_assigned or (
                now if ticket.technician_id else False
            )

    @api.depends("severity", "company_id")
    def _compute_deadline(self):
        """Reception plus the hours of the severity."""
        now = fields.Datetime.now()
        for ticket in self:
            company = ticket.company_id or self.env.company
            hours = company._sg_aftersales_deadline_hours(ticket.severity)
            ticket.deadline = (ticket.create_date or now) + timedelta(hours=hours)

    @api.depends("stage", "deadline")
    def _compute_is_open(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.is_open = ticket.stage in self._OPEN_STAGES
            ticket.is_overdue = bool(
                ticket.is_open and ticket.deadline and ticket.deadline < now
            )

    def _search_is_open(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Operation not supported"))
        positive = (operator == "=") == bool(value)
        return [("stage", "in" if positive else "not in", list(self._OPEN_STAGES))]

    @api.depends("date_resolved", "create_date")
    def _compute_resolve_hours(self):
        for ticket in self:
            if ticket.date_resolved and ticket.create_date:
                delta = ticket.date_resolved - ticket.create_date
                ticket.resolve_hours = delta.total_seconds() / 3600.0
            else:
                ticket.resolve_hours = 0.0

    def _compute_picking_count(self):
        # Technicians are not warehouse users: count the linked pickings as superuser.
        counts = dict(
            self.env["stock.picking"]
            .sudo()
            ._read_group(
                [("service_ticket_id", "in", self.ids)],
                ["service_ticket_id"],
                ["__count"],
            )
        )
        for ticket in self:
            ticket.picking_count = counts.get(ticket.sudo(), 0)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/service-requests/{ticket.id}"
        return res

    # ------------------------------------------------------------------ constraints

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        # As superuser: technicians are not warehouse users and cannot read lots.
        for ticket in self.sudo().filtered("lot_id"):
            if ticket.lot_id.product_id != ticket.product_id:
                raise ValidationError(
                    _(
                        "Lot/serial number %(lot)s belongs to %(lot_product)s, not to "
                        "%(product)s. Choose a lot of the product, or correct the "
                        "product.",
                        lot=ticket.lot_id.name,
                        lot_product=ticket.lot_id.product_id.display_name,
                        product=ticket.product_id.display_name or _("no product"),
                    )
                )

    @api.constrains("satisfaction_rating", "stage")
    def _check_satisfaction_rating(self):
        for ticket in self:
            if not ticket.satisfaction_rating:
                continue
            if not 1 <= ticket.satisfaction_rating <= 5:
                raise ValidationError(
                    _(
                        "The customer satisfaction rating of %(ticket)s must be "
                        "between 1 and 5 (got %(rating)s).",
                        ticket=ticket.reference,
                        rating=ticket.satisfaction_rating,
                    )
                )
            if ticket.stage != "closed":
                raise ValidationError(
                    _(
                        "Record the customer's satisfaction of %(ticket)s at the "
                        "follow-up visit, after the ticket is closed.",
                        ticket=ticket.reference,
                    )
                )

    @api.constrains("return_qty")
    def _check_return_qty(self):
        if any(t.return_qty < 0 for t in self):
            raise ValidationError(_("The quantity to return cannot be negative."))

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._sg_check_values(vals)
            for fname in ("technician_id", "deadline"):
                if fname in vals and not vals[fname]:
                    del vals[
                        fname
                    ]  # computed: the team's technician, the severity's hours
        self._assign_references(vals_list)
        self._prepare_routing(vals_list)
        self._check_create_assignment(vals_list)
        tickets = super().create(vals_list)
        tickets._subscribe_responsibles()
        tickets.filtered(lambda t: t.severity == "serious")._notify_executives()
        return tickets

    def write(self, vals):
        # The guard: clear errors for wrong values, assignment for the team leader only.
        self._sg_check_values(vals)
        if not self._sg_is_internal_write():
            reassigned = [
                fname
                for fname in ASSIGNMENT_FIELDS.intersection(vals)
                if not self._sg_protected_unchanged(fname, vals[fname])
            ]
            if reassigned:
                self._check_can_reassign()
        newly_serious = self.browse()
        if vals.get("severity") == "serious":
            newly_serious = self.filtered(lambda t: t.severity != "serious")
        res = super().write(vals)
        self._after_write(vals, newly_serious)
        return res

    def _after_write(self, vals, newly_serious):
        """Who is told what after a change (no stage or assignment moves here: those are
        computed fields and actions)."""
        if "salesperson_id" in vals:
            self._subscribe_responsibles()
        if newly_serious:
            newly_serious._notify_executives()
        if vals.get("satisfaction_rating"):
            self.activity_feedback(
                ["sale_governance.mail_activity_type_service_followup"],
                feedback=_(
                    "Satisfaction %(rating)s/5", rating=vals["satisfaction_rating"]
                ),
            )

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | WORKFLOW_FIELDS

    def _sg_protected_create_allowed(self, field_name, value):
        if field_name == "stage":
            return value in (
                False,
                None,
                "new",
            )  # the stage is computed; "new" is its start
        return super()._sg_protected_create_allowed(field_name, value)

    @api.model
    def _sg_check_values(self, vals):
        """Refuse values of the wrong type or outside a selection with a clear message,
        before routing or any computation uses them."""
        for fname, value in vals.items():
            field = self._fields.get(fname)
            if (
                field is None
                or field.type not in CHECKED_TYPES
                or value in (False, None)
            ):
                continue
            try:
                if field.type == "many2one" and (
                    isinstance(value, bool) or not isinstance(value, int)
                ):
                    raise ValueError(value)
                if field.type in ("integer", "float", "monetary") and isinstance(
                    value, bool | str
                ):
                    raise ValueError(value)
                field.convert_to_cache(value, self.browse(), validate=True)
            except (ValueError, TypeError):
                if field.type == "selection":
                    allowed = ", ".join(
                        str(key)
                        for key, _label in field._description_selection(self.env)
                    )
                    raise ValidationError(
                        _(
                            "%(value)s is not a valid %(field)s of a service ticket. "
                            "Choose one of: %(allowed)s.",
                            value=repr(value),
                            field=field._description_string(self.env),
                            allowed=allowed,
                        )
                    ) from None
                raise ValidationError(
                    _(
                        "%(value)s is not a valid value for %(field)s of a service "
                        "ticket (expected: %(type)s).",
                        value=repr(value),
                        field=field._description_string(self.env),
                        type=field.type,
                    )
                ) from None

    @api.model
    def _assign_references(self, vals_list):
        """References from the ticket sequence through ir.sequence's API: one search of
        the sequence per company, then one number per ticket (``next_by_id``)."""
        Sequence = self.env["ir.sequence"]
        sequences = {}
        for vals in vals_list:
            if vals.get("reference", _("New")) != _("New"):
                continue
            company_id = vals.get("company_id") or self.env.company.id
            if company_id not in sequences:
                sequences[company_id] = Sequence.search(
                    [
                        ("code", "=", "sale.governance.service.ticket"),
                        ("company_id", "in", [company_id, False]),
                    ],
                    order="company_id",
                    limit=1,
                )
            sequence = sequences[company_id]
            vals["reference"] = (sequence and sequence.next_by_id()) or _("New")

    @api.model
    def _check_create_assignment(self, vals_list):
        """A ticket is created with the routed technician and the severity's deadline;
        another technician of the team is fine, a later deadline or an outsider needs
        the team leader."""
        if self._is_admin():
            return
        user = self.env.user
        teams = (
            self.env["sale.governance.technical.team"]
            .sudo()
            .browse({vals["team_id"] for vals in vals_list if vals.get("team_id")})
        )
        companies = self.env["res.company"].browse(
            {vals.get("company_id") or self.env.company.id for vals in vals_list}
        )
        now = fields.Datetime.now()
        for vals in vals_list:
            team = teams.browse(vals.get("team_id"))
            if user == team.leader_id:
                continue
            if (
                vals.get("technician_id")
                and vals["technician_id"] not in (team.member_ids | team.leader_id).ids
            ):
                raise AccessError(
                    _(
                        "Only the leader of team %(team)s assigns a ticket to someone "
                        "outside the team. Leave the technician empty: the team's "
                        "least-loaded technician gets it.",
                        team=team.display_name or _("(no team)"),
                    )
                )
            if vals.get("deadline"):
                company = companies.browse(
                    vals.get("company_id") or self.env.company.id
                )
                hours = company._sg_aftersales_deadline_hours(
                    vals.get("severity") or "normal"
                )
                latest = now + timedelta(hours=hours) + DEADLINE_TOLERANCE
                if fields.Datetime.to_datetime(vals["deadline"]) > latest:
                    raise AccessError(
                        _(
                            "The deadline of a new %(severity)s ticket is %(hours)s "
                            "hours after reception; only the team leader grants more "
                            "time.",
                            severity=vals.get("severity") or "normal",
                            hours=hours,
                        )
                    )

    # ------------------------------------------------------------------ routing

    @api.model
    def _prepare_routing(self, vals_list):
        """The technical team of new tickets (the most specific routing rule), in a
        fixed number of queries; the technician and the deadline are computed fields."""
        companies = self.env["res.company"].browse(
            {vals.get("company_id") or self.env.company.id for vals in vals_list}
        )
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        )
        rules = self.env["sale.governance.routing.rule"].search(
            [("company_id", "in", companies.ids)]
        )
        for vals in vals_list:
            if vals.get("team_id"):
                continue
            company = companies.filtered(
                lambda c, v=vals: c.id == (v.get("company_id") or self.env.company.id)
            )
            product = products.filtered(lambda p, v=vals: p.id == v.get("product_id"))
            team = self._route(
                rules, company, product.categ_id, vals.get("severity") or "normal"
            )
            vals["team_id"] = team.id

    @api.model
    def _route(self, rules, company, category, severity):
        """The team of the most specific matching rule (deepest category, then
        severity), by sequence; the company's default team when no rule matches."""
        best, best_key = None, None
        for rule in rules:
            if rule.company_id != company:
                continue
            score = rule._match_score(category, severity)
            if score is None:
                continue
            key = (score[0], score[1], -rule.sequence, -rule.id)
            if best_key is None or key > best_key:
                best, best_key = rule, key
        return best.team_id if best else company.aftersales_default_team_id

    def _subscribe_responsibles(self):
        for salesperson, tickets in self.grouped("salesperson_id").items():
            if salesperson:
                tickets.message_subscribe(partner_ids=salesperson.partner_id.ids)

    def _executives(self):
        self.ensure_one()
        group = self.company_id.sudo().aftersales_executive_group_id
        return group.users.filtered(
            lambda u: not u.share
            and u.active
            and self.company_id in u.company_ids
            and u != self.env.ref("base.user_root")
        )

    def _notify_executives(self):
        """Serious tickets go to the executive in charge: an activity for each of them,
        one batched ``activity_schedule`` per executive."""
        today = fields.Date.context_today(self)
        for tickets in self.grouped("company_id").values():
            for executive in tickets[:1]._executives():
                tickets.activity_schedule(
                    "sale_governance.mail_activity_type_service_serious",
                    summary=_("Serious after-sales case"),
                    user_id=executive.id,
                    date_deadline=today,
                )

    def _sales_managers(self):
        """The sales manager of the ticket: the leader of the sales team of the order or
        of the salesperson; else the first member of the company's level-1 approval
        group."""
        self.ensure_one()
        return self._sales_managers_by_ticket()[self]

    @api.model
    def _sales_managers_by_ticket(self):
        """``{ticket: manager}`` for the whole recordset, one lookup per distinct
        (order's sales team, salesperson, company) rather than per ticket."""
        fallback = {}
        by_key = {}
        result = {}
        for ticket in self:
            key = (
                ticket.sale_order_id.team_id,
                ticket.salesperson_id,
                ticket.company_id,
            )
            if key not in by_key:
                order_team, salesperson, company = key
                manager = order_team.user_id or salesperson.sale_team_id.user_id
                if not manager or manager == salesperson:
                    if company not in fallback:
                        fallback[company] = company._sg_first_level_approvers().sorted(
                            "id"
                        )[:1]
                    manager = fallback[company]
                by_key[key] = manager
            result[ticket] = by_key[key]
        return result

    # ------------------------------------------------------------------ permissions

    def _is_admin(self):
        return self.env.su or self.env.user.has_group(
            "sale_governance.group_governance_admin"
        )

    def _check_can_work(self):
        """Technicians of the ticket's team (and its leader) work it."""
        if self._is_admin():
            return
        user = self.env.user
        for ticket in self:
            team = ticket.sudo().team_id
            if (
                user != ticket.technician_id
                and user not in team.member_ids
                and user != team.leader_id
            ):
                raise AccessError(
                    _(
                        "Only the technicians of team %(team)s work ticket "
                        "%(ticket)s. Ask the team leader to assign it to you.",
                        team=team.display_name or _("(no team)"),
                        ticket=ticket.reference,
                    )
                )

    def _check_can_reassign(self):
        if self._is_admin():
            return
        user = self.env.user
        for ticket in self:
            if user != ticket.sudo().team_id.leader_id:
                raise AccessError(
                    _(
                        "Only the leader of team %(team)s reassigns ticket %(ticket)s.",
                        team=ticket.sudo().team_id.display_name or _("(no team)"),
                        ticket=ticket.reference,
                    )
                )

    def _check_stage(self, allowed, action):
        for ticket in self:
            if ticket.stage not in allowed:
                raise UserError(
                    _(
                        "Ticket %(ticket)s is %(stage)s: you cannot %(action)s it.",
                        ticket=ticket.reference,
                        stage=dict(STAGES)[ticket.stage],
                        action=action,
                    )
                )

    def _set_stage(self, vals):
        """Write workflow fields once the calling action has checked who acts and the
        rules."""
        return self._sg_protected_write(vals)

    # ------------------------------------------------------------------ actions

    def action_take(self):
        """A technician of the team takes the ticket."""
        self._check_stage(self._OPEN_STAGES, _("take"))
        user = self.env.user
        for ticket in self:
            if not self._is_admin() and user not in ticket.sudo().team_id.member_ids:
                raise AccessError(
                    _(
                        "Only technicians of the ticket's team can take %(ticket)s.",
                        ticket=ticket.reference,
                    )
                )
        self._set_stage(
            {
                "technician_id": user.id,
                "stage": "assigned",
                "date_assigned": fields.Datetime.now(),
            }
        )

    def action_start(self):
        self._check_can_work()
        self._check_stage(("new", "assigned", "waiting"), _("start"))
        self.filtered(lambda t: not t.technician_id)._set_stage(
            {"technician_id": self.env.user.id}
        )
        self._set_stage({"stage": "in_progress"})

    def action_wait_customer(self):
        self._check_can_work()
        self._check_stage(
            ("assigned", "in_progress"), _("put on hold for the customer")
        )
        self._set_stage({"stage": "waiting"})

    def action_verify_product(self):
        self._check_can_work()
        self._check_stage(self._OPEN_STAGES + ("resolved",), _("verify"))
        if any(not t.product_id for t in self):
            raise UserError(_("Set the product of the ticket before verifying it."))
        self._set_stage({"product_verified": True})
        for ticket in self:
            ticket.message_post(
                body=_(
                    "Product %(product)s verified by the technical team.",
                    product=ticket.product_id.display_name,
                )
            )

    def action_resolve(self):
        self._check_can_work()
        self._check_stage(self._OPEN_STAGES, _("resolve"))
        for ticket in self:
            if tools.is_html_empty(ticket.resolution):
                raise UserError(
                    _(
                        "Write the resolution of ticket %(ticket)s (what was found "
                        "and done) before resolving it.",
                        ticket=ticket.reference,
                    )
                )
        self._set_stage({"stage": "resolved", "date_resolved": fields.Datetime.now()})
        self._send_result_feedback()

    def action_close(self):
        user = self.env.user
        for ticket in self:
            allowed = (
                self._is_admin()
                or user == ticket.salesperson_id
                or user == ticket.technician_id
                or user == ticket.sudo().team_id.leader_id
                or user in ticket.sudo().team_id.member_ids
                or user.has_group("sale_governance.group_sales_manager")
            )
            if not allowed:
                raise AccessError(
                    _(
                        "Only the technical team, the responsible salesperson or a "
                        "sales manager closes ticket %(ticket)s.",
                        ticket=ticket.reference,
                    )
                )
            if tools.is_html_empty(ticket.resolution):
                raise UserError(
                    _(
                        "Ticket %(ticket)s has no resolution: write what was done for "
                        "the customer before closing it.",
                        ticket=ticket.reference,
                    )
                )
        self._check_stage(self._OPEN_STAGES + ("resolved",), _("close"))
        now = fields.Datetime.now()
        unresolved = self.filtered(lambda t: not t.date_resolved)
        unresolved._set_stage({"date_resolved": now})
        unresolved._send_result_feedback()
        self._set_stage({"stage": "closed", "date_closed": now})
        self.activity_unlink(
            [
                "sale_governance.mail_activity_type_service_escalation",
                "sale_governance.mail_activity_type_service_serious",
            ]
        )
        for salesperson, tickets in self.grouped("salesperson_id").items():
            if salesperson:
                tickets.activity_schedule(
                    "sale_governance.mail_activity_type_service_followup",
                    user_id=salesperson.id,
                    date_deadline=fields.Date.context_today(self) + timedelta(days=7),
                )

    def action_cancel(self):
        user = self.env.user
        if not (
            self._is_admin() or user.has_group("sale_governance.group_sales_manager")
        ):
            for ticket in self:
                if user != ticket.sudo().team_id.leader_id:
                    raise AccessError(
                        _(
                            "Only the team leader or a sales manager cancels ticket "
                            "%(ticket)s.",
                            ticket=ticket.reference,
                        )
                    )
        self._check_stage(self._OPEN_STAGES, _("cancel"))
        self._set_stage({"stage": "cancelled"})
        self.activity_unlink(
            [
                "sale_governance.mail_activity_type_service_escalation",
                "sale_governance.mail_activity_type_service_serious",
            ]
        )

    def action_reopen(self):
        self._check_can_work()
        self._check_stage(("resolved",), _("reopen"))
        self._set_stage({"stage": "in_progress", "date_resolved": False})

    def _send_result_feedback(self):
        """The result goes back to the responsible salesperson and the sales manager."""
        results = dict(self._fields["result"]._description_selection(self.env))
        for ticket in self:
            recipients = ticket.salesperson_id | ticket._sales_managers()
            body = Markup("<p>%s</p>%s") % (
                _(
                    "Ticket %(ticket)s resolved. Result: %(result)s.",
                    ticket=ticket.reference,
                    result=results.get(ticket.result) or _("not specified"),
                ),
                ticket.resolution or "",
            )
            ticket.message_post(
                body=body,
                partner_ids=recipients.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            for user in recipients:
                ticket.activity_schedule(
                    "sale_governance.mail_activity_type_service_result",
                    summary=_(
                        "Service result to review: %(ticket)s", ticket=ticket.reference
                    ),
                    user_id=user.id,
                )

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [("service_ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ returns

    def _delivery_to_return(self):
        """The done delivery of the ticket's product (as superuser: technicians are
        neither sales nor warehouse users)."""
        self.ensure_one()
        pickings = self.sudo().picking_id or self.sudo().sale_order_id.picking_ids
        deliveries = pickings.filtered(
            lambda p: p.state == "done"
            and p.picking_type_code == "outgoing"
            and (not self.product_id or self.product_id in p.move_ids.product_id)
        )
        if not deliveries:
            raise UserError(
                _(
                    "Ticket %(ticket)s has no done delivery of %(product)s to return: "
                    "link the sale order or the delivery first.",
                    ticket=self.reference,
                    product=self.product_id.display_name or _("the product"),
                )
            )
        return deliveries.sorted("date_done")[-1]

    def action_create_return(self, exchange=False):
        """Return of the delivered goods (Odoo's return wizard), optionally with a
        replacement."""
        self.ensure_one()
        self._check_can_work()
        self._check_stage(self._OPEN_STAGES + ("resolved",), _("return goods for"))
        if not self.product_verified:
            raise UserError(
                _(
                    "The technical team must verify the product of %(ticket)s before "
                    "a return or an exchange.",
                    ticket=self.reference,
                )
            )
        if self.return_qty <= 0:
            raise UserError(_("Set the quantity to return on the ticket."))
        delivery = self._delivery_to_return()
        # Technicians are not warehouse users: the verified return is created by the
        # system.
        Wizard = (
            self.env["stock.return.picking"]
            .sudo()
            .with_context(
                active_id=delivery.id,
                active_ids=delivery.ids,
                active_model="stock.picking",
            )
        )
        wizard = Wizard.create({"picking_id": delivery.id})
        remaining = self.return_qty
        for line in wizard.product_return_moves:
            if line.product_id == self.product_id and remaining > 0:
                line.quantity = min(remaining, line.move_id.quantity)
                remaining -= line.quantity
            else:
                line.quantity = 0.0
        Picking = self.env["stock.picking"].sudo()
        group_domain = (
            [("group_id", "=", delivery.group_id.id)]
            if delivery.group_id
            else [("id", "=", 0)]
        )
        before = Picking.search(group_domain)
        if exchange:
            action = wizard.action_create_exchanges()
        else:
            action = wizard.action_create_returns()
        new_pickings = Picking.browse(action["res_id"])
        if exchange:
            new_pickings |= Picking.search(group_domain) - before
        new_pickings.write({"service_ticket_id": self.id})
        self.message_post(
            body=_(
                "Created %(pickings)s for the verified product.",
                pickings=", ".join(new_pickings.mapped("name")),
            )
        )
        if not self.result:
            self.result = "replaced" if exchange else "returned"
        if self.env["stock.picking"].has_access("read"):
            return self.action_view_pickings()
        return True

    def action_create_exchange(self):
        return self.action_create_return(exchange=True)

    # ------------------------------------------------------------------ escalation

    @api.model
    def _cron_escalate_overdue(self):
        """Overdue open tickets: first to the team leader, then to the sales manager."""
        now = fields.Datetime.now()
        tickets = self.search(
            [
                ("stage", "in", ("new", "assigned", "in_progress")),
                ("deadline", "<", now),
                ("escalation_level", "in", ("0", "1")),
            ]
        )
        # One read for the batch; ``name`` too, as each new activity reads its record's
        # name.
        tickets.fetch(
            [
                "name",
                "escalation_level",
                "deadline",
                "team_id",
                "company_id",
                "salesperson_id",
                "sale_order_id",
                "reference",
            ]
        )
        first = tickets.filtered(lambda t: t.escalation_level == "0")
        second = (tickets - first).filtered(
            lambda t: t.deadline
            + timedelta(hours=t.company_id.aftersales_second_escalation_hours)
            < now
        )
        today = fields.Date.context_today(self)
        escalation = "sale_governance.mail_activity_type_service_escalation"
        # Step 1: the team leader (tickets without a leader wait for step 2).
        step1 = first._sg_schedule_activities_to(
            escalation,
            lambda ticket: ticket.team_id.leader_id,
            today,
            summary=_("Overdue service ticket"),
        )
        # Step 2: the sales manager; leaderless teams jump here directly.
        step2 = second | (first - step1)
        step2._sg_schedule_activities_to(
            escalation,
            step2._sales_managers_by_ticket(),
            today,
            summary=_("Overdue service ticket (second escalation)"),
        )
        # The chatter gets one note per ticket (one INSERT) instead of per-record
        # tracking.
        step1._set_escalation_level("1")
        step2._set_escalation_level("2")
        bodies = dict.fromkeys(
            step1.ids, _("Past its deadline: escalated to the team leader.")
        )
        bodies.update(
            dict.fromkeys(
                step2.ids, _("Still past its deadline: escalated to the sales manager.")
            )
        )
        (step1 | step2)._sg_log_notes(bodies)
        return len(step1) + len(step2)

    def _set_escalation_level(self, level):
        """The escalation job's bookkeeping for thousands of tickets: one UPDATE (the
        ORM flushes it by 100 rows); nothing is computed from the level, and the job
        logs its own note."""
        if not self:
            return
        self.flush_recordset(["escalation_level"])
        self.env.cr.execute(
            SQL(
                "UPDATE sale_governance_service_ticket SET escalation_level = %s,"
                " write_uid = %s, write_date = %s WHERE id = ANY(%s)",
                level,
                self.env.uid,
                fields.Datetime.now(),
                self.ids,
            )
        )
        self.invalidate_recordset(["escalation_level", "write_uid", "write_date"])

    # ------------------------------------------------------------------ mail gateway

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        email = tools.email_normalize(msg_dict.get("email_from") or "") or msg_dict.get(
            "email_from"
        )
        partner = self.env["res.partner"]
        if msg_dict.get("author_id"):
            partner = partner.browse(msg_dict["author_id"])
        elif email:
            partner = self._mail_find_partner_from_emails([email], force_create=True)[0]
        values.setdefault("name", msg_dict.get("subject") or _("No Subject"))
        values.setdefault("channel", "email")
        values.setdefault("description", msg_dict.get("body"))
        if partner:
            values["partner_id"] = partner.id
        values.setdefault("email_from", msg_dict.get("email_from"))
        ticket = super().message_new(msg_dict, custom_values=values)
        if partner:
            ticket.message_subscribe(partner_ids=partner.ids)
        return ticket

    # ------------------------------------------------------------------ portal

    @api.model
    def _portal_orders(self, partner):
        """Confirmed orders of the portal user's company: what a request may refer
        to."""
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("state", "=", "sale"),
                ],
                limit=100,
            )
        )

    @api.model
    def _portal_products(self, partner):
        return self._portal_orders(partner).order_line.product_id.filtered(
            lambda p: p.type != "service"
        )

    @api.model
    def _portal_create_request(self, partner, post):
        """A service request submitted from the customer portal by ``partner``."""
        name = (post.get("name") or "").strip()
        if not name:
            raise UserError(
                _("Describe the problem in a few words in the subject of your request.")
            )
        severity = post.get("severity") or "normal"
        if severity not in dict(SEVERITIES):
            raise UserError(_("Choose a severity among normal, urgent and serious."))
        orders = self._portal_orders(partner)
        vals = {
            "name": name,
            "partner_id": partner.id,
            "severity": severity,
            "channel": "portal",
            "description": tools.plaintext2html(post.get("description") or ""),
        }
        if post.get("sale_order_id"):
            order = orders.filtered(lambda o: str(o.id) == str(post["sale_order_id"]))
            if not order:
                raise UserError(_("Choose one of your own confirmed orders."))
            vals.update(sale_order_id=order.id, company_id=order.company_id.id)
        if post.get("product_id"):
            product = orders.order_line.product_id.filtered(
                lambda p: str(p.id) == str(post["product_id"])
            )
            if not product:
                raise UserError(_("Choose one of the products you bought from us."))
            vals["product_id"] = product.id
        vals.setdefault("company_id", partner.company_id.id or self.env.company.id)
        # Portal users cannot create tickets themselves: the request is created for
        # them.
        ticket = self.sudo().create(vals)
        ticket.message_subscribe(partner_ids=partner.ids)
        return ticket

    def _get_report_base_filename(self):
        self.ensure_one()
        return _("Service Request %(reference)s", reference=self.reference)
