"""Run Odoo's own tests of some modules in one database, after all modules are loaded.

``odoo-bin --test-tags`` runs at_install tests only while a module is being installed or
updated, that is before the modules depending on it (this addon among them) are loaded:
they would test core alone. Here the registry is loaded completely first, then the
at_install and the post_install tests of the given modules run, like a user's database
would see them. Each failure and error is recorded (test id, kind, exception type,
message, whether this addon's code raised it, the test's failing statement) in a JSON
file that ``tools/core_compare.py`` compares between two databases, with what each
test's payment post-processing left behind (``observe_payments``).

Usage (Odoo's interpreter, from Odoo's source folder):
    python tools/core_tests.py -c odoo.conf -d DB --tags /sale,/sale_stock --out r.json
"""

import argparse
import json
import logging
import os
import socket
import sys
import time
import traceback

ADDON_MARKER = os.sep + "sale_governance" + os.sep
TESTS_MARKER = os.sep + "tests" + os.sep


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def modules_of(tags):
    """Module names of test tags (``/sale,/sale_stock:Class,post_install/stock``)."""
    names = []
    for tag in tags.split(","):
        tag = tag.strip()
        if "/" in tag and not tag.startswith("-"):
            name = tag.split("/", 1)[1].split(":")[0].split(".")[0].split("[")[0]
            if name and name not in names:
                names.append(name)
    return names


def describe(exc_info):
    """Exception type, one-line message, and whether the addon's code raised it."""
    exc_type, exc, tb = exc_info
    frames = traceback.extract_tb(tb)
    raised_by_addon = bool(frames) and ADDON_MARKER in frames[-1].filename
    # The innermost frame of the addon (the addon may raise through a core helper).
    in_addon = any(ADDON_MARKER in frame.filename for frame in frames)
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    described = {
        "type": f"{exc_type.__module__}.{exc_type.__qualname__}",
        "message": message[:300],
        "raised_by_addon": raised_by_addon,
        "addon_in_traceback": in_addon,
    }
    # A tour's failing step and why (the lines after the first one of the message).
    lines = [line.strip() for line in str(exc).splitlines()]
    for index, line in enumerate(lines):
        if line.startswith("FAILED: ["):
            described["tour_step"] = " ".join(lines[index : index + 4])[:600]
            break
    # The failing statement of the test (its innermost frame in a tests folder) and the
    # frames below it: an assertion of the test, or an exception of the code it called.
    in_tests = [i for i, frame in enumerate(frames) if TESTS_MARKER in frame.filename]
    if in_tests:
        frame = frames[in_tests[-1]]
        described["test_frame"] = {
            "file": frame.filename,
            "line": frame.lineno,
            "code": (frame.line or "").strip()[:200],
        }
        described["below_test"] = [
            f"{below.filename}:{below.name}" for below in frames[in_tests[-1] + 1 :]
        ]
    return described


def observe_payments(current_test):
    """Record what each test's payment post-processing left behind.

    Wraps ``_post_process`` of Odoo's ``sale`` (observation only: it reads, never
    writes): after each call, per transaction, its state, the state of its payment
    and of its orders (whether an order still waits for its approval and whether its
    salesperson has an activity). An exception raised inside the post-processing is
    recorded too. Returns
    ``{test id: [observation, ...]}``, filled while the tests run.
    """
    try:
        from odoo.addons.sale.models.payment_transaction import PaymentTransaction
    except ImportError:
        return {}
    observed = {}
    original = PaymentTransaction._post_process

    def order_facts(order):
        facts = {"state": order.state}
        if hasattr(order, "_approval_blocking"):
            facts["waits_for_approval"] = bool(order._approval_blocking())
        user = order.user_id
        if user and not user.share:
            facts["salesperson_activities"] = len(
                order.activity_ids.filtered(lambda act: act.user_id == user)
            )
        return facts

    def _post_process(self):
        entries = observed.setdefault(current_test[0], [])
        try:
            result = original(self)
        except Exception as exc:
            kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
            entries.append({"error": kind})
            raise
        for tx in self.sudo():
            entries.append(
                {
                    "reference": tx.reference,
                    "state": tx.state,
                    "post_processed": tx.is_post_processed,
                    "payment": tx.payment_id.state or None,
                    "orders": [order_facts(order) for order in tx.sale_order_ids],
                }
            )
        return result

    PaymentTransaction._post_process = _post_process
    return observed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--tags", default="/sale,/sale_stock,/sale_management")
    parser.add_argument("--out", required=True)
    parser.add_argument("--log", help="Odoo's log file (default: stderr)")
    args = parser.parse_args()

    import odoo
    from odoo.tools import config

    port = free_port()
    odoo_args = [
        "-c",
        args.config,
        "-d",
        args.database,
        f"--http-port={port}",
        "--http-interface=127.0.0.1",
        "--workers=0",
        "--max-cron-threads=0",
        "--log-level=info",
        f"--db-filter=^{args.database}$",
    ]
    if args.log:
        odoo_args.append(f"--logfile={args.log}")
    config.parse_config(odoo_args)
    odoo.netsvc.init_logger()
    odoo.service.server.load_server_wide_modules()

    # Import the test framework in test mode (it logs an error otherwise), then load the
    # registry with tests off (see below).
    config["test_enable"] = True
    from odoo.modules.registry import Registry
    from odoo.tests import loader
    from odoo.tests.result import OdooTestResult

    config["test_enable"] = False

    records = []
    original_log_error = OdooTestResult.logError

    def log_error(self, flavour, test, error):
        entry = {"test": test.id(), "kind": flavour}
        try:
            entry.update(describe(error))
        except Exception as exc:  # pylint: disable=broad-except
            entry.update({"type": "?", "message": f"could not describe: {exc}"})
        records.append(entry)
        return original_log_error(self, flavour, test, error)

    OdooTestResult.logError = log_error
    ran = []
    current_test = [None]
    original_start_test = OdooTestResult.startTest

    def start_test(self, test):
        ran.append(test.id())
        current_test[0] = test.id()
        return original_start_test(self, test)

    OdooTestResult.startTest = start_test

    # Load every module first, tests off: with tests on, loading runs each module's
    # at_install tests right after that module, before the modules that depend on it.
    registry = Registry.new(args.database)
    payments = observe_payments(current_test)
    config["test_tags"] = args.tags
    config["test_enable"] = True
    server = odoo.service.server.ThreadedServer(odoo.http.root)
    server.http_spawn()
    odoo.service.server.server = server  # HttpCase asks it for the port

    modules = modules_of(args.tags)
    started = time.time()
    total = 0
    report = OdooTestResult()
    assets_ready = False
    for position in ("at_install", "post_install"):
        suite = loader.make_suite(modules, position)
        if not assets_ready and suite.has_http_case():
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                env["ir.qweb"]._pregenerate_assets_bundles()
            assets_ready = True
        result = loader.run_suite(suite, global_report=report)
        report.update(result)
        total += result.testsRun
    logging.getLogger("sale_governance.core_tests").info(
        "%s tests of %s in %.0f s: %s failures, %s errors",
        total,
        ",".join(modules),
        time.time() - started,
        report.failures_count,
        report.errors_count,
    )
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "database": args.database,
                "tags": args.tags,
                "tests_run": total,
                "seconds": round(time.time() - started),
                "problems": records,
                "ran": ran,
                "payments": payments,
            },
            handle,
            indent=1,
        )
    server.httpd.shutdown()
    # Threads of the HTTP server and the registry: leave without waiting for them.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
