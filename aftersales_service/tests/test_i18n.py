from odoo.tests import TransactionCase, tagged

from .i18n_check import foreign_translations, stale_template_terms, untranslated_terms


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    module = "aftersales_service"

    def test_pot_is_up_to_date(self):
        stale = stale_template_terms(self.env, self.module)
        self.assertFalse(
            stale,
            f"{len(stale)} terms are not in the .pot (run scripts/i18n_update.py): {stale[:10]}",
        )

    def test_zh_cn_is_complete(self):
        missing = untranslated_terms(self.env, self.module)
        self.assertFalse(missing, f"{len(missing)} terms have no zh_CN translation: {missing[:10]}")

    def test_zh_cn_speaks_after_sales(self):
        wrong = foreign_translations(self.module)
        self.assertFalse(wrong, f"translated with another Odoo app's words: {wrong}")
