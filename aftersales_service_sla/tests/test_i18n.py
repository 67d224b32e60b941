from odoo.tests import tagged

from odoo.addons.aftersales_service.tests import test_i18n


@tagged("post_install", "-at_install")
class TestSlaTranslations(test_i18n.TestTranslations):
    """The core addon's translation checks, on this addon's catalogue."""

    module = "aftersales_service_sla"
    allow_inherited_tests_method = True  # Odoo's loader runs only a class's own tests otherwise
