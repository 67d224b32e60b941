"""Shared check: every translatable term of an addon has a zh_CN translation."""

from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader


def _entries(module, filename):
    path = Path(get_module_path(module)) / "i18n" / filename
    return [e for e in polib.pofile(str(path)) if not e.obsolete] if path.exists() else []


def _live_rows(env, module):
    """(kind, place, term) of each term Odoo would export for `module` right now."""
    reader = TranslationModuleReader(env.cr, [module])
    return [
        (kind, f"{kind}:{name}:{res_id}", source)
        for mod, kind, name, res_id, source, _v, _c in reader
        if mod == module and source
    ]


def untranslated_terms(env, module):
    """Terms of `module` without a (non-fuzzy) zh_CN translation, sorted."""
    done = {
        e.msgid for e in _entries(module, "zh_CN.po") if e.msgstr.strip() and "fuzzy" not in e.flags
    }
    return sorted({term for _kind, _place, term in _live_rows(env, module)} - done)


def stale_template_terms(env, module):
    """Terms missing from the shipped .pot (run scripts/i18n_update.py), or missing there for
    one of the records that use them: Odoo translates a view's or a record's term only where
    the catalogue lists that record."""
    entries = _entries(module, f"{module}.pot")
    shipped = {e.msgid for e in entries}
    listed = {(e.msgid, place) for e in entries for place, _line in e.occurrences}
    return sorted(
        {
            term
            for kind, place, term in _live_rows(env, module)
            if term not in shipped
            or (kind in ("model", "model_terms") and (term, place) not in listed)
        }
    )


# Words of other Odoo apps that Odoo's own catalogues give for some of our short terms (an
# event's ticket, a salary proposal, a loyalty top-up, a province, a bank transfer): never
# right in after-sales service, where these terms mean a service ticket, a proposed
# compensation, parts issued, a status and a stock transfer
FOREIGN_WORDS = ("门票", "薪资", "解雇", "充值", "省/州", "转账")


def foreign_translations(module):
    """zh_CN translations of `module` that use a word of another Odoo app."""
    return sorted(
        f"{e.msgid} = {e.msgstr}"
        for e in _entries(module, "zh_CN.po")
        if any(word in e.msgstr for word in FOREIGN_WORDS)
    )
