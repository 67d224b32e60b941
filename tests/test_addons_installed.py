"""Run by pytest-odoo inside the test database: both addons are installed."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAddonsInstalled(TransactionCase):
    def test_both_addons_installed(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ["aftersales_service", "aftersales_service_sla"])]
        )
        self.assertEqual(len(modules), 2)
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(set(modules.mapped("latest_version")), {"19.0.1.0.0"})
