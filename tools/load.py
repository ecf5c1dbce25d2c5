"""make load: N simulated users drive the demo over JSON-RPC at once, then the
invariants are checked.

Run by tools/load.sh against an Odoo it started in multi-process mode on loopback. Each
simulated user loops over the five flows of the policy until the time or request bound
is reached:

  approval a salesperson submits a complete quotation; two level-1 approvers decide the
  same
             level at the same moment (one must be refused), then levels 2 and 3 approve
  credit a credit order with an approved credit-sale application ships in two parts
  prepaid a prepayment order is paid, then shipped receipt the warehouse receives
  inspected goods; the inspector records; the receipt is validated ticket a service
  ticket is created, taken, resolved and closed

Printed: throughput, p50/p95 latency per operation, refusals and errors, the server's
serialization retries, and the invariants checked at the end (exit 1 when one breaks):
no delivery beyond what was approved or paid, no level approved twice, no receipt
validated with a pending inspection, no lost ticket.
"""

import argparse
import http.client
import itertools
import json
import random
import statistics
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta


class RpcError(Exception):
    def __init__(self, data):
        self.data = data
        super().__init__(data.get("message", "error"))

    @property
    def kind(self):
        name = (self.data.get("data") or {}).get("name", "")
        return name.rsplit(".", 1)[-1] or "Error"


class Client:
    """One user's JSON-RPC connection (keep-alive), with latency bookkeeping per
    operation."""

    def __init__(self, host, port, db, login, stats):
        self.conn = http.client.HTTPConnection(host, port, timeout=120)
        self.db, self.login, self.stats = db, login, stats
        self.uid = self._call("common", "login", [db, login, login])
        if not self.uid:
            raise SystemExit(f"cannot log in as {login}")

    def _call(self, service, method, args):
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"service": service, "method": method, "args": args},
            }
        )
        for attempt in range(3):
            try:
                self.conn.request(
                    "POST", "/jsonrpc", body, {"Content-Type": "application/json"}
                )
                reply = json.loads(self.conn.getresponse().read())
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                if attempt == 2:
                    raise
        if reply.get("error"):
            raise RpcError(reply["error"])
        return reply.get("result")

    def __call__(self, model, method, *args, op=None, **kwargs):
        start = time.perf_counter()
        try:
            return self._call(
                "object",
                "execute_kw",
                [self.db, self.uid, self.login, model, method, list(args), kwargs],
            )
        except RpcError as exc:
            self.stats.refusal(op or f"{model}.{method}", exc)
            raise
        finally:
            self.stats.latency(op or f"{model}.{method}", time.perf_counter() - start)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.refusals = defaultdict(int)
        self.errors = []
        self.flows = defaultdict(int)
        self.messages = {}

    def latency(self, op, seconds):
        with self.lock:
            self.latencies[op].append(seconds)

    def refusal(self, op, exc):
        with self.lock:
            self.refusals[(op, exc.kind)] += 1
            self.messages.setdefault(
                (op, exc.kind), (exc.data.get("data") or {}).get("message", "")[:300]
            )
            if exc.kind not in ("UserError", "ValidationError", "AccessError"):
                self.errors.append(
                    f"{op}: {exc.kind}: "
                    f"{exc.data.get('data', {}).get('message', '')[:200]}"
                )

    def flow(self, name):
        with self.lock:
            self.flows[name] += 1


def ref(admin, xmlid):
    module, name = xmlid.split(".")
    rows = admin(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        ["res_id"],
    )
    return rows[0]["res_id"]


