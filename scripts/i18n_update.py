"""Regenerate each addon's .pot from a database and merge it into zh_CN.po.

    python3 scripts/i18n_update.py [DB]

DB (default: the test database `aftersales_test`) must have both addons installed and
up to date (e.g. after `make test`). Translations already in zh_CN.po are kept; a new term
that Odoo itself translates the same way (an inherited field such as "Activities") takes
Odoo's own zh_CN wording, so that our screens use the same words as the rest of Odoo;
other new terms are added untranslated (the test `test_zh_cn_is_complete` then lists
them); terms that are gone are dropped.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
ADDONS = ("aftersales_service", "aftersales_service_sla")


def export_pot(db, conf, python):
    subprocess.run(
        [python, "-m", "odoo", "i18n", "export", "-c", str(conf), "-d", db, *ADDONS],
        check=True,
        cwd=tempfile.gettempdir(),
    )


def odoo_glossary(python):
    """msgid -> msgstr of Odoo's own zh_CN catalogues (first one wins)."""
    out = subprocess.run(
        [
            python,
            "-c",
            "import odoo.release as r, os; print(os.path.dirname(os.path.dirname(r.__file__)))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    )
    root = Path(out.stdout.strip())
    glossary = {}
    for po_path in sorted(root.glob("**/i18n/zh_CN.po")):
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags:
                glossary.setdefault(entry.msgid, entry.msgstr)
    return glossary


def merge(addon, glossary):
    i18n = REPO / addon / "i18n"
    pot = polib.pofile(str(i18n / f"{addon}.pot"))
    po_path = i18n / "zh_CN.po"
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    merged = polib.POFile(wrapwidth=78)
    merged.metadata = dict(pot.metadata)
    merged.metadata.update(
        {"Language": "zh_CN", "Plural-Forms": "nplurals=1; plural=0;", "Language-Team": ""}
    )
    untranslated = 0
    for entry in pot:
        previous = known.get((entry.msgctxt, entry.msgid))
        entry.msgstr = previous.msgstr if previous else glossary.get(entry.msgid, "")
        untranslated += not entry.msgstr
        merged.append(entry)
    merged.save(str(po_path))
    print(f"{addon}: {len(pot)} terms, {untranslated} untranslated")


def main():
    db = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TEST_DB", "aftersales_test")
    conf = REPO / ".run" / "odoo.conf"
    python = str(REPO / ".venv" / "bin" / "python")
    if not Path(python).exists():
        python = sys.executable
    export_pot(db, conf, python)
    glossary = odoo_glossary(python)
    for addon in ADDONS:
        merge(addon, glossary)


if __name__ == "__main__":
    main()
