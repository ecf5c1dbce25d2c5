"""Compare Odoo's own test results with and without the addon (core_tests.py's JSON).

Usage: core_compare.py BASE.json ADDON.json [--mode default|policy-on] [--known F]

- default: the addon is installed with its defaults (nothing under the policy). Every
  test that fails only with the addon is a regression: exit 1.
- policy-on: every sales team and company is under the policy. A test that fails only
  with the addon is accepted when the addon refused explicitly: a UserError or
  ValidationError (never an AccessError or MissingError) raised by the addon's own code.
  Anything else (AccessError, KeyError, a wrong figure, a core error under the addon) is
  a regression: exit 1.
- Tests listed in the known failures file (core_known_failures.txt) are reported as
  KNOWN, not as regressions, and reported again when they pass (delete their line).
"""

import argparse
import json
import os
import re
import sys

REFUSAL_TYPES = {"odoo.exceptions.UserError", "odoo.exceptions.ValidationError"}


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def by_test(result):
    problems = {}
    for entry in result["problems"]:
        problems.setdefault(entry["test"], entry)
    return problems


def load_known(path):
    """``{test id: reason}`` of the known failures file."""
    known = {}
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                line = line.strip()
                if line and not line.startswith("#"):
                    test, _sep, reason = line.partition(" ")
                    known[test] = reason.strip()
    return known


# Refusals that core raises with the addon's message (Odoo's action_confirm raises the
# text that the addon's _confirmation_error_message returns, so no frame of the addon is
# in the traceback).
ADDON_REFUSALS_RAISED_BY_CORE = ("cannot be confirmed before its contract is approved",)


def is_policy_refusal(entry):
    if entry.get("type") not in REFUSAL_TYPES:
        return False
    message = entry.get("message") or ""
    return entry.get("raised_by_addon") or any(
        text in message for text in ADDON_REFUSALS_RAISED_BY_CORE
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("addon")
    parser.add_argument("--mode", choices=("default", "policy-on"), default="default")
    parser.add_argument(
        "--known",
        default=os.path.join(os.path.dirname(__file__), "core_known_failures.txt"),
        help="known failures (default: core_known_failures.txt beside this script)",
    )
    args = parser.parse_args()
    known = load_known(args.known)
    base, addon = load(args.base), load(args.addon)
    base_problems, addon_problems = by_test(base), by_test(addon)
    extra = {t: e for t, e in addon_problems.items() if t not in base_problems}
    fixed = [t for t in base_problems if t not in addon_problems]

    print(f"Odoo's own tests ({addon['tags']}), mode {args.mode}:")
    print(
        f"  without the addon: {base['tests_run']} tests, {len(base_problems)} failing "
        f"({base['seconds']} s)"
    )
    print(
        f"  with the addon:    {addon['tests_run']} tests, "
        f"{len(addon_problems)} failing "
        f"({addon['seconds']} s)"
    )
    if base["tests_run"] == 0 or addon["tests_run"] == 0:
        print("  ERROR: no test ran.")
        return 1
    if fixed:
        print(f"  failing only without the addon (ignored): {len(fixed)}")
    refusals = {
        t: e
        for t, e in extra.items()
        if args.mode == "policy-on" and is_policy_refusal(e)
    }
    known_now = {t: e for t, e in extra.items() if t in known and t not in refusals}
    regressions = {
        t: e for t, e in extra.items() if t not in refusals and t not in known_now
    }
    if known_now:
        print(f"  KNOWN failures only with the addon, being fixed: {len(known_now)}")
        for test in sorted(known_now):
            print(f"    {test}\n        {known[test]}")
    ran = set(addon.get("ran", ()))
    passing_again = sorted(t for t in known if t in ran and t not in addon_problems)
    for test in passing_again:
        print(f"  passes again, delete its line from the known failures: {test}")
    if refusals:
        print(
            "  failing only with the addon, explicit policy refusals (accepted): "
            f"{len(refusals)}"
        )
        messages = {}
        for entry in refusals.values():
            # one line per message, order names and figures aside (S00042 -> S#)
            message = re.sub(r"\d+", "#", entry["message"][:110])
            messages.setdefault(message, []).append(entry["test"])
        for message, tests in sorted(messages.items(), key=lambda item: -len(item[1])):
            print(f"    {len(tests):4d} x {message}")
    if regressions:
        print(f"  FAILING ONLY WITH THE ADDON: {len(regressions)}")
        for test, entry in sorted(regressions.items()):
            where = (
                "raised by the addon"
                if entry.get("raised_by_addon")
                else (
                    "addon in traceback"
                    if entry.get("addon_in_traceback")
                    else "core code"
                )
            )
            print(
                f"    {entry['kind']} {test}\n"
                f"        {entry['type']}: {entry['message']} "
                f"[{where}]"
            )
        return 1
    print(
        "  no test fails only with the addon"
        + (" (beyond policy refusals)" if refusals else "")
        + "."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
