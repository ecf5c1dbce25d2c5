from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, format_amount

from .delivery_notice import GROUP_CLERK, GROUP_DISPATCHER, check_role, group_partners


class StockPicking(models.Model):
    _inherit = "stock.picking"

    sg_notice_ids = fields.One2many(
        "sale.governance.delivery.notice",
        "picking_id",
        string="Delivery Notices",
        readonly=True,
    )
    sg_notice_id = fields.Many2one(
        "sale.governance.delivery.notice",
        string="Delivery Notice",
        compute="_compute_sg_notice_id",
        help="The delivery notice this delivery is loaded against: the latest one that "
        "is not cancelled.",
    )
    sg_notice_state = fields.Selection(
        selection=lambda self: self.env["sale.governance.delivery.notice"]
        ._fields["state"]
        .selection,
        string="Delivery Notice Status",
        compute="_compute_sg_notice_id",
    )
    sg_collect_state = fields.Selection(
        selection=lambda self: self.env["sale.governance.delivery.notice"]
        ._fields["collect_state"]
        .selection,
        string="Payment before Exit",
        compute="_compute_sg_notice_id",
    )
    sg_gate_pass_ids = fields.One2many(
        "sale.governance.gate.pass", "picking_id", string="Gate Passes", readonly=True
    )
    sg_gate_pass_count = fields.Integer(compute="_compute_sg_gate_pass_count")
    sg_notice_required = fields.Boolean(
        string="Delivery Notice Required",
        compute="_compute_sg_notice_required",
        help="A delivery under the sales policy: it is loaded and validated only "
        "against a valid delivery notice.",
    )

    def _compute_sg_notice_required(self):
        self.sg_notice_required = False
        pickings = self.filtered(
            lambda p: p.id
            and p.state not in ("draft", "done", "cancel")
            and p.company_id.sg_delivery_notice_required
        )
        if pickings:
            limits = pickings._sg_loading_limit()
            for picking in pickings:
                picking.sg_notice_required = limits.get(picking.id) is not None

    @api.depends("sg_notice_ids.state", "sg_notice_ids.collect_state")
    def _compute_sg_notice_id(self):
        for picking in self:
            notice = picking.sg_notice_ids.filtered(
                lambda n: n.state != "cancel"
            ).sorted("id")[-1:]
            picking.sg_notice_id = notice
            picking.sg_notice_state = notice.state or False
            picking.sg_collect_state = notice.collect_state or False

    @api.depends("sg_gate_pass_ids")
    def _compute_sg_gate_pass_count(self):
        for picking in self:
            picking.sg_gate_pass_count = len(picking.sg_gate_pass_ids)

    # ------------------------------------------------------------------ overrides
    def _sg_stock_gates(self):
        """The dispatch gate runs first in ``_action_done`` (governance), where every
        validation passes (button, backorder wizard, RPC); the gate passes after."""
        gate = (10, "dispatch", "_sg_check_dispatch_gate", "_sg_issue_gate_passes")
        return super()._sg_stock_gates() + [gate]

    # ------------------------------------------------------------------ actions
    def action_sg_issue_delivery_notice(self):
        """The invoicing clerk issues the delivery notice (发货通知单) with the loading
        limit."""
        check_role(self.env, GROUP_CLERK, _("issue a delivery notice"))
        notices = self._sg_issue_delivery_notices()
        if len(notices) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.governance.delivery.notice",
                "res_id": notices.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return True

    def action_sg_record_loading(self):
        """The dispatcher records the vehicle, the driver and the weighed quantities."""
        self.ensure_one()
        check_role(
            self.env,
            GROUP_DISPATCHER,
            _("record the loading and the weighed quantities"),
        )
        notice = self.sg_notice_id
        if not notice or not notice._sg_valid():
            raise UserError(
                _(
                    "%(delivery)s has no valid delivery notice: nothing may be loaded "
                    "before an invoicing clerk issues one.",
                    delivery=self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Loading"),
            "res_model": "sale.governance.loading.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_notice_id": notice.id},
        }

    def action_sg_view_gate_passes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_governance.sale_governance_gate_pass_action"
        )
        action["domain"] = [("picking_id", "=", self.id)]
        action["context"] = {"create": False}
        if len(self.sg_gate_pass_ids) == 1:
            action.update(
                view_mode="form",
                views=[(False, "form")],
                res_id=self.sg_gate_pass_ids.id,
            )
        return action

    # ------------------------------------------------------------------ business
    def _sg_dispatch_moves(self):
        """Moves of ``self`` that hand goods to a customer and are not done yet."""
        return self.move_ids.filtered(
            lambda m: m.state not in ("done", "cancel")
            and m.location_dest_id.usage == "customer"
            and m.location_id.usage != "customer"
        )

    def _sg_issue_delivery_notices(self):
        pickings = self.filtered(lambda p: p.state not in ("done", "cancel", "draft"))
        if self - pickings:
            raise UserError(
                _(
                    "A delivery notice is issued for a confirmed delivery that is not "
                    "done: %(deliveries)s.",
                    deliveries=", ".join((self - pickings).mapped("name")),
                )
            )
        pickings.fetch(["company_id", "partner_id", "sale_id", "sg_notice_ids"])
        limits = pickings._sg_loading_limit()
        today = fields.Date.context_today(self)
        errors, vals_list = [], []
        pickings.move_ids.fetch(
            [
                "product_id",
                "product_uom",
                "product_uom_qty",
                "sale_line_id",
                "state",
                "location_id",
                "location_dest_id",
            ]
        )
        for picking in pickings:
            limit = limits.get(picking.id)
            if limit is None:
                errors.append(
                    _(
                        "%(delivery)s is not a delivery under the sales policy: it "
                        "needs no delivery notice.",
                        delivery=picking.name,
                    )
                )
                continue
            active = picking.sg_notice_ids.filtered(lambda n: n._sg_valid(today))
            if active:
                errors.append(
                    _(
                        "%(delivery)s already has the valid delivery notice "
                        "%(notice)s (valid until %(date)s). Cancel it first to issue "
                        "a new one.",
                        delivery=picking.name,
                        notice=active[0].name,
                        date=active[0].valid_until,
                    )
                )
                continue
            lines = picking._sg_notice_lines(limit)
            if not lines or all(
                float_is_zero(line["qty_limit"], precision_digits=6) for line in lines
            ):
                if limit["amount"] is None:
                    todo = _(
                        "Nothing approved remains to ship on credit: apply for (more) "
                        "credit and have the application approved, or collect payment "
                        "and switch the order to prepayment."
                    )
                else:
                    todo = _(
                        "The customer's available prepaid balance (%(balance)s) pays "
                        "for nothing of it: collect a payment first (prepayment: "
                        "goods leave only against money received).",
                        balance=format_amount(
                            self.env, limit["amount"], limit["currency"]
                        ),
                    )
                errors.append(
                    _(
                        "The loading limit of %(delivery)s is zero: no delivery "
                        "notice can be issued. %(todo)s",
                        delivery=picking.name,
                        todo=todo,
                    )
                )
                continue
            # Expired notices make room for the new one.
            stale = picking.sg_notice_ids.filtered(
                lambda n: n.state in ("issued", "loaded")
            )
            if stale:
                stale._sg_protected_write({"state": "cancel"})
            company = picking.company_id
            vals_list.append(
                {
                    "picking_id": picking.id,
                    "company_id": company.id,
                    "partner_id": picking.partner_id.commercial_partner_id.id,
                    "order_id": picking.sale_id.id,
                    "issued_by_id": self.env.uid,
                    "issue_date": fields.Datetime.now(),
                    "valid_until": today
                    + timedelta(days=max(0, company.sg_delivery_notice_validity_days)),
                    "limit_type": "quantity" if limit["amount"] is None else "amount",
                    "currency_id": limit["currency"].id,
                    "amount_limit": limit["amount"] or 0.0,
                    "line_ids": [(0, 0, vals) for vals in lines],
                }
            )
        if errors:
            raise UserError("\n\n".join(errors))
        notices = self.env["sale.governance.delivery.notice"]._sg_protected_create(
            vals_list
        )
        for company in notices.company_id:
            partners = group_partners(self.env, (GROUP_DISPATCHER,), company)
            company_notices = notices.filtered(lambda n, c=company: n.company_id == c)
            for notice in company_notices:
                notice.sudo().message_post(
                    body=_(
                        "Delivery notice %(notice)s issued for %(delivery)s "
                        "(%(customer)s): the dispatcher may organise the loading "
                        "within the loading limit.",
                        notice=notice.name,
                        delivery=notice.picking_id.name,
                        customer=notice.partner_id.display_name,
                    ),
                    partner_ids=partners.ids,
                    subtype_xmlid="mail.mt_comment",
                )
        return notices

    def _sg_notice_lines(self, limit):
        """Values of the notice lines of this delivery: one per product, in the
        product's UoM."""
        self.ensure_one()
        ordered = defaultdict(float)
        prices = {}
        for move in self._sg_dispatch_moves():
            product = move.product_id
            ordered[product] += move.product_uom._compute_quantity(
                move.product_uom_qty, product.uom_id
            )
            if product not in prices:
                prices[product] = self._sg_unit_price(move, limit["currency"])
        lines = []
        for product, qty in ordered.items():
            allowed = max(0.0, limit["quantities"].get(product.id, 0.0))
            lines.append(
                {
                    "product_id": product.id,
                    "uom_id": product.uom_id.id,
                    "qty_ordered": qty,
                    "qty_limit": min(qty, allowed),
                    "price_unit": prices[product],
                }
            )
        return lines

    def _sg_unit_price(self, move, currency):
        """Price per unit of the product's UoM, tax included, in ``currency`` (the
        order's price)."""
        sale_line = (
            move.sale_line_id
            or self.sale_id.order_line.filtered(
                lambda line: line.product_id == move.product_id
            )[:1]
        )
        if not sale_line:
            return move.product_id.lst_price
        price = sale_line.product_uom._compute_price(
            sale_line.price_reduce_taxinc, move.product_id.uom_id
        )
        order = sale_line.order_id
        if order.currency_id != currency:
            price = order.currency_id._convert(
                price, currency, order.company_id, fields.Date.context_today(self)
            )
        return price

    def _sg_set_loaded_quantities(self, quantities):
        """Put the weighed quantities (``{product: qty in its UoM}``) on the moves: the
        delivery ships, and invoices (delivered quantities), what the weighbridge
        measured."""
        self.ensure_one()
        moves = self._sg_dispatch_moves()
        for product, qty in quantities.items():
            product_moves = moves.filtered(lambda m, p=product: m.product_id == p)
            for i, move in enumerate(product_moves):
                move_qty = product.uom_id._compute_quantity(qty, move.product_uom)
                if i < len(product_moves) - 1:
                    move_qty = min(move_qty, move.product_uom_qty)
                move.quantity = move_qty
                move.picked = True
                qty -= move.product_uom._compute_quantity(move_qty, product.uom_id)
        for move in moves.filtered(lambda m: m.product_id not in quantities):
            move.quantity = 0.0
            move.picked = True

    def _sg_shipping_quantities(self):
        """{product: quantity in its UoM} this validation ships (the picked moves, or
        all)."""
        self.ensure_one()
        moves = self._sg_dispatch_moves()
        any_picked = any(moves.mapped("picked"))
        shipping = defaultdict(float)
        for move in moves:
            if move.quantity > 0 and (move.picked or not any_picked):
                shipping[move.product_id] += move.product_uom._compute_quantity(
                    move.quantity, move.product_id.uom_id
                )
        return shipping

    def _sg_check_dispatch_gate(self):
        """No governed delivery is validated without a valid delivery notice, its
        loading recorded, nor above the loading limit; prepaid goods weighed above the
        balance are paid first."""
        pickings = self.filtered(
            lambda p: p.state not in ("done", "cancel")
            and p.company_id.sg_delivery_notice_required
        )
        if not pickings:
            return
        limits = pickings._sg_loading_limit()
        gated = pickings.filtered(
            lambda p: limits.get(p.id) is not None and p._sg_dispatch_moves()
        )
        if not gated:
            return
        gated.sg_notice_ids.line_ids.fetch(
            ["product_id", "qty_limit", "qty_loaded", "price_unit", "uom_id"]
        )
        today = fields.Date.context_today(self)
        errors = []
        for picking in gated:
            limit = limits[picking.id]
            notice = picking.sg_notice_id
            if not notice or notice.state not in ("issued", "loaded"):
                errors.append(
                    _(
                        "%(delivery)s has no delivery notice: goods under the sales "
                        "policy are loaded and shipped only after an invoicing clerk "
                        "issues one. Ask an invoicing clerk to issue it.",
                        delivery=picking.name,
                    )
                )
                continue
            if not notice._sg_valid(today):
                errors.append(
                    _(
                        "The delivery notice %(notice)s of %(delivery)s expired on "
                        "%(date)s. Ask an invoicing clerk to issue a new one (the "
                        "loading limit is checked again).",
                        notice=notice.name,
                        delivery=picking.name,
                        date=notice.valid_until,
                    )
                )
                continue
            if notice.state != "loaded":
                errors.append(
                    _(
                        "%(delivery)s: the dispatcher has not recorded the loading of "
                        "%(notice)s yet (vehicle, driver, weighed quantities). Ask a "
                        "dispatcher to record it.",
                        delivery=picking.name,
                        notice=notice.name,
                    )
                )
                continue
            lines = notice._sg_line_by_product()
            shipping = picking._sg_shipping_quantities()
            shipped_lines = {}
            for product, qty in shipping.items():
                line = lines.get(product)
                loaded = line.qty_loaded if line else 0.0
                uom = product.uom_id
                if float_compare(qty, loaded, precision_rounding=uom.rounding) > 0:
                    errors.append(
                        _(
                            "%(delivery)s would ship %(qty)s %(uom)s of %(product)s "
                            "but %(loaded)s %(uom)s were weighed for the delivery "
                            "notice %(notice)s. Ask the dispatcher to record the "
                            "loading again.",
                            delivery=picking.name,
                            qty=qty,
                            uom=uom.name,
                            product=product.display_name,
                            loaded=loaded,
                            notice=notice.name,
                        )
                    )
                    continue
                shipped_lines[line] = qty
                if limit["amount"] is None:
                    allowed = min(
                        line.qty_limit, limit["quantities"].get(product.id, 0.0)
                    )
                    if float_compare(qty, allowed, precision_rounding=uom.rounding) > 0:
                        errors.append(
                            _(
                                "%(delivery)s would ship %(qty)s %(uom)s of "
                                "%(product)s, above the loading limit of %(allowed)s "
                                "%(uom)s of %(notice)s. Reduce the quantity (the rest "
                                "waits in a backorder) or have more credit approved "
                                "and a new notice issued.",
                                delivery=picking.name,
                                qty=qty,
                                uom=uom.name,
                                product=product.display_name,
                                allowed=allowed,
                                notice=notice.name,
                            )
                        )
            if limit["amount"] is not None and shipped_lines:
                value = notice._sg_loaded_value(shipped_lines)
                currency = notice.currency_id
                if currency.compare_amounts(value, limit["amount"]) > 0:
                    errors.append(
                        _(
                            "To collect before exit: the weighed goods of "
                            "%(delivery)s are worth %(value)s but the customer's "
                            "available prepaid balance is %(balance)s. The customer "
                            "pays %(amount)s at finance (payment registered by "
                            "finance) before the goods leave.",
                            delivery=picking.name,
                            value=format_amount(self.env, value, currency),
                            balance=format_amount(self.env, limit["amount"], currency),
                            amount=format_amount(
                                self.env, value - limit["amount"], currency
                            ),
                        )
                    )
        if errors:
            raise UserError("\n\n".join(errors))

    def _sg_load_to_limit(self, vehicle_plate, driver_name):
        """Record the loading of the current notice with every line weighed at its
        loading limit (demo data and tests; the dispatcher uses the Record Loading
        wizard)."""
        self.ensure_one()
        notice = self.sg_notice_id
        return notice._sg_record_loading(
            vehicle_plate,
            driver_name,
            {line: line.qty_limit for line in notice.line_ids},
        )

    def _sg_issue_gate_passes(self):
        """A gate pass (出门证) for each done delivery loaded against a delivery
        notice."""
        done = self.filtered(lambda p: p.state == "done")
        if not done:
            return self.env["sale.governance.gate.pass"]
        notices = done.sg_notice_ids.filtered(lambda n: n.state == "loaded")
        if not notices:
            return self.env["sale.governance.gate.pass"]
        passes = self.env["sale.governance.gate.pass"]._sg_protected_create(
            [
                {
                    "picking_id": notice.picking_id.id,
                    "notice_id": notice.id,
                    "company_id": notice.company_id.id,
                    "partner_id": notice.partner_id.id,
                    "vehicle_plate": notice.vehicle_plate,
                    "driver_name": notice.driver_name,
                }
                for notice in notices
            ]
        )
        notices._sg_protected_write({"state": "done"})
        return passes
