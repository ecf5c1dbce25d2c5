from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, format_amount

GROUP_CLERK = "sale_governance.group_invoicing_clerk"
GROUP_ACCOUNTANT = "sale_governance.group_sales_accountant"
GROUP_DISPATCHER = "sale_governance.group_dispatcher"
GROUP_GUARD = "sale_governance.group_gate_guard"


def check_role(env, xmlid, what):
    """Refuse ``what`` unless the acting user holds the group ``xmlid`` (superuser code
    passes)."""
    if env.su or env.user.has_group(xmlid):
        return
    group = env.ref(xmlid)
    raise UserError(
        _(
            "Only a member of %(group)s may %(what)s. Ask one of them to do it.",
            group=group.name,
            what=what,
        )
    )


def group_partners(env, xmlids, company):
    """Partners of the active users of the groups ``xmlids`` who work in ``company``."""
    users = env["res.users"]
    for xmlid in xmlids:
        group = env.ref(xmlid, raise_if_not_found=False)
        if group:
            users |= group.sudo().users
    return users.filtered(lambda u: company in u.company_ids).partner_id


class SaleGovernanceDeliveryNotice(models.Model):
    _name = "sale.governance.delivery.notice"
    _description = "Delivery Notice"
    _inherit = ["sale.governance.protected.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index=True
    )
    order_id = fields.Many2one(
        "sale.order", string="Sales Order", readonly=True, index=True
    )
    state = fields.Selection(
        [
            ("issued", "Issued"),
            ("loaded", "Loaded"),
            ("done", "Delivered"),
            ("cancel", "Cancelled"),
        ],
        default="issued",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    issued_by_id = fields.Many2one("res.users", string="Issued by", readonly=True)
    issue_date = fields.Datetime(string="Issued on", readonly=True)
    valid_until = fields.Date(readonly=True, tracking=True)
    limit_type = fields.Selection(
        [
            ("quantity", "Approved Quantities (credit sale)"),
            ("amount", "Prepaid Balance"),
        ],
        string="Loading Limit by",
        readonly=True,
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_limit = fields.Monetary(
        string="Prepaid Balance at Issue",
        readonly=True,
        help="The customer's available prepaid balance when the notice was issued: "
        "the value the goods may be worth, tax included.",
    )
    line_ids = fields.One2many(
        "sale.governance.delivery.notice.line",
        "notice_id",
        string="Lines",
        readonly=True,
    )
    vehicle_plate = fields.Char(readonly=True, tracking=True)
    driver_name = fields.Char(string="Driver", readonly=True, tracking=True)
    loaded_by_id = fields.Many2one(
        "res.users", string="Loading Recorded by", readonly=True
    )
    loaded_date = fields.Datetime(string="Weighed on", readonly=True)
    amount_loaded = fields.Monetary(
        string="Value of Weighed Goods",
        readonly=True,
        help="The goods actually weighed at the weighbridge at the order's prices, "
        "tax included.",
    )
    amount_to_collect = fields.Monetary(
        readonly=True,
        help="What the customer pays at finance before the goods leave: value of the "
        "weighed goods above the available prepaid balance.",
    )
    collect_state = fields.Selection(
        [
            ("none", "Nothing to Collect"),
            ("to_collect", "To Collect before Exit"),
            ("collected", "Collected"),
        ],
        string="Payment before Exit",
        default="none",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    gate_pass_ids = fields.One2many(
        "sale.governance.gate.pass", "notice_id", string="Gate Passes", readonly=True
    )
    is_valid = fields.Boolean(compute="_compute_is_valid", string="Valid Today")
    note = fields.Text()

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The delivery notice number must be unique.",
        ),
    ]

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {
            "name",
            "picking_id",
            "company_id",
            "partner_id",
            "order_id",
            "state",
            "issued_by_id",
            "issue_date",
            "valid_until",
            "limit_type",
            "currency_id",
            "amount_limit",
            "line_ids",
            "vehicle_plate",
            "driver_name",
            "loaded_by_id",
            "loaded_date",
            "amount_loaded",
            "amount_to_collect",
            "collect_state",
            "gate_pass_ids",
        }

    @api.depends("state", "valid_until")
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for notice in self:
            notice.is_valid = notice._sg_valid(today)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/" and self._sg_is_internal_write():
                company = (
                    self.env["res.company"].browse(vals.get("company_id"))
                    or self.env.company
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("sale.governance.delivery.notice")
                    or "/"
                )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        if any(n.state != "cancel" for n in self) and not self._sg_is_internal_write():
            raise UserError(
                _(
                    "A delivery notice is kept as a record: cancel it instead of "
                    "deleting it."
                )
            )

    # ------------------------------------------------------------------ business
    def _sg_valid(self, today=None):
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        return (
            self.state in ("issued", "loaded")
            and bool(self.valid_until)
            and self.valid_until >= today
        )

    def _sg_line_by_product(self):
        self.ensure_one()
        return {line.product_id: line for line in self.line_ids}

    def _sg_loaded_value(self, quantities):
        """Value (tax included) of ``{notice line: quantity}`` at the notice's
        prices."""
        return sum(qty * line.price_unit for line, qty in quantities.items())

    def action_cancel(self):
        check_role(self.env, GROUP_CLERK, _("cancel a delivery notice"))
        if any(n.state not in ("issued", "loaded") for n in self):
            raise UserError(
                _("Only an issued or loaded delivery notice can be cancelled.")
            )
        self._sg_protected_write({"state": "cancel"})
        return True

    def action_sg_record_loading(self):
        self.ensure_one()
        return self.picking_id.action_sg_record_loading()

    def _sg_record_loading(self, vehicle_plate, driver_name, quantities):
        """The weighbridge re-check (第十四条): the dispatcher records the vehicle, the
        driver and the actual weighed quantity of each line
        (``{notice line: quantity}``); the value is recomputed on the weighed quantities
        and what exceeds the prepaid balance is to be paid at finance before the goods
        leave. Credit sales never load above the approved quantities."""
        self.ensure_one()
        check_role(
            self.env,
            GROUP_DISPATCHER,
            _("record the loading and the weighed quantities"),
        )
        today = fields.Date.context_today(self)
        if not self._sg_valid(today):
            raise UserError(
                _(
                    "Delivery notice %(notice)s is not valid (%(state)s, valid until "
                    "%(date)s): ask an invoicing clerk to issue a new one before "
                    "loading.",
                    notice=self.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        self.state
                    ],
                    date=self.valid_until,
                )
            )
        vehicle_plate, driver_name = (
            (vehicle_plate or "").strip(),
            (driver_name or "").strip(),
        )
        if not vehicle_plate or not driver_name:
            raise UserError(
                _(
                    "Enter the vehicle plate and the driver's name: the gate pass "
                    "shows them to the guard."
                )
            )
        if any(qty < 0 for qty in quantities.values()) or not any(quantities.values()):
            raise UserError(
                _(
                    "Enter the weighed quantity of the goods loaded (zero or more, "
                    "not all zero)."
                )
            )
        if set(quantities) - set(self.line_ids):
            raise UserError(
                _(
                    "Weighed quantities can only be recorded for the lines of the "
                    "notice."
                )
            )
        limit = self.picking_id._sg_loading_limit().get(self.picking_id.id)
        errors = []
        if limit is not None and limit["amount"] is None:
            for line, qty in quantities.items():
                allowed = min(
                    line.qty_limit, limit["quantities"].get(line.product_id.id, 0.0)
                )
                if (
                    float_compare(qty, allowed, precision_rounding=line.uom_id.rounding)
                    > 0
                ):
                    errors.append(
                        _(
                            "%(product)s: %(qty)s %(uom)s weighed, but the loading "
                            "limit is %(allowed)s %(uom)s (credit sale: never ship "
                            "more than approved). Unload the difference, or have more "
                            "credit approved and a new notice issued.",
                            product=line.product_id.display_name,
                            qty=qty,
                            uom=line.uom_id.name,
                            allowed=allowed,
                        )
                    )
        if errors:
            raise UserError("\n".join(errors))
        value = self._sg_loaded_value(quantities)
        to_collect = 0.0
        if limit is not None and limit["amount"] is not None:
            to_collect = max(0.0, value - limit["amount"])
        for line, qty in quantities.items():
            line._sg_protected_write({"qty_loaded": qty})
        (
            self.line_ids
            - self.env["sale.governance.delivery.notice.line"].union(*quantities)
        )._sg_protected_write({"qty_loaded": 0.0})
        currency = self.currency_id
        collect = not currency.is_zero(to_collect)
        self._sg_protected_write(
            {
                "state": "loaded",
                "vehicle_plate": vehicle_plate,
                "driver_name": driver_name,
                "loaded_by_id": self.env.uid,
                "loaded_date": fields.Datetime.now(),
                "amount_loaded": value,
                "amount_to_collect": to_collect,
                "collect_state": "to_collect" if collect else "none",
            }
        )
        self.picking_id._sg_set_loaded_quantities(
            {line.product_id: qty for line, qty in quantities.items()}
        )
        if collect:
            partners = group_partners(
                self.env, (GROUP_ACCOUNTANT, GROUP_CLERK), self.company_id
            )
            self.picking_id.sudo().message_post(
                body=_(
                    "To collect before exit: the goods weighed for %(notice)s are "
                    "worth %(value)s, %(amount)s more than the prepaid balance. The "
                    "customer pays the difference at finance before the vehicle "
                    "%(plate)s leaves.",
                    notice=self.name,
                    value=format_amount(self.env, value, currency),
                    amount=format_amount(self.env, to_collect, currency),
                    plate=vehicle_plate,
                ),
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def _sg_refresh_collect(self):
        """Notices waiting for a payment before exit whose weighed goods are now paid
        for."""
        waiting = self.filtered(
            lambda n: n.collect_state == "to_collect" and n.state == "loaded"
        )
        if not waiting:
            return self.browse()
        limits = waiting.picking_id._sg_loading_limit()
        paid = self.browse()
        for notice in waiting:
            limit = limits.get(notice.picking_id.id)
            available = (
                limit["amount"] if limit and limit["amount"] is not None else None
            )
            if (
                available is None
                or notice.currency_id.compare_amounts(notice.amount_loaded, available)
                <= 0
            ):
                paid |= notice
        if paid:
            paid._sg_protected_write(
                {"collect_state": "collected", "amount_to_collect": 0.0}
            )
            for company in paid.company_id:
                partners = group_partners(self.env, (GROUP_DISPATCHER,), company)
                for notice in paid.filtered(lambda n, c=company: n.company_id == c):
                    notice.picking_id.sudo().message_post(
                        body=_(
                            "Paid: the weighed goods of %(notice)s are covered by the "
                            "prepaid balance; the delivery may be validated and the "
                            "vehicle %(plate)s leave.",
                            notice=notice.name,
                            plate=notice.vehicle_plate,
                        ),
                        partner_ids=partners.ids,
                        subtype_xmlid="mail.mt_comment",
                    )
        return paid


class SaleGovernanceDeliveryNoticeLine(models.Model):
    _name = "sale.governance.delivery.notice.line"
    _description = "Delivery Notice Line"
    _inherit = ["sale.governance.protected.mixin"]
    _order = "notice_id, id"

    notice_id = fields.Many2one(
        "sale.governance.delivery.notice",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="notice_id.company_id", store=True)
    currency_id = fields.Many2one(related="notice_id.currency_id")
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True, readonly=True)
    qty_ordered = fields.Float(
        string="Quantity Ordered", digits="Product Unit of Measure", readonly=True
    )
    qty_limit = fields.Float(
        string="Loading Limit",
        digits="Product Unit of Measure",
        readonly=True,
        help="What may be loaded now (approved credit quantity not yet delivered, or "
        "the quantity the prepaid balance pays for at the order's price, tax "
        "included).",
    )
    qty_loaded = fields.Float(
        string="Weighed Quantity", digits="Product Unit of Measure", readonly=True
    )
    price_unit = fields.Monetary(
        string="Unit Price (tax incl.)", currency_field="currency_id", readonly=True
    )

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {
            "notice_id",
            "product_id",
            "uom_id",
            "qty_ordered",
            "qty_limit",
            "qty_loaded",
            "price_unit",
        }

    @api.constrains("qty_loaded", "qty_limit")
    def _check_quantities(self):
        if any(line.qty_loaded < 0 or line.qty_limit < 0 for line in self):
            raise ValidationError(
                _("Quantities of a delivery notice cannot be negative.")
            )
