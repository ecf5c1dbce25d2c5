from collections import defaultdict

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero, float_round, format_amount


class StockPicking(models.Model):
    _inherit = "stock.picking"

    credit_gate_info = fields.Text(
        string="May Ship Now",
        compute="_compute_credit_gate_info",
        help="What the credit-sale application or the customer's prepaid balance "
        "allows to ship to the customer now (sales policy: never ship more than "
        "approved or paid).",
    )
    credit_gate_level = fields.Selection(
        [
            ("ok", "Within what may ship"),
            ("warning", "More than may ship"),
            ("danger", "Nothing may ship"),
        ],
        string="May Ship Now Status",
        compute="_compute_credit_gate_info",
    )

    def _compute_credit_gate_info(self):
        self.credit_gate_info = False
        self.credit_gate_level = False
        pickings = self.filtered(lambda p: p.id and p.state not in ("done", "cancel"))
        # The first question, as superuser: does any of them ship goods of a governed
        # order?
        moves = pickings._sg_credit_gate_moves(to_ship_only=False)
        if not moves:
            return
        figures = self._sg_credit_gate_figures(moves)
        for picking in moves.picking_id:
            findings = self._sg_credit_gate_findings(
                moves.filtered(lambda m, p=picking: m.picking_id == p),
                figures,
                cumulative=False,
            )
            lines = [finding["info"] for finding in findings]
            lines += [finding["error"] for finding in findings if finding["error"]]
            picking = picking.with_env(self.env)
            picking.credit_gate_info = "\n".join(lines) or False
            picking.credit_gate_level = self._sg_credit_gate_level(findings)

    def _sg_stock_gates(self):
        """The delivery gate runs third, before core's ``_action_done`` (governance)."""
        return super()._sg_stock_gates() + [
            (30, "credit", "_sg_credit_gate_check", None)
        ]

    # ------------------------------------------------------------------ gate

    def _sg_credit_gate_check(self):
        """The delivery gate: refuse to ship more than approved (credit) or paid
        (prepayment).

        Decides first, as superuser and without reading sales data as the user, whether
        any move ships goods of an order under the policy; ungoverned deliveries go on
        as in core Odoo. Then it locks what it decides on while reading the figures, so
        two deliveries validated at the same moment cannot both pass on the same
        allowance. Only the refusals are worded (the form's texts are not needed here).
        """
        moves = self._sg_credit_gate_moves(to_ship_only=True)
        if not moves:
            return
        findings = self._sg_credit_gate_findings(
            moves,
            self._sg_credit_gate_figures(moves, lock=True),
            cumulative=True,
            with_info=False,
        )
        errors = [finding["error"] for finding in findings if finding["error"]]
        if errors:
            raise UserError("\n\n".join(errors))

    def _sg_credit_gate_moves(self, to_ship_only=True):
        """Moves of ``self`` (as superuser) that hand goods to the customer for a
        governed order.

        Earlier steps of multi-step routes (pick, pack) end in internal locations and
        returns start at the customer: neither is gated. A move counts as governed when
        its order line's order or its picking's order is under the policy (the
        ``governed`` flag fixed on the order, never its team or anything else the
        salesperson writes).
        """
        # The moves as superuser, prefetched together (reading sales data needs no user
        # right).
        moves = (
            self.env["stock.move"]
            .sudo()
            .browse(self.move_ids.ids)
            .filtered(
                lambda m: m.state not in ("done", "cancel")
                and (m.sale_line_id or m.picking_id.sale_id)
                and m.location_dest_id.usage == "customer"
                and m.location_id.usage != "customer"
            )
        )
        if not moves:
            return moves
        moves = moves.filtered(lambda m: self._sg_credit_gate_order(m))
        if to_ship_only and moves:
            picked = {p for p in moves.picking_id if any(p.move_ids.mapped("picked"))}
            moves = moves.filtered(
                lambda m: m.quantity > 0 and (m.picked or m.picking_id not in picked)
            )
        return moves

    def _sg_credit_gate_evaluate(self, cumulative=True):
        """Check the moves of ``self`` against the policy (kept for tests and
        benchmarks).

        Returns ``{'errors': [...], 'info': [...], 'level': ...}``. With ``cumulative``
        the pickings of ``self`` are validated together, so what each ships counts
        against the same allowance.
        """
        moves = self._sg_credit_gate_moves(to_ship_only=cumulative)
        if not moves:
            return {"errors": [], "info": [], "level": False}
        findings = self._sg_credit_gate_findings(
            moves, self._sg_credit_gate_figures(moves), cumulative
        )
        return {
            "errors": [finding["error"] for finding in findings if finding["error"]],
            "info": [finding["info"] for finding in findings],
            "level": self._sg_credit_gate_level(findings),
        }

    @staticmethod
    def _sg_credit_gate_order(move):
        """The governed order ``move`` ships for (its line's order first), or an empty
        record."""
        order = move.sale_line_id.order_id
        if order.governed:
            return order
        order = move.picking_id.sale_id
        return order if order.governed else order.browse()

    # ------------------------------------------------------------------ figures

    def _sg_credit_gate_figures(self, moves, lock=False):
        """What may ship, read once for all ``moves`` (superuser).

        ``approved``/``delivered``: {(order, product): quantity in the product's unit}
        of credit orders; ``applications``: {order: names}; ``prepaid``: {(commercial
        partner, company): receivable figures (not ``overdue``) plus ``uninvoiced`` and
        ``available``}.

        With ``lock`` (the gate), the rows the figures come from are locked in the
        statements that read them, until the end of the transaction. Credit orders:
        their order lines and credit-sale applications (``FOR UPDATE``); shipping
        updates the delivered quantity of those lines, so a second delivery of the same
        order waits, then fails to serialize and is retried against the new figures.
        Prepayment: the customer's commercial partner row is updated in place (no value
        changes): the prepaid balance is shared by all the customer's orders, and only a
        row written by the first transaction makes the second one retry under
        PostgreSQL's repeatable read (the snapshot is the transaction's, so reading in
        the locking statement reads what a later statement would).
        """
        orders = moves.env["sale.order"].union(
            *[self._sg_credit_gate_order(m) for m in moves]
        )
        figures = {
            "approved": {},
            "delivered": defaultdict(float),
            "applications": {},
            "prepaid": {},
        }
        if lock and orders:
            self.env.flush_all()
        credit_orders = orders.filtered(lambda o: o.payment_mode == "credit")
        if credit_orders:
            figures["approved"], figures["applications"] = (
                self._sg_credit_gate_approved(credit_orders, lock)
            )
            for line in credit_orders.order_line:
                if line.product_id and line.qty_delivered:
                    figures["delivered"][line.order_id, line.product_id] += (
                        line.product_uom._compute_quantity(
                            line.qty_delivered, line.product_id.uom_id
                        )
                    )
        prepaid_orders = orders - credit_orders
        if prepaid_orders:
            keys = {
                (o.partner_id.commercial_partner_id, o.company_id)
                for o in prepaid_orders
            }
            figures["prepaid"] = self._sg_credit_gate_prepaid_balances(keys, lock)
        return figures

    def _sg_credit_gate_approved(self, orders, lock=False):
        """``({(order, product): approved quantity in the product's base unit}, {order:
        names of its approved applications})`` of the credit ``orders``, in one
        statement.

        What is approved: the lines of the approved and settled applications, each
        with the product and base-unit quantity it was approved for (a later change of
        the order line does not change it). Read as superuser like the rest of the
        gate's figures, so without record rules. SQL rather than a search and three
        reads, because with ``lock`` the same statement locks the orders' lines and all
        their applications (``FOR UPDATE``, lines first), as
        :meth:`_sg_credit_gate_figures` explains.
        """
        Application = self.env["sale.governance.credit.application"]
        Application.flush_model(["order_id", "name", "state"])
        self.env["sale.governance.credit.application.line"].flush_model(
            ["application_id", "product_id", "quantity_base"]
        )
        for_update = SQL("FOR UPDATE") if lock else SQL()
        query = SQL(
            """
            WITH applications AS MATERIALIZED (
                SELECT id, order_id, name, state
                  FROM sale_governance_credit_application
                 WHERE order_id IN %(orders)s
                 ORDER BY id
                %(for_update)s
            )
            SELECT a.id, a.order_id, a.name, a.state, l.product_id, l.quantity_base
              FROM applications a
              LEFT JOIN sale_governance_credit_application_line l
                ON l.application_id = a.id
            """,
            orders=tuple(orders.ids),
            for_update=for_update,
        )
        if lock:
            # The order lines first (as every delivery of these orders locks them),
            # then the applications; the count reads every locked line.
            query = SQL(
                """
                WITH order_lines AS MATERIALIZED (
                    SELECT id FROM sale_order_line
                     WHERE order_id IN %(orders)s
                     ORDER BY id
                       FOR UPDATE
                )
                SELECT NULL, NULL, NULL, NULL, NULL, COUNT(*)::float FROM order_lines
                 UNION ALL
                (%(query)s)
                """,
                orders=tuple(orders.ids),
                query=query,
            )
        approved = defaultdict(float)
        names = {}
        Order = self.env["sale.order"].sudo()
        Product = self.env["product.product"].sudo()
        # newest application first, as they are listed (the lock's count row last)
        for app_id, order_id, name, state, product_id, quantity in sorted(
            self.env.execute_query(query), key=lambda row: -(row[0] or 0)
        ):
            if state not in ("approved", "settled"):
                continue
            order = Order.browse(order_id).with_prefetch(orders._prefetch_ids)
            names.setdefault(order, {})[app_id] = name
            if product_id:
                approved[order, Product.browse(product_id)] += quantity
        applications = {order: ", ".join(n.values()) for order, n in names.items()}
        return approved, applications

    def _sg_credit_gate_findings(self, moves, figures, cumulative, with_info=True):
        """One finding per (credit order, product) and per (prepayment customer,
        company).

        Each finding: ``info`` (what may ship; False without ``with_info``: the gate
        words its refusals only), ``error`` (the refusal, or False), ``nothing``
        (nothing may ship at all), ``exceeds`` (this shipment is more than may ship).
        """
        findings = []
        credit_moves = moves.filtered(
            lambda m: self._sg_credit_gate_order(m).payment_mode == "credit"
        )
        if credit_moves:
            findings += self._sg_credit_gate_credit(
                credit_moves, figures, cumulative, with_info
            )
        if moves - credit_moves:
            findings += self._sg_credit_gate_prepayment(
                moves - credit_moves, figures, cumulative, with_info
            )
        return findings

    @staticmethod
    def _sg_credit_gate_move_qty(move, cumulative):
        """Quantity a move ships (its unit): what is set on it, else (form only) its
        demand."""
        if cumulative or not float_is_zero(
            move.quantity, precision_rounding=move.product_uom.rounding
        ):
            return move.quantity
        return move.product_uom_qty

    def _sg_credit_gate_level(self, findings):
        if not findings:
            return False
        if all(finding["nothing"] for finding in findings):
            return "danger"
        if any(finding["exceeds"] for finding in findings):
            return "warning"
        return "ok"

    def _sg_credit_gate_remaining(self, figures, order, product):
        allowed = figures["approved"].get((order, product), 0.0)
        done = figures["delivered"].get((order, product), 0.0)
        return allowed, done, max(0.0, allowed - done)

    def _sg_credit_gate_credit(self, moves, figures, cumulative, with_info=True):
        shipping = defaultdict(float)
        for move in moves:
            shipping[self._sg_credit_gate_order(move), move.product_id] += (
                move.product_uom._compute_quantity(
                    self._sg_credit_gate_move_qty(move, cumulative),
                    move.product_id.uom_id,
                )
            )
        findings = []
        for order, product in sorted(shipping, key=lambda k: (k[0].id, k[1].id)):
            allowed, done, remaining = self._sg_credit_gate_remaining(
                figures, order, product
            )
            uom = product.uom_id
            app_names = figures["applications"].get(order)
            qty = shipping[order, product]
            exceeds = float_compare(qty, remaining, precision_rounding=uom.rounding) > 0
            finding = {
                "nothing": float_is_zero(remaining, precision_rounding=uom.rounding),
                "exceeds": exceeds,
                "error": False,
                "info": with_info
                and _(
                    "%(order)s (credit sale %(apps)s): %(product)s: %(remaining)s "
                    "%(uom)s may be shipped (approved %(allowed)s, delivered "
                    "%(done)s).",
                    order=order.name,
                    apps=app_names or _("no approved application"),
                    product=product.display_name,
                    remaining=remaining,
                    uom=uom.name,
                    allowed=allowed,
                    done=done,
                ),
            }
            if exceeds:
                if not app_names:
                    todo = _(
                        "File a credit-sale application for the order and have it "
                        "approved, or collect payment and switch the order to "
                        "prepayment."
                    )
                elif finding["nothing"]:
                    todo = _(
                        "Nothing more of it may ship: apply for more credit (a new "
                        "credit-sale application) or have the customer pay first."
                    )
                else:
                    todo = _(
                        "Reduce the quantity to ship to %(remaining)s %(uom)s (the "
                        "rest waits in a backorder), or apply for more credit.",
                        remaining=remaining,
                        uom=uom.name,
                    )
                finding["error"] = _(
                    "Over-shipping is forbidden: %(order)s is a credit sale and this "
                    "delivery would ship %(qty)s %(uom)s of %(product)s, but only "
                    "%(remaining)s %(uom)s remain approved (approved %(allowed)s, "
                    "already delivered %(done)s): %(shortfall)s %(uom)s too many. "
                    "%(todo)s",
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
            findings.append(finding)
        return findings

    def _sg_credit_gate_prepayment(self, moves, figures, cumulative, with_info=True):
        """Goods of prepayment orders may leave up to the customer's available prepaid
        balance."""
        partners = defaultdict(lambda: self.env["stock.move"].sudo())
        for move in moves:
            order = self._sg_credit_gate_order(move)
            partners[order.partner_id.commercial_partner_id, order.company_id] |= move
        findings = []
        for (partner, company), partner_moves in partners.items():
            currency = company.currency_id
            value = self._sg_credit_gate_moves_value(partner_moves, company, cumulative)
            prepaid = figures["prepaid"][partner, company]
            balance = prepaid["available"]
            fmt = lambda amount, c=currency: format_amount(self.env, amount, c)  # noqa: E731
            # A delivery worth nothing (or already invoiced) costs nothing more.
            exceeds = (
                currency.compare_amounts(value, 0.0) > 0
                and currency.compare_amounts(value, balance) > 0
            )
            finding = {
                "nothing": currency.compare_amounts(balance, 0.0) <= 0,
                "exceeds": exceeds,
                "error": False,
                "info": with_info
                and _(
                    "Prepayment: %(partner)s has an available prepaid balance of "
                    "%(balance)s; the goods of this delivery are worth %(value)s.",
                    partner=partner.display_name,
                    balance=fmt(balance),
                    value=fmt(value),
                ),
            }
            if exceeds:
                if currency.is_zero(prepaid["payments"]):
                    why = _(
                        "No payment yet: nothing has been received on account (or "
                        "every payment is already matched to its invoices)."
                    )
                    todo = _(
                        "Collect a prepayment of at least %(shortfall)s, reduce the "
                        "quantities to ship (the rest waits in a backorder), or "
                        "switch the order to credit sale and file a credit-sale "
                        "application.",
                        shortfall=fmt(value - balance),
                    )
                elif currency.is_zero(prepaid["invoices"] + prepaid["uninvoiced"]):
                    why = _(
                        "The payments on account (%(payments)s) cover only part of "
                        "this delivery.",
                        payments=fmt(prepaid["payments"]),
                    )
                    todo = _(
                        "Collect a further payment of at least %(shortfall)s, or "
                        "reduce the quantities to ship (the rest waits in a "
                        "backorder).",
                        shortfall=fmt(value - balance),
                    )
                else:
                    why = _(
                        "Unpaid invoices consume the balance: payments on account of "
                        "%(payments)s, less unpaid invoices of %(invoices)s and goods "
                        "delivered but not yet invoiced worth %(uninvoiced)s.",
                        payments=fmt(prepaid["payments"]),
                        invoices=fmt(prepaid["invoices"]),
                        uninvoiced=fmt(prepaid["uninvoiced"]),
                    )
                    todo = _(
                        "Have the open invoices paid or collect a further payment of "
                        "at least %(shortfall)s, or reduce the quantities to ship "
                        "(the rest waits in a backorder).",
                        shortfall=fmt(value - balance),
                    )
                finding["error"] = _(
                    "Over-shipping is forbidden: this delivery to %(partner)s ships "
                    "goods worth %(value)s but the customer's available prepaid "
                    "balance is %(balance)s, %(shortfall)s short. %(why)s %(todo)s",
                    partner=partner.display_name,
                    value=fmt(value),
                    balance=fmt(balance),
                    why=why,
                    shortfall=fmt(value - balance),
                    todo=todo,
                )
            findings.append(finding)
        return findings

    def _sg_credit_gate_unit_values(self, move):
        """(sale line, quantity of the move already paid through an invoice, value per
        move unit)."""
        order = self._sg_credit_gate_order(move)
        sale_line = move.sale_line_id
        if not sale_line or sale_line.order_id != order:
            sale_line = order.order_line.filtered(
                lambda line, p=move.product_id: line.product_id == p
            )[:1]
        if not sale_line:
            product = move.product_id
            return (
                sale_line,
                0.0,
                product.uom_id._compute_price(product.lst_price, move.product_uom),
            )
        # Units invoiced but not delivered yet are paid through their invoice.
        prepaid_qty = sale_line.product_uom._compute_quantity(
            max(0.0, sale_line.qty_invoiced - sale_line.qty_delivered), move.product_uom
        )
        unit_value = sale_line.product_uom._compute_price(
            sale_line.price_reduce_taxinc, move.product_uom
        )
        return sale_line, prepaid_qty, unit_value

    def _sg_credit_gate_moves_value(self, moves, company, cumulative=True):
        """Value (tax included, company currency) of the goods in ``moves`` not yet
        invoiced."""
        per_currency = defaultdict(float)
        for move in moves:
            qty = self._sg_credit_gate_move_qty(move, cumulative)
            _line, prepaid_qty, unit_value = self._sg_credit_gate_unit_values(move)
            per_currency[self._sg_credit_gate_order(move).currency_id] += (
                max(0.0, qty - prepaid_qty) * unit_value
            )
        return self._sg_credit_gate_to_company_currency(per_currency, company)

    def _sg_credit_gate_to_company_currency(self, per_currency, company):
        """The sum of ``per_currency`` ({currency: amount}) in ``company``'s currency
        (today's rate)."""
        total = 0.0
        today = None
        for currency, amount in per_currency.items():
            if currency != company.currency_id:
                today = today or fields.Date.context_today(self)
                amount = currency._convert(amount, company.currency_id, company, today)
            total += amount
        return total

    def _sg_credit_gate_prepaid_balances(self, keys, lock=False):
        """{(commercial partner, company): receivable figures + ``uninvoiced`` +
        ``available``}.

        available = payments on account - unpaid invoices (the open residuals of the
        customer's posted receivable lines, ``res.partner._sg_receivable_figures``) -
        the value of goods delivered and not invoiced on governed prepayment orders.

        One statement, as superuser reads (no record rules): the receivables (the
        statement of ``_sg_receivable_figures``) and the goods not invoiced (summed in
        SQL rather than a search and a read of every such order line and its order);
        with ``lock``, it also updates the commercial partners' rows in place (see
        :meth:`_sg_credit_gate_figures`).
        """
        if not keys:
            return {}
        partners = self.env["res.partner"].sudo().union(*[k[0] for k in keys])
        companies = self.env["res.company"].sudo().union(*[k[1] for k in keys])
        self.env["sale.order.line"].flush_model(
            [
                "order_id",
                "company_id",
                "currency_id",
                "state",
                "qty_delivered",
                "qty_invoiced",
                "price_reduce_taxinc",
            ]
        )
        self.env["sale.order"].flush_model(["partner_id", "governed", "payment_mode"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        query = SQL(
            """
            SELECT 'receivable', r.*, NULL::int4 FROM (%(receivables)s) r
             UNION ALL
            SELECT 'uninvoiced', p.commercial_partner_id, l.company_id,
                   SUM((l.qty_delivered - l.qty_invoiced) * l.price_reduce_taxinc),
                   NULL, NULL, NULL, l.currency_id
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_partner p ON p.id = o.partner_id
             WHERE p.commercial_partner_id IN %(partners)s
               AND l.company_id IN %(companies)s
               AND o.governed
               AND o.payment_mode = 'prepayment'
               AND l.state = 'sale'
               AND l.qty_delivered > 0
               AND l.qty_delivered > l.qty_invoiced
             GROUP BY p.commercial_partner_id, l.company_id, l.currency_id
            """,
            # no overdue figure: the balance does not depend on the date
            receivables=partners._sg_receivable_figures_sql(companies, date=False),
            partners=tuple(partners.ids),
            companies=tuple(companies.ids),
        )
        if lock:
            query = SQL(
                """
                WITH locked AS (
                    UPDATE res_partner SET write_date = write_date
                     WHERE id IN %(partners)s
                 RETURNING id
                )
                %(query)s
                """,
                partners=tuple(sorted(partners.ids)),
                query=query,
            )
        rows = self.env.execute_query(query)
        receivables = partners._sg_receivable_figures_from_rows(
            [row[1:7] for row in rows if row[0] == "receivable"]
        )
        uninvoiced = defaultdict(lambda: defaultdict(float))
        Currency = self.env["res.currency"].sudo()
        for kind, partner_id, company_id, amount, *_figures, currency_id in rows:
            if kind == "uninvoiced":
                key = (partners.browse(partner_id), companies.browse(company_id))
                uninvoiced[key][Currency.browse(currency_id)] += amount
        result = {}
        for partner, company in keys:
            figures = dict(receivables[partner, company])
            del figures["overdue"]
            figures["uninvoiced"] = self._sg_credit_gate_to_company_currency(
                uninvoiced[partner, company], company
            )
            figures["available"] = -figures["balance"] - figures["uninvoiced"]
            result[partner, company] = figures
        return result

    # ------------------------------------------------------------------ loading limit
    # (dispatch)

    def _sg_loading_limit(self):
        """The credit feature's answer: what the delivery gate lets each picking ship
        now."""
        result = super()._sg_loading_limit()
        moves = self._sg_credit_gate_moves(to_ship_only=False)
        if not moves:
            return result
        figures = self._sg_credit_gate_figures(moves)
        for picking in moves.picking_id:
            picking_moves = moves.filtered(lambda m, p=picking: m.picking_id == p)
            currency = picking.company_id.currency_id
            quantities = defaultdict(float)
            amount = None
            seen = set()
            for move in picking_moves:
                order = self._sg_credit_gate_order(move)
                product = move.product_id
                if order.payment_mode == "credit":
                    if (order, product) not in seen:
                        seen.add((order, product))
                        quantities[product.id] += self._sg_credit_gate_remaining(
                            figures, order, product
                        )[2]
                    continue
                prepaid = figures["prepaid"][
                    order.partner_id.commercial_partner_id, order.company_id
                ]
                balance = max(0.0, prepaid["available"])
                amount = balance if amount is None else amount
                _line, prepaid_qty, unit_value = self._sg_credit_gate_unit_values(move)
                demand = move.product_uom_qty
                if unit_value > 0:
                    demand = min(demand, prepaid_qty + balance / unit_value)
                quantities[product.id] += float_round(
                    move.product_uom._compute_quantity(
                        demand, product.uom_id, round=False
                    ),
                    precision_rounding=product.uom_id.rounding,
                    rounding_method="DOWN",
                )
            result[picking.id] = {
                "quantities": dict(quantities),
                "amount": amount,
                "currency": currency,
            }
        return result

    # ------------------------------------------------------------------ links

    def write(self, vals):
        if "sale_id" in vals:
            self._sg_credit_check_sale_link(vals["sale_id"])
        return super().write(vals)

    def _sg_credit_check_sale_link(self, sale_id):
        """A governed delivery stays with its order; a done one never joins a governed
        order."""
        pickings = self.sudo()
        if any(p.sale_id.governed and p.sale_id.id != sale_id for p in pickings):
            raise UserError(
                _(
                    "A delivery of an order under the sales policy stays linked to "
                    "its order: the credit and prepayment delivery gate depends on it."
                )
            )
        new_order = self.env["sale.order"].sudo().browse(sale_id or [])
        if new_order.governed and any(
            p.state == "done" and p.sale_id != new_order for p in pickings
        ):
            raise UserError(
                _(
                    "A delivery that is already done cannot be linked afterwards to "
                    "%(order)s, which is under the sales policy: its goods left "
                    "without passing the delivery gate. Deliver the order's goods "
                    "with its own deliveries.",
                    order=new_order.name,
                )
            )