class Scenario:
    def __init__(self, args, stats):
        self.args, self.stats = args, stats
        self.admin = self.client("admin")
        a = self.admin
        self.company_id = a("res.users", "read", [a.uid], ["company_id"])[0][
            "company_id"
        ][0]
        self.team = ref(a, "sale_governance.team_governed_direct")
        self.customer = ref(a, "sale_governance.partner_huaxin")
        self.term = ref(a, "account.account_payment_term_30days")
        self.level1_group = ref(a, "sale_governance.group_sales_manager")
        # a second level-1 approver, to decide the same level at the same moment as
        # sales_manager
        existing = a("res.users", "search", [("login", "=", "load_manager2")])
        self.manager2 = (
            existing[0]
            if existing
            else a(
                "res.users",
                "create",
                {
                    "name": "Load Manager 2",
                    "login": "load_manager2",
                    "password": "load_manager2",
                    "groups_id": [(4, self.level1_group)],
                },
            )
        )
        stock = a(
            "stock.warehouse",
            "search_read",
            [("company_id", "=", self.company_id)],
            ["lot_stock_id", "in_type_id"],
            limit=1,
        )[0]
        self.stock_location = stock["lot_stock_id"][0]
        self.in_type = stock["in_type_id"][0]
        self.supplier_location = ref(a, "stock.stock_location_suppliers")
        self.product = a(
            "product.product",
            "create",
            {
                "name": "Load product",
                "is_storable": True,
                "list_price": 10.0,
                "taxes_id": [(5,)],
            },
        )
        quant = a(
            "stock.quant",
            "create",
            {
                "product_id": self.product,
                "location_id": self.stock_location,
                "inventory_quantity": 1e7,
            },
            context={"inventory_mode": True},
        )
        a(
            "stock.quant",
            "action_apply_inventory",
            [quant],
            context={"inventory_mode": True},
        )
        # a vendor product whose inspection one inspector records (not the joint group's
        # finished goods)
        self.inspected = a(
            "product.product",
            "search",
            [
                ("categ_id.sg_inspection_required", "=", True),
                ("categ_id.sg_joint_inspection", "=", False),
            ],
            limit=1,
        )
        self.configure_thresholds(1000.0)
        self.users = {}
        self.users_lock = threading.Lock()
        self.tickets_created = []

    def configure_thresholds(self, amount):
        """Orders above ``amount`` need every approval level; the smaller ones of the
        other flows none."""
        a = self.admin
        # the delivery gate is measured without the dispatch chain (notice, weighing,
        # gate pass)
        a(
            "res.company",
            "write",
            [self.company_id],
            {"approval_use_thresholds": True, "sg_delivery_notice_required": False},
        )
        levels = a(
            "sale.governance.approval.level",
            "search",
            [("company_id", "=", self.company_id)],
        )
        a(
            "sale.governance.approval.level",
            "write",
            levels,
            {"amount_threshold": amount},
        )

    def client(self, login):
        return Client(self.args.host, self.args.port, self.args.db, login, self.stats)

    def user(self, login):
        """A connection per simulated user thread and login."""
        key = (threading.get_ident(), login)
        with self.users_lock:
            if key not in self.users:
                self.users[key] = self.client(login)
            return self.users[key]

    # ------------------------------------------------------------------ flows
    def _order(self, rep, qty, **extra):
        vals = {
            "partner_id": self.customer,
            "team_id": self.team,
            "user_id": rep.uid,
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": self.product,
                        "product_uom_qty": qty,
                        "price_unit": 10.0,
                        "tax_id": [(5,)],
                    },
                )
            ],
        }
        vals.update(extra)
        return rep("sale.order", "create", vals, op="quotation.create")

    def flow_approval(self):
        rep = self.user("sales_rep")
        order = self._order(
            rep,
            200,
            payment_term_id=self.term,
            client_order_ref="load",
            commitment_date=str(date.today() + timedelta(days=7)),
            contract_settlement_method="Bank transfer",
            contract_quality_standard="GB/T 1",
            contract_acceptance_method="On delivery",
            contract_signing_place="Anji",
            contract_dispute_resolution="Arbitration",
        )
        rep("sale.order", "action_approval_submit", [order], op="approval.submit")
        # two level-1 approvers at the same moment: one decides, the other must be
        # refused
        deciders = [self.user("sales_manager"), self.user("load_manager2")]
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda c: self._approve(c, order, race=True), deciders))
        for login in ("biz_reviewer", "executive"):
            self._approve(self.user(login), order)
        rep("sale.order", "action_confirm", [order], op="quotation.confirm")

    def _approve(self, client, order, race=False):
        try:
            wizard = client(
                "sale.governance.approval.wizard",
                "create",
                {"order_ids": [(6, 0, [order])], "decision": "approve"},
                op="approval.wizard",
            )
            client(
                "sale.governance.approval.wizard",
                "action_apply",
                [wizard],
                op="approval.decide",
            )
        except RpcError:
            if not race:
                raise

    def flow_credit(self):
        rep, manager, ctrl = (
            self.user("sales_rep"),
            self.user("sales_manager"),
            self.user("credit_ctrl"),
        )
        order = self._order(rep, 10, payment_mode="credit")
        line = rep("sale.order", "read", [order], ["order_line"])[0]["order_line"][0]
        app = rep(
            "sale.governance.credit.application",
            "create",
            {
                "order_id": order,
                "responsible_id": manager.uid,
                "line_ids": [
                    (0, 0, {"sale_line_id": line, "quantity": 10, "price_unit": 10.0})
                ],
            },
            op="credit.application.create",
        )
        manager(
            "sale.governance.credit.application",
            "action_submit",
            [app],
            op="credit.submit",
        )
        ctrl(
            "sale.governance.credit.application",
            "action_approve",
            [app],
            op="credit.approve",
        )
        rep("sale.order", "action_confirm", [order], op="quotation.confirm")
        self._ship(order, [6, 4])

    def flow_prepaid(self):
        rep = self.user("sales_rep")
        order = self._order(rep, 3)
        total = rep("sale.order", "read", [order], ["amount_total"])[0]["amount_total"]
        a = self.admin
        journal = a(
            "account.journal",
            "search",
            [("type", "=", "bank"), ("company_id", "=", self.company_id)],
            limit=1,
        )
        payment = a(
            "account.payment",
            "create",
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer,
                "amount": total,
                "journal_id": journal[0],
            },
            op="payment.create",
        )
        a("account.payment", "action_post", [payment], op="payment.post")
        rep("sale.order", "action_confirm", [order], op="quotation.confirm")
        self._ship(order, [3])

    def _ship(self, order, parts):
        wh = self.user("warehouse")
        for qty in parts:
            picking = wh(
                "stock.picking",
                "search",
                [("sale_id", "=", order), ("state", "not in", ("done", "cancel"))],
                limit=1,
                op="delivery.search",
            )
            if not picking:
                return
            moves = wh("stock.picking", "read", picking, ["move_ids"])[0]["move_ids"]
            wh(
                "stock.move",
                "write",
                moves,
                {"quantity": qty, "picked": True},
                op="delivery.set_quantity",
            )
            result = wh(
                "stock.picking",
                "button_validate",
                picking,
                context={"skip_sms": True, "skip_backorder": False},
                op="delivery.validate",
            )
            if (
                isinstance(result, dict)
                and result.get("res_model") == "stock.backorder.confirmation"
            ):
                ctx = result.get("context", {})
                wizard = wh(
                    "stock.backorder.confirmation",
                    "create",
                    {
                        "pick_ids": [(6, 0, picking)],
                        "backorder_confirmation_line_ids": [
                            (0, 0, {"picking_id": picking[0], "to_backorder": True})
                        ],
                    },
                    context=ctx,
                    op="delivery.backorder",
                )
                wh(
                    "stock.backorder.confirmation",
                    "process",
                    [wizard],
                    context=ctx,
                    op="delivery.backorder",
                )

    def flow_receipt(self):
        if not self.inspected:
            return
        wh, qc = self.user("warehouse"), self.user("qc_inspector")
        picking = wh(
            "stock.picking",
            "create",
            {
                "picking_type_id": self.in_type,
                "location_id": self.supplier_location,
                "location_dest_id": self.stock_location,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "load",
                            "product_id": self.inspected[0],
                            "product_uom_qty": 4,
                            "location_id": self.supplier_location,
                            "location_dest_id": self.stock_location,
                        },
                    )
                ],
            },
            op="receipt.create",
        )
        wh("stock.picking", "action_confirm", [picking], op="receipt.confirm")
        inspections = qc(
            "sale.governance.inspection",
            "search_read",
            [("picking_id", "=", picking)],
            ["quantity", "line_ids"],
            op="inspection.read",
        )
        for insp in inspections:
            qc(
                "sale.governance.inspection",
                "write",
                [insp["id"]],
                {"qty_accepted": insp["quantity"]},
                op="inspection.record",
            )
            lines = qc(
                "sale.governance.inspection.line",
                "read",
                insp["line_ids"],
                ["kind", "min_value", "max_value"],
            )
            for line in lines:
                vals = (
                    {"value": (line["min_value"] + line["max_value"]) / 2}
                    if line["kind"] == "measure"
                    else {"result": "pass"}
                )
                qc(
                    "sale.governance.inspection.line",
                    "write",
                    [line["id"]],
                    vals,
                    op="inspection.record",
                )
        if inspections:
            qc(
                "sale.governance.inspection",
                "action_done",
                [i["id"] for i in inspections],
                op="inspection.done",
            )
        moves = wh("stock.picking", "read", [picking], ["move_ids"])[0]["move_ids"]
        wh(
            "stock.move",
            "write",
            moves,
            {"quantity": 4, "picked": True},
            op="receipt.set_quantity",
        )
        wh(
            "stock.picking",
            "button_validate",
            [picking],
            context={"skip_sms": True},
            op="receipt.validate",
        )

    def flow_ticket(self):
        rep, tech = self.user("sales_rep"), self.user("tech_support")
        ticket = rep(
            "sale.governance.service.ticket",
            "create",
            {
                "name": "Load: pump noise",
                "partner_id": self.customer,
                "description": "Noise",
            },
            op="ticket.create",
        )
        with self.users_lock:
            self.tickets_created.append(ticket)
        tech(
            "sale.governance.service.ticket", "action_take", [ticket], op="ticket.take"
        )
        tech(
            "sale.governance.service.ticket",
            "write",
            [ticket],
            {"resolution": "<p>Bearing replaced</p>", "result": "repaired"},
            op="ticket.write",
        )
        tech(
            "sale.governance.service.ticket",
            "action_resolve",
            [ticket],
            op="ticket.resolve",
        )

    FLOWS = ("approval", "credit", "prepaid", "receipt", "ticket")

    def worker(self, index, deadline, budget):
        flows = itertools.cycle(
            self.FLOWS[index % len(self.FLOWS) :]
            + self.FLOWS[: index % len(self.FLOWS)]
        )
        while time.monotonic() < deadline and budget.take():
            name = next(flows)
            try:
                getattr(self, f"flow_{name}")()
                self.stats.flow(name)
            except RpcError:
                self.stats.flow(f"{name} (refused)")
            time.sleep(random.uniform(0, 0.05))

    # ------------------------------------------------------------------ invariants
    def invariants(self):
        a = self.admin
        broken = []
        # no level approved twice
        approvals = a(
            "sale.governance.approval",
            "search_read",
            [("state", "=", "approved")],
            ["order_id", "round", "level_id"],
        )
        seen = defaultdict(int)
        for row in approvals:
            seen[
                (
                    row["order_id"][0],
                    row["round"],
                    row["level_id"] and row["level_id"][0],
                )
            ] += 1
        twice = [k for k, n in seen.items() if n > 1]
        if twice:
            broken.append(f"levels approved twice: {twice[:5]}")
        # no delivery beyond what was approved (credit) or paid (prepayment)
        orders = a(
            "sale.order",
            "search_read",
            [
                ("governed", "=", True),
                ("state", "=", "sale"),
                ("partner_id", "=", self.customer),
            ],
            ["payment_mode", "order_line"],
        )
        lines = a(
            "sale.order.line",
            "search_read",
            [("order_id", "in", [o["id"] for o in orders])],
            ["order_id", "qty_delivered", "price_total", "product_uom_qty"],
        )
        delivered = defaultdict(float)
        for line in lines:
            delivered[line["order_id"][0]] += line["qty_delivered"]
        apps = a(
            "sale.governance.credit.application",
            "search_read",
            [
                ("order_id", "in", [o["id"] for o in orders]),
                ("state", "in", ("approved", "settled")),
            ],
            ["order_id", "line_ids"],
        )
        app_lines = a(
            "sale.governance.credit.application.line",
            "search_read",
            [("application_id", "in", [x["id"] for x in apps])],
            ["application_id", "quantity"],
        )
        app_order = {x["id"]: x["order_id"][0] for x in apps}
        approved = defaultdict(float)
        for line in app_lines:
            approved[app_order[line["application_id"][0]]] += line["quantity"]
        for order in orders:
            if (
                order["payment_mode"] == "credit"
                and delivered[order["id"]] > approved[order["id"]] + 1e-6
            ):
                broken.append(
                    f"order {order['id']}: {delivered[order['id']]} delivered, "
                    f"{approved[order['id']]} approved"
                )
        # no receipt validated with a pending inspection (finished goods of a production
        # receipt wait, done, in the Awaiting Inspection location: they enter stock only
        # with the result, so they are not counted)
        pending = a(
            "sale.governance.inspection",
            "search_read",
            [
                ("picking_id.state", "=", "done"),
                ("state", "not in", ("done", "cancel")),
                (
                    "picking_id.move_line_ids.location_dest_id.sg_is_awaiting",
                    "=",
                    False,
                ),
            ],
            ["picking_id"],
        )
        if pending:
            broken.append(
                f"{len(pending)} receipts validated with a pending inspection"
            )
        # no lost ticket
        found = a(
            "sale.governance.service.ticket",
            "search_count",
            [("id", "in", self.tickets_created)],
        )
        if found != len(self.tickets_created):
            broken.append(
                f"tickets: {len(self.tickets_created)} created, {found} found"
            )
        return broken


