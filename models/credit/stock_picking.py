from collections import defaultdict

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round, format_amount


class StockPicking(models.Model):
    _inherit = "stock.picking"

    credit_gate_info = fields.Text(
        string="May Ship Now",
        compute="_compute_credit_gate_info",
        help="What the credit-sale application or the customer's prepaid balance allows to "
        "ship to the customer now (sales policy: never ship more than approved or paid).",
    )

    def _compute_credit_gate_info(self):
        self.credit_gate_info = False
        pickings = self.filtered(lambda p: p.id and p.state not in ("done", "cancel"))
        for picking in pickings:
            report = picking._credit_gate_evaluate(cumulative=False)
            picking.credit_gate_info = "\n".join(report["info"]) or False

    def _action_done(self):
        if not self._credit_gate_bypassed():
            report = self._credit_gate_evaluate(cumulative=True)
            if report["errors"]:
                raise UserError("\n\n".join(report["errors"]))
        return super()._action_done()

    # ------------------------------------------------------------------ gate

    def _credit_gate_bypassed(self):
        """Sanctioned internal bypass only: superuser code with the flag, never a plain RPC context."""
        return self.env.su and self.env.context.get("credit_gate_bypass")

    def _credit_gate_moves(self, to_ship_only=True):
        """Moves of ``self`` that hand goods to the customer for a governed order.

        Earlier steps of multi-step routes (pick, pack) end in internal locations and returns
        start at the customer: neither is gated.
        """
        moves = self.move_ids
        moves.fetch(
            ["state", "location_id", "location_dest_id", "sale_line_id", "picking_id", "quantity",
             "picked", "product_id", "product_uom"]
        )
        moves.sale_line_id.fetch(["order_id", "product_id", "product_uom", "qty_delivered"])
        moves = moves.filtered(
            lambda m: m.state not in ("done", "cancel")
            and m.location_dest_id.usage == "customer"
            and m.location_id.usage != "customer"
            and (m.sale_line_id.order_id or m.picking_id.sale_id).governed
        )
        if to_ship_only:
            moves = moves.filtered(
                lambda m: m.quantity > 0 and (m.picked or not any(m.picking_id.move_ids.mapped("picked")))
            )
        return moves

    def _credit_gate_evaluate(self, cumulative=True):
        """Check the moves of ``self`` against the policy.

        Returns ``{'errors': [...], 'info': [...]}``. With ``cumulative`` the pickings of
        ``self`` are validated together, so what each ships counts against the same allowance.
        """
        errors, info = [], []
        moves = self._credit_gate_moves(to_ship_only=cumulative)
        if not moves:
            return {"errors": errors, "info": info}
        orders = moves.sale_line_id.order_id | moves.picking_id.sale_id
        credit_moves = moves.filtered(lambda m: self._credit_gate_order(m).payment_mode == "credit")
        prepaid_moves = moves - credit_moves
        if credit_moves:
            self._credit_gate_credit(credit_moves, orders, errors, info, cumulative)
        if prepaid_moves:
            self._credit_gate_prepayment(prepaid_moves, errors, info, cumulative)
        return {"errors": errors, "info": info}

    def _credit_gate_order(self, move):
        return move.sale_line_id.order_id or move.picking_id.sale_id

    def _credit_gate_credit(self, moves, orders, errors, info, cumulative):
        credit_orders = orders.filtered(lambda o: o.payment_mode == "credit")
        applications = (
            self.env["sale.governance.credit.application"]
            .sudo()
            .search([("order_id", "in", credit_orders.ids), ("state", "in", ("approved", "settled"))])
        )
        approved = applications._approved_quantities()
        delivered = defaultdict(float)
        for line in credit_orders.sudo().order_line:
            if line.product_id and line.qty_delivered:
                delivered[line.order_id, line.product_id] += line.product_uom._compute_quantity(
                    line.qty_delivered, line.product_id.uom_id
                )
        shipping = defaultdict(float)
        for move in moves:
            if not cumulative and not move.quantity:
                continue
            shipping[self._credit_gate_order(move), move.product_id] += move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
        keys = {(self._credit_gate_order(m), m.product_id) for m in moves}
        for order, product in sorted(keys, key=lambda k: (k[0].id, k[1].id)):
            allowed = approved.get((order, product), 0.0)
            done = delivered.get((order, product), 0.0)
            remaining = max(0.0, allowed - done)
            uom = product.uom_id
            app_names = ", ".join(applications.filtered(lambda a, o=order: a.order_id == o).mapped("name"))
            info.append(
                _(
                    "%(order)s (credit sale %(apps)s): %(product)s: %(remaining)s %(uom)s may be "
                    "shipped (approved %(allowed)s, delivered %(done)s).",
                    order=order.name,
                    apps=app_names or _("no approved application"),
                    product=product.display_name,
                    remaining=remaining,
                    uom=uom.name,
                    allowed=allowed,
                    done=done,
                )
            )
            qty = shipping.get((order, product), 0.0)
            if float_compare(qty, remaining, precision_rounding=uom.rounding) > 0:
                if not app_names:
                    todo = _(
                        "File a credit-sale application for the order and have it approved, or "
                        "collect payment and switch the order to prepayment."
                    )
                else:
                    todo = _(
                        "Reduce the quantity to ship to %(remaining)s %(uom)s (the rest waits in a "
                        "backorder), or apply for more credit.",
                        remaining=remaining,
                        uom=uom.name,
                    )
                errors.append(
                    _(
                        "Over-shipping is forbidden (严禁超发): %(order)s is a credit sale and this "
                        "delivery would ship %(qty)s %(uom)s of %(product)s, but only %(remaining)s "
                        "%(uom)s remain approved (approved %(allowed)s, already delivered "
                        "%(done)s): %(shortfall)s %(uom)s too many. %(todo)s",
                        order=order.name,
                        qty=qty,
                        uom=uom.name,
                        product=product.display_name,
                        remaining=remaining,
                        allowed=allowed,
                        done=done,
                        shortfall=qty - remaining,
                        todo=todo,
                    )
                )

    def _credit_gate_prepayment(self, moves, errors, info, cumulative):
        """Goods of prepayment orders may leave up to the customer's available prepaid balance."""
        partners = defaultdict(lambda: self.env["stock.move"])
        for move in moves:
            order = self._credit_gate_order(move)
            partners[order.partner_id.commercial_partner_id, order.company_id] |= move
        balances = self._credit_gate_prepaid_balances(list(partners))
        for (partner, company), partner_moves in partners.items():
            currency = company.currency_id
            value = self._credit_gate_moves_value(partner_moves, company)
            balance = balances.get((partner, company), 0.0)
            info.append(
                _(
                    "Prepayment: %(partner)s has an available prepaid balance of %(balance)s; the "
                    "goods of this delivery are worth %(value)s.",
                    partner=partner.display_name,
                    balance=format_amount(self.env, balance, currency),
                    value=format_amount(self.env, value, currency),
                )
            )
            if currency.compare_amounts(value, balance) > 0:
                errors.append(
                    _(
                        "Over-shipping is forbidden (严禁超发): this delivery to %(partner)s ships "
                        "goods worth %(value)s but the customer's available prepaid balance is "
                        "%(balance)s: %(shortfall)s short. Collect a payment of at least the "
                        "difference, reduce the quantities to ship (the rest waits in a "
                        "backorder), or switch the order to credit sale and file a credit-sale "
                        "application.",
                        partner=partner.display_name,
                        value=format_amount(self.env, value, currency),
                        balance=format_amount(self.env, balance, currency),
                        shortfall=format_amount(self.env, value - balance, currency),
                    )
                )

    def _credit_gate_moves_value(self, moves, company):
        """Value (tax included, company currency) of the goods in ``moves`` not yet invoiced."""
        per_order = defaultdict(float)
        for move in moves:
            order = self._credit_gate_order(move)
            sale_line = move.sale_line_id
            if not sale_line:
                sale_line = order.order_line.filtered(lambda l, p=move.product_id: l.product_id == p)[:1]
            if sale_line:
                qty = move.product_uom._compute_quantity(move.quantity, sale_line.product_uom)
                # Units invoiced but not delivered yet are paid through their invoice.
                prepaid_qty = max(0.0, sale_line.qty_invoiced - sale_line.qty_delivered)
                per_order[order] += max(0.0, qty - prepaid_qty) * sale_line.price_reduce_taxinc
            else:
                per_order[order] += move.quantity * move.product_id.lst_price
        return self._credit_gate_to_company_currency(per_order, company)

    def _credit_gate_to_company_currency(self, per_order, company):
        total = 0.0
        today = fields.Date.context_today(self)
        for order, amount in per_order.items():
            if order.currency_id != company.currency_id:
                amount = order.currency_id._convert(amount, company.currency_id, company, today)
            total += amount
        return total

    def _credit_gate_prepaid_balances(self, keys):
        """{(commercial partner, company): available prepaid balance in company currency}.

        balance = -(sum of the open residuals of the customer's posted receivable lines)
                  - value of goods delivered and not invoiced on governed prepayment orders.
        Payments not reconciled with invoices are negative residuals; posted unpaid invoices are
        positive residuals and consume them.
        """
        if not keys:
            return {}
        partners = self.env["res.partner"].union(*[k[0] for k in keys])
        companies = self.env["res.company"].union(*[k[1] for k in keys])
        residual = defaultdict(float)
        aml = self.env["account.move.line"].sudo()
        for partner, company, amount in aml._read_group(
            [
                ("partner_id", "child_of", partners.ids),
                ("company_id", "in", companies.ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
            ],
            ["partner_id", "company_id"],
            ["amount_residual:sum"],
        ):
            residual[partner.commercial_partner_id, company] += amount
        uninvoiced = defaultdict(lambda: defaultdict(float))
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("order_id.partner_id", "child_of", partners.ids),
                    ("company_id", "in", companies.ids),
                    ("order_id.governed", "=", True),
                    ("order_id.payment_mode", "=", "prepayment"),
                    ("state", "=", "sale"),
                    ("qty_delivered", ">", 0),
                ]
            )
        )
        for line in lines:
            qty = line.qty_delivered - line.qty_invoiced
            if qty > 0:
                key = (line.order_id.partner_id.commercial_partner_id, line.company_id)
                uninvoiced[key][line.order_id] += qty * line.price_reduce_taxinc
        return {
            (partner, company): -residual[partner, company]
            - self._credit_gate_to_company_currency(uninvoiced[partner, company], company)
            for partner, company in keys
        }

    def write(self, vals):
        if "sale_id" in vals and not self._credit_gate_bypassed():
            if any(p.sale_id.governed and p.sale_id.id != vals["sale_id"] for p in self):
                raise UserError(
                    _(
                        "A delivery of an order under the sales policy stays linked to its order: "
                        "the credit and prepayment delivery gate depends on it."
                    )
                )
        return super().write(vals)

    def _sg_loading_limit(self):
        """The credit side of the loading-limit hook (``models/governance/stock_picking.py``).

        Credit sale: the approved quantities not yet delivered (amount: None). Prepayment: the
        customer's available prepaid balance (amount) and, per product, the quantity it pays for
        at the order's price tax included, plus units already invoiced and not yet delivered.
        Computed with the same batched reads as the delivery gate.
        """
        result = super()._sg_loading_limit()
        moves = self.filtered(lambda p: p.state not in ("done", "cancel"))._credit_gate_moves(
            to_ship_only=False
        )
        if not moves:
            return result
        per_picking = defaultdict(lambda: self.env["stock.move"])
        for move in moves:
            per_picking[move.picking_id] |= move
        orders = moves.sale_line_id.order_id | moves.picking_id.sale_id
        credit_orders = orders.filtered(lambda o: o.payment_mode == "credit")
        approved, delivered = {}, defaultdict(float)
        if credit_orders:
            approved = (
                self.env["sale.governance.credit.application"]
                .sudo()
                .search([("order_id", "in", credit_orders.ids), ("state", "in", ("approved", "settled"))])
                ._approved_quantities()
            )
            for line in credit_orders.sudo().order_line:
                if line.product_id and line.qty_delivered:
                    delivered[line.order_id, line.product_id] += line.product_uom._compute_quantity(
                        line.qty_delivered, line.product_id.uom_id
                    )
        keys = {
            (self._credit_gate_order(m).partner_id.commercial_partner_id, self._credit_gate_order(m).company_id)
            for m in moves
            if self._credit_gate_order(m).payment_mode != "credit"
        }
        balances = self._credit_gate_prepaid_balances(list(keys))
        today = fields.Date.context_today(self)
        for picking, picking_moves in per_picking.items():
            order = self._credit_gate_order(picking_moves[0])
            company = order.company_id
            quantities = {}
            if order.payment_mode == "credit":
                for move in picking_moves:
                    key = (self._credit_gate_order(move), move.product_id)
                    quantities[move.product_id.id] = max(0.0, approved.get(key, 0.0) - delivered.get(key, 0.0))
                result[picking.id] = {"quantities": quantities, "amount": None, "currency": company.currency_id}
                continue
            balance = max(0.0, balances.get((order.partner_id.commercial_partner_id, company), 0.0))
            for move in picking_moves:
                product, uom = move.product_id, move.product_id.uom_id
                if product.id in quantities:
                    continue
                sale_line = move.sale_line_id or order.order_line.filtered(
                    lambda l, p=product: l.product_id == p
                )[:1]
                if not sale_line:
                    quantities[product.id] = 0.0
                    continue
                price = sale_line.product_uom._compute_price(sale_line.price_reduce_taxinc, uom)
                if order.currency_id != company.currency_id:
                    price = order.currency_id._convert(price, company.currency_id, company, today)
                prepaid = sale_line.product_uom._compute_quantity(
                    max(0.0, sale_line.qty_invoiced - sale_line.qty_delivered), uom
                )
                if company.currency_id.is_zero(price):
                    paid_for = move.product_uom._compute_quantity(move.product_uom_qty, uom)
                else:
                    paid_for = float_round(balance / price, precision_rounding=uom.rounding, rounding_method="DOWN")
                quantities[product.id] = paid_for + prepaid
            result[picking.id] = {"quantities": quantities, "amount": balance, "currency": company.currency_id}
        return result
