#!/usr/bin/env python3
"""What a translator still has to do in i18n/<lang>.po against i18n/sale_governance.pot.

Run with Odoo's interpreter (it has polib), after `make pot`:

    tools/i18n_todo.py # every missing / untranslated / fuzzy / broken msgid, per
    language tools/i18n_todo.py --summary # counts only tools/i18n_todo.py --export DIR
    # DIR/<lang>.po holding only what is left to do (hand to a translator)
    tools/i18n_todo.py --import DIR # put the translated DIR/<lang>.po back into
    i18n/<lang>.po

"Broken" means the translation does not keep the placeholders (%(name)s, %s, {}, {{ ...
}}) or the markup tags of its msgid. tests/governance/test_i18n.py uses the same checks
and fails on any of them. Exit status 1 when something is left to do.
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys

import polib

LANGS = ("zh_CN", "zh_TW", "ko")
I18N = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
POT = os.path.join(I18N, "sale_governance.pot")

PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*[0-9.]*[sdifr]"  # %(name)s, %(amount).2f
    r"|%[-#0 +]*[0-9.]*[sdifr]"  # %s, %d
    r"|\{\{.*?\}\}"  # {{ object.name }} (inline templates)
    r"|\{[A-Za-z0-9_.]*\}"  # {} {0} {name}
)
TAG = re.compile(
    r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>"
)  # markup, not <jobs@example.com>


def placeholders(text):
    return collections.Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def tags(text):
    return collections.Counter(TAG.findall(text))


def broken(msgid, msgstr):
    """Why `msgstr` cannot stand for `msgid` (empty string when it can)."""
    if placeholders(msgid) != placeholders(msgstr):
        return "placeholders %s != %s" % (
            sorted(placeholders(msgid).elements()),
            sorted(placeholders(msgstr).elements()),
        )
    if tags(msgid) != tags(msgstr):
        return "markup %s != %s" % (
            sorted(tags(msgid).elements()),
            sorted(tags(msgstr).elements()),
        )
    return ""


def key(entry):
    return (entry.msgctxt or "", entry.msgid)


def todo(lang, pot_path=POT, i18n=I18N):
    """{'missing': [...], 'untranslated': [...], 'fuzzy': [...], 'broken': [(msgid,
    why)]}"""
    pot = polib.pofile(pot_path)
    po_path = os.path.join(i18n, "%s.po" % lang)
    po = (
        {key(e): e for e in polib.pofile(po_path) if not e.obsolete}
        if os.path.exists(po_path)
        else {}
    )
    result = {"missing": [], "untranslated": [], "fuzzy": [], "broken": []}
    for entry in pot:
        if not entry.msgid:
            continue
        tr = po.get(key(entry))
        if tr is None:
            result["missing"].append(entry.msgid)
        elif not tr.msgstr.strip():
            result["untranslated"].append(entry.msgid)
        elif "fuzzy" in tr.flags:
            result["fuzzy"].append(entry.msgid)
        else:
            why = broken(entry.msgid, tr.msgstr)
            if why:
                result["broken"].append((entry.msgid, why))
    return result


def export(directory, langs):
    """Write DIR/<lang>.po with the entries still to do (fuzzy ones keep their hint)."""
    os.makedirs(directory, exist_ok=True)
    pot = polib.pofile(POT)
    for lang in langs:
        left = todo(lang)
        wanted = set(left["missing"]) | set(left["untranslated"]) | set(left["fuzzy"])
        wanted |= {msgid for msgid, _why in left["broken"]}
        po_path = os.path.join(I18N, "%s.po" % lang)
        current = (
            {key(e): e for e in polib.pofile(po_path)}
            if os.path.exists(po_path)
            else {}
        )
        out = polib.POFile(wrapwidth=0)
        out.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Language": lang,
        }
        for entry in pot:
            if entry.msgid in wanted:
                old = current.get(key(entry))
                out.append(
                    polib.POEntry(
                        msgid=entry.msgid,
                        msgctxt=entry.msgctxt,
                        msgstr=old.msgstr if old else "",
                        comment=entry.comment,
                        occurrences=entry.occurrences,
                        flags=["fuzzy"] if old and old.msgstr else [],
                    )
                )
        out.save(os.path.join(directory, "%s.po" % lang))
        print(
            "%s: %d entries -> %s"
            % (lang, len(out), os.path.join(directory, "%s.po" % lang))
        )


def import_(directory, langs):
    """Copy the translations of DIR/<lang>.po (non-empty, not fuzzy) into
    i18n/<lang>.po."""
    for lang in langs:
        src_path = os.path.join(directory, "%s.po" % lang)
        if not os.path.exists(src_path):
            continue
        done = {
            key(e): e.msgstr
            for e in polib.pofile(src_path)
            if e.msgstr.strip() and "fuzzy" not in e.flags
        }
        po_path = os.path.join(I18N, "%s.po" % lang)
        po = polib.pofile(po_path, wrapwidth=0)
        count = 0
        for entry in po:
            if key(entry) in done:
                entry.msgstr = done[key(entry)]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = None
                count += 1
        po.save(po_path)
        if shutil.which(
            "msgcat"
        ):  # back to msgmerge's layout: the diff shows only what changed
            subprocess.run(["msgcat", "--output-file=" + po_path, po_path], check=True)
        print("%s: %d translations imported" % (lang, count))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--summary", action="store_true", help="counts only")
    parser.add_argument(
        "--lang", action="append", choices=LANGS, help="only this language (repeatable)"
    )
    parser.add_argument(
        "--export", metavar="DIR", help="write what is left to DIR/<lang>.po"
    )
    parser.add_argument(
        "--import", dest="import_dir", metavar="DIR", help="import DIR/<lang>.po"
    )
    args = parser.parse_args()
    langs = args.lang or LANGS
    if args.export:
        export(args.export, langs)
        return 0
    if args.import_dir:
        import_(args.import_dir, langs)
    status = 0
    for lang in langs:
        left = todo(lang)
        counts = ", ".join("%d %s" % (len(v), k) for k, v in left.items())
        print("%s: %s" % (lang, counts))
        if any(left.values()):
            status = 1
        if args.summary:
            continue
        for kind in ("missing", "untranslated", "fuzzy"):
            for msgid in left[kind]:
                print("  [%s] %s" % (kind, msgid.replace("\n", "\\n")[:200]))
        for msgid, why in left["broken"]:
            print("  [broken: %s] %s" % (why, msgid.replace("\n", "\\n")[:200]))
    return status


if __name__ == "__main__":
    sys.exit(main())
