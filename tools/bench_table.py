"""Print the side-by-side table of tools/bench_peers.sh from its JSON lines
(Markdown)."""

import json
import sys

FLAVOURS = ("core", "addon", "oca")
HEADERS = ("D0 core", "D1 addon", "D2 OCA")


def cell(row):
    if row is None:
        return "–"
    if "error" in row:
        return "n/a"
    return f"{row['queries']:,} / {row['ms']:,.0f}"


def ratio(a, b):
    if not a or not b or "error" in a or "error" in b or not b["queries"]:
        return "–"
    return f"{a['queries'] / b['queries']:.2f}"


def main(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    table = {}
    order = []
    for row in rows:
        key = (row["scenario"], row["size"])
        if key not in table:
            table[key] = {}
            order.append(key)
        table[key][row["flavour"]] = row
    notified = {
        (s.replace(" (notified)", ""), n): r.get("oca")
        for (s, n), r in table.items()
        if s.endswith("(notified)")
    }
    print("Queries / median ms (lower is better); ratios on queries.\n")  # noqa: T201
    print(f"| step | lines | {' | '.join(HEADERS)} | D1/D0 | D1/D2 |")  # noqa: T201
    print("|---|---|---|---|---|---|---|")  # noqa: T201
    for scenario, size in order:
        if scenario.endswith("(notified)"):
            continue
        cells = table[(scenario, size)]
        oca = cells.get("oca")
        peer = notified.get((scenario, size)) or oca
        oca_cell = cell(oca)
        if (scenario, size) in notified:
            oca_cell += f" ({cell(notified[(scenario, size)])} notified)"
        print(  # noqa: T201
            f"| {scenario} | {size} | {cell(cells.get('core'))} | "
            f"{cell(cells.get('addon'))} | {oca_cell} | "
            f"{ratio(cells.get('addon'), cells.get('core'))} | "
            f"{ratio(cells.get('addon'), peer)} |"
        )
    errors = [r for r in rows if "error" in r]
    for row in errors:
        print(f"\n{row['flavour']} / {row['scenario']} / {row['size']}: {row['error']}")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1])
