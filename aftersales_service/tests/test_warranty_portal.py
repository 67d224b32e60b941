from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .warranty_common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyPortal(HttpCase, WarrantyCase):
    """/my/warranties and the warranty card; portal and company isolation of warranties."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = new_test_user(
            cls.env, login="as_w_portal_a", name="Zhou Li", groups="base.group_portal"
        )
        cls.portal_a.partner_id.parent_id = cls.customer
        cls.portal_b = new_test_user(
            cls.env, login="as_w_portal_b", name="Sun Mei", groups="base.group_portal"
        )
        cls.portal_b.partner_id.parent_id = cls.other_customer
        Warranty = cls.env["aftersales.warranty"]
        cls.warranty_a = Warranty.create(
            {
                "partner_id": cls.customer_contact.id,
                "product_id": cls.product.id,
                "lot_id": cls.lot.id,
                "policy_id": cls.policy.id,
                "start_date": date(2026, 3, 2),
            }
        )
        cls.warranty_b = Warranty.create(
            {
                "partner_id": cls.other_customer.id,
                "product_id": cls.product.id,
                "lot_id": cls.lot_2.id,
                "policy_id": cls.policy.id,
                "start_date": date(2026, 3, 2),
            }
        )

    # ------------------------------------------------------------ ORM rules

    def test_portal_sees_own_company_warranties_only(self):
        visible = self.env["aftersales.warranty"].with_user(self.portal_a).search([])
        self.assertEqual(visible, self.warranty_a)
        with self.assertRaises(AccessError):
            self.warranty_b.with_user(self.portal_a).read(["number"])
        with self.assertRaises(AccessError):
            self.warranty_a.with_user(self.portal_a).write({"note": "mine now"})
        self.assertEqual(
            self.env["aftersales.warranty"].with_user(self.portal_b).search([]), self.warranty_b
        )

    def test_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Guangzhou Branch"})
        outsider = new_test_user(
            self.env,
            login="as_w_other_company",
            groups="aftersales_service.group_aftersales_manager",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        self.assertFalse(self.env["aftersales.warranty"].with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            self.warranty_a.with_user(outsider).read(["number"])
        self.env["aftersales.warranty.extension"].create(
            {"warranty_id": self.warranty_a.id, "months": 6}
        )
        self.assertFalse(self.env["aftersales.warranty.extension"].with_user(outsider).search([]))
        private_policy = self.env["aftersales.warranty.policy"].create(
            {"name": "Shanghai only", "company_id": self.company.id}
        )
        policies = self.env["aftersales.warranty.policy"].with_user(outsider).search([])
        self.assertNotIn(private_policy, policies)
        self.assertIn(self.policy, policies, "a policy without company is shared")

    def test_only_managers_configure_and_delete(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.warranty.policy"].with_user(self.engineer_a1).create(
                {"name": "My own policy"}
            )
        with self.assertRaises(AccessError):
            self.warranty_a.with_user(self.engineer_a1).unlink()
        salesman = new_test_user(
            self.env, login="as_w_salesman", groups="sales_team.group_sale_salesman"
        )
        self.assertIn(
            self.warranty_a, self.env["aftersales.warranty"].with_user(salesman).search([])
        )
        with self.assertRaises(AccessError):
            self.warranty_a.with_user(salesman).write({"note": "edited"})

    # ------------------------------------------------------------ HTTP

    def test_portal_list_and_detail(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.url_open("/my/warranties")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.warranty_a.number, response.text)
        self.assertNotIn(self.warranty_b.number, response.text)
        self.assertIn(self.lot.name, response.text)

        response = self.url_open(f"/my/warranties/{self.warranty_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.warranty_a.number, response.text)
        self.assertIn(f"/my/warranties/{self.warranty_a.id}/card", response.text)

        response = self.url_open("/my")
        self.assertIn("/my/warranties", response.text)

    def test_portal_cannot_open_another_customers_warranty(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        for url in (
            f"/my/warranties/{self.warranty_b.id}",
            f"/my/warranties/{self.warranty_b.id}/card",
        ):
            response = self.url_open(url)
            self.assertNotIn(self.warranty_b.number, response.text, url)
            self.assertTrue(response.url.endswith("/my"), url)

    def test_warranty_card(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.url_open(f"/my/warranties/{self.warranty_a.id}/card?report_type=html")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Warranty Card", response.text)
        self.assertIn(self.warranty_a.number, response.text)
        self.assertIn(self.lot.name, response.text)
        content, report_format = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.action_report_warranty_card", self.warranty_a.ids
        )
        self.assertEqual(report_format, "html")
        self.assertIn(self.warranty_a.number, content.decode())

    def test_card_by_access_token(self):
        url = self.warranty_a.get_portal_url(suffix="/card", query_string="&report_type=html")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.warranty_a.number, response.text)
        response = self.url_open(f"/my/warranties/{self.warranty_a.id}/card?access_token=wrong")
        self.assertNotIn(self.warranty_a.number, response.text)
