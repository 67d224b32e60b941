"""Shared check: every translatable term of an addon has a zh_CN translation."""

from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader


def _entries(module, filename):
    path = Path(get_module_path(module)) / "i18n" / filename
    return [e for e in polib.pofile(str(path)) if not e.obsolete] if path.exists() else []


def live_terms(env, module):
    """The terms Odoo would export for `module` right now."""
    reader = TranslationModuleReader(env.cr, [module])
    return {source for mod, _t, _n, _r, source, _v, _c in reader if mod == module and source}


def untranslated_terms(env, module):
    """Terms of `module` without a (non-fuzzy) zh_CN translation, sorted."""
    done = {
        e.msgid for e in _entries(module, "zh_CN.po") if e.msgstr.strip() and "fuzzy" not in e.flags
    }
    return sorted(live_terms(env, module) - done)


def stale_template_terms(env, module):
    """Terms missing from the shipped .pot (run scripts/i18n_update.py)."""
    shipped = {e.msgid for e in _entries(module, f"{module}.pot")}
    return sorted(live_terms(env, module) - shipped)
