from lxml import etree

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

    def test_date_widgets_match_their_fields(self):
        """The web client's date widget only shows date fields and its datetime widget only
        datetime fields (it warns in the browser and falls back otherwise): a datetime shown
        without its time uses the `show_time` option instead."""
        supported = {"date": {"date"}, "datetime": {"datetime"}}
        views = self.env["ir.ui.view"].search(
            [("model_data_id.module", "in", ["aftersales_service", "aftersales_service_sla"])]
        )
        self.assertTrue(views)
        wrong = []

        def walk(node, model, view):
            for child in node:
                if not isinstance(child.tag, str):
                    continue
                field = model._fields.get(child.get("name")) if child.tag == "field" else None
                widget = child.get("widget")
                if field and widget in supported and field.type not in supported[widget]:
                    wrong.append(f"{view.key or view.name}: {model._name}.{field.name}")
                sub = self.env.get(field.comodel_name) if field and field.relational else None
                walk(child, sub if sub is not None else model, view)

        for view in views:
            if view.model in self.env:
                walk(etree.fromstring(view.arch_db), self.env[view.model], view)
        self.assertEqual(wrong, [])
