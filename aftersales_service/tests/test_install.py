from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_menu_and_groups(self):
        root = self.env.ref("aftersales_service.aftersales_menu_root")
        manager = self.env.ref("aftersales_service.group_aftersales_manager")
        user = self.env.ref("aftersales_service.group_aftersales_user")
        self.assertIn(user, manager.implied_ids)
        self.assertIn(manager, self.env.ref("base.user_admin").group_ids)
        self.assertEqual(root.web_icon, "aftersales_service,static/description/icon.png")

    def test_reference_data(self):
        codes = set(self.env["aftersales.channel"].search([]).mapped("code"))
        self.assertLessEqual(
            {"phone", "email", "portal", "wechat", "visit", "letter", "api"}, codes
        )
        self.assertGreaterEqual(
            self.env["aftersales.ticket.type"].search_count([("code", "!=", False)]), 9
        )
        closing = self.env["aftersales.ticket.stage"].search([("is_closed", "=", True)])
        self.assertEqual(closing, self.env.ref("aftersales_service.stage_closed"))
