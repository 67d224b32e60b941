"""Run by pytest-odoo inside the test database: both addons are installed and up to date.

The versions are compared with the addons' own manifests (read from disk), so a version
bump without an upgrade of the database fails here, and a bump alone does not.
"""

import ast
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.sql import table_exists

REPO = Path(__file__).resolve().parent.parent
ADDONS = ("aftersales_service", "aftersales_service_sla")
# the main models of each addon (table-backed) and the menus a manager starts from
MODELS = {
    "aftersales_service": [
        "aftersales.ticket",
        "aftersales.team",
        "aftersales.ticket.stage",
        "aftersales.ticket.type",
        "aftersales.warranty",
        "aftersales.part.line",
        "aftersales.maintenance.plan",
    ],
    "aftersales_service_sla": [
        "aftersales.sla.policy",
        "aftersales.ticket.sla",
        "aftersales.compensation",
    ],
}
MENUS = [
    "aftersales_service.aftersales_menu_root",
    "aftersales_service.aftersales_ticket_menu",
    "aftersales_service.aftersales_menu_config",
    "aftersales_service_sla.aftersales_sla_policy_menu",
    "aftersales_service_sla.aftersales_ticket_sla_menu",
]


def manifest_version(addon):
    manifest = ast.literal_eval((REPO / addon / "__manifest__.py").read_text())
    return manifest["version"]


@tagged("post_install", "-at_install")
class TestAddonsInstalled(TransactionCase):
    def test_installed_at_the_manifest_version(self):
        modules = self.env["ir.module.module"].search([("name", "in", ADDONS)])
        self.assertCountEqual(modules.mapped("name"), ADDONS)
        for module in modules:
            with self.subTest(addon=module.name):
                self.assertEqual(module.state, "installed")
                self.assertEqual(module.latest_version, manifest_version(module.name))

    def test_main_models_have_their_tables(self):
        for addon, models in MODELS.items():
            for model in models:
                with self.subTest(model=model):
                    self.assertIn(model, self.env, f"{addon} does not register {model}")
                    self.assertTrue(table_exists(self.env.cr, self.env[model]._table))
                    ir_model = self.env["ir.model"]._get(model)
                    self.assertIn(addon, ir_model.modules.split(", "))

    def test_main_menus_visible_to_the_manager(self):
        admin = self.env.ref("base.user_admin")
        visible = self.env["ir.ui.menu"].with_user(admin)._visible_menu_ids()
        for xmlid in MENUS:
            with self.subTest(menu=xmlid):
                menu = self.env.ref(xmlid, raise_if_not_found=False)
                self.assertTrue(menu, f"menu {xmlid} does not exist")
                self.assertTrue(menu.active)
                self.assertIn(menu.id, visible, f"menu {xmlid} is hidden from the administrator")
                self.assertTrue(menu.action or menu.child_id, f"menu {xmlid} leads nowhere")
