"""Compare Odoo's own test results with and without the addon (JSON files of
core_tests.py).

Usage: python core_compare.py BASE.json ADDON.json [--mode default|policy-on]

- default: the addon is installed with its defaults (nothing under the policy). Every
test that
  fails only with the addon is a regression: exit 1.
- policy-on: every sales team and company is under the policy. A test that fails only
with the
  addon is accepted when the addon refused explicitly: a UserError or ValidationError
  (never an AccessError or MissingError) raised by the addon's own code. Anything else
  (AccessError, KeyError, a wrong figure, a core error under the addon) is a regression:
  exit 1.
"""

import argparse
import json
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


def is_policy_refusal(entry):
    return entry.get("type") in REFUSAL_TYPES and entry.get("raised_by_addon")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("addon")
    parser.add_argument("--mode", choices=("default", "policy-on"), default="default")
    args = parser.parse_args()
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
    regressions = {t: e for t, e in extra.items() if t not in refusals}
    if refusals:
        print(
            "  failing only with the addon, explicit policy refusals (accepted): "
            f"{len(refusals)}"
        )
        messages = {}
        for entry in refusals.values():
            messages.setdefault(entry["message"][:110], []).append(entry["test"])
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