class Budget:
    def __init__(self, n):
        self.n, self.lock = n, threading.Lock()

    def take(self):
        with self.lock:
            if self.n <= 0:
                return False
            self.n -= 1
            return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--flows", type=int, default=200, help="at most this many flows in all"
    )
    args = parser.parse_args()
    stats = Stats()
    scenario = Scenario(args, stats)
    start = time.monotonic()
    deadline = start + args.seconds
    budget = Budget(args.flows)
    with ThreadPoolExecutor(args.users) as pool:
        list(
            pool.map(lambda i: scenario.worker(i, deadline, budget), range(args.users))
        )
    elapsed = time.monotonic() - start
    calls = sum(len(v) for v in stats.latencies.values())
    done = sum(n for k, n in stats.flows.items() if "refused" not in k)
    print(
        f"{args.users} users, {elapsed:.1f} s: {done} flows done "  # noqa: T201
        f"({done / elapsed:.2f}/s), {calls} calls ({calls / elapsed:.1f}/s)"
    )
    print("flows: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.flows.items())))  # noqa: T201
    print("| operation | calls | p50 ms | p95 ms |\n|---|---|---|---|")  # noqa: T201
    for op, values in sorted(stats.latencies.items()):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"| {op} | {len(values)} | {statistics.median(values) * 1000:.0f} | "
            f"{p95 * 1000:.0f} |"
        )  # noqa: T201
    if stats.refusals:
        print(
            "refusals: "
            + ", ".join(
                f"{op} {kind} ×{n}" for (op, kind), n in sorted(stats.refusals.items())
            )
        )  # noqa: T201
    for (op, kind), message in sorted(stats.messages.items()):
        print(f"  {op} {kind}: {message}")  # noqa: T201
    broken = scenario.invariants()
    print(
        "invariants: " + ("all hold" if not broken else "BROKEN: " + "; ".join(broken))
    )  # noqa: T201
    for error in stats.errors[:10]:
        print("unexpected error:", error)  # noqa: T201
    raise SystemExit(1 if broken or stats.errors else 0)


if __name__ == "__main__":
    main()
