import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .warranty_common import WarrantyCase

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


class NameplateCase(HttpCase, WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.aftersales_service_phone = "400-820-8888"
        cls.team_a.sequence = 1  # the team of tickets from outside
        cls.customer.write({"street": "88 Jiangchang Road", "phone": "+86 21 5555 0100"})
        lots = cls.make_lots(2, prefix="QR")
        cls.add_stock(cls.product, lots=lots)
        order = cls.sell([(cls.product, 2)])
        cls.order = order
        picking = order.picking_ids
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        cls.picking = picking
        cls.warranty = order.aftersales_warranty_ids.filtered(lambda w: w.lot_id == lots[0])
        cls.qr_lot, cls.other_lot = lots
        cls.token = cls.qr_lot.aftersales_qr_token
        cls.url = f"/aftersales/s/{cls.token}"

    def form_post(self, url=None, data=None, files=None, csrf=True):
        """Post the fault form as a browser would: the page first (session, CSRF token)."""
        url = url or self.url
        page = self.url_open(url)
        values = {"name": "Li Gong", "phone": "138 0013 8000", "description": "Alarm E07 at start"}
        if csrf:
            match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            values["csrf_token"] = match.group(1)
        values.update(data or {})
        return self.url_open(f"{url}/report", data=values, files=files, allow_redirects=True)

    def qr_tickets(self):
        return self.env["aftersales.ticket"].search([("channel_id.code", "=", "qr")])


@tagged("post_install", "-at_install")
class TestNameplate(NameplateCase):
    def test_token_per_serial_regenerated_by_a_manager(self):
        self.assertGreaterEqual(len(self.token), 43, "32 random bytes: 256 bits")
        self.assertNotEqual(self.token, self.other_lot.aftersales_qr_token)
        self.assertEqual(self.url_open(self.url).status_code, 200)
        with self.assertRaises(AccessError):
            self.qr_lot.with_user(self.agent).action_aftersales_regenerate_qr_token()
        self.qr_lot.with_user(self.manager).action_aftersales_regenerate_qr_token()
        self.assertNotEqual(self.qr_lot.aftersales_qr_token, self.token)
        self.assertEqual(self.url_open(self.url).status_code, 404, "the old label is revoked")
        self.assertEqual(self.url_open(self.qr_lot.aftersales_qr_url).status_code, 200)

    def test_public_page_shows_the_machine_and_no_personal_data(self):
        ticket = self.create_ticket(lot_id=self.qr_lot.id)
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        html = page.text
        for shown in (
            self.product.name,
            self.qr_lot.name,
            "Under warranty",
            ticket.number,
            ticket.stage_id.name,
            "400-820-8888",
            'name="viewport"',
        ):
            self.assertIn(shown, html)
        for hidden in (
            self.customer.name,
            "Jiangchang",
            "5555 0100",
            "1,000",
            "Zhang Wei",
            self.order.name,
        ):
            self.assertNotIn(hidden, html)

    def test_page_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_service"], ["zh_CN"])
        for page in (
            self.url_open(self.url, headers={"Accept-Language": "zh-CN,zh;q=0.9"}),
            self.url_open(f"{self.url}?lang=zh_CN"),
        ):
            self.assertIn("报告故障", page.text)
        self.assertIn("Report a fault", self.url_open(f"{self.url}?lang=en_US").text)

    def test_report_a_fault_creates_a_ticket(self):
        response = self.form_post(files=[("photos", ("fault.png", PNG, "image/png"))])
        self.assertEqual(response.status_code, 200)
        ticket = self.qr_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.channel_id, self.env.ref("aftersales_service.channel_qr"))
        self.assertEqual(ticket.lot_id, self.qr_lot)
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(ticket.warranty_id, self.warranty)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual((ticket.partner_name, ticket.partner_phone), ("Li Gong", "138 0013 8000"))
        self.assertIn("Alarm E07", ticket.description)
        photos = self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(photos.mapped("mimetype"), ["image/png"])
        # the reporter follows the request on the same page
        self.assertIn(ticket.number, response.text)
        self.assertIn("o_aftersales_nameplate_reported", response.text)
        self.assertIn(
            f'o_aftersales_nameplate_reported_stage">{ticket.stage_id.name}<', response.text
        )
        # the customer's contacts are told as for any new ticket (by the acknowledgement job
        # that runs after the request)
        self.assertIn(self.customer, ticket.message_partner_ids)
        self.env["aftersales.ticket"]._send_acknowledgements()
        mail = self.env["mail.mail"].search(
            [("model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(mail.recipient_ids, self.customer, "acknowledged as any new ticket")
        self.assertIn("we have received your request", mail.subject)

    def test_bad_inputs(self):
        big = b"\xff\xd8\xff\xe0" + b"0" * (5 * 1024 * 1024 + 1)
        cases = [
            ("no name", {"name": ""}, None, 400),
            ("name too long", {"name": "x" * 101}, None, 400),
            ("no phone", {"phone": ""}, None, 400),
            ("phone with letters", {"phone": "call me"}, None, 400),
            ("phone too short", {"phone": "12"}, None, 400),
            ("no description", {"description": "   "}, None, 400),
            ("description too long", {"description": "x" * 5001}, None, 400),
            ("NUL characters only", {"name": "\x00\x00"}, None, 400),
            (
                "four photos",
                {},
                [("photos", (f"p{i}.png", PNG, "image/png")) for i in range(4)],
                400,
            ),
            (
                "a script as a photo",
                {},
                [("photos", ("x.png", b"<script>alert(1)</script>", "image/png"))],
                400,
            ),
            ("a PDF as a photo", {}, [("photos", ("x.jpg", b"%PDF-1.4 fake", "image/jpeg"))], 400),
            ("a photo too large", {}, [("photos", ("big.jpg", big, "image/jpeg"))], 400),
        ]
        for name, data, files, status in cases:
            with self.subTest(name):
                response = self.form_post(data=data, files=files)
                self.assertEqual(response.status_code, status, name)
                self.assertIn("invalid-feedback", response.text, name)
                self.assertFalse(self.qr_tickets(), name)
        # without the CSRF token: refused before anything is read
        self.assertEqual(self.form_post(csrf=False).status_code, 400)
        self.assertFalse(self.qr_tickets())
        # a wrong, unknown or malformed token: a plain 404, for the page and the form
        page = self.url_open(self.url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        for url in ("/aftersales/s/nope", "/aftersales/s/" + "A" * 43, "/aftersales/s/%27%3B--"):
            with self.subTest(url):
                self.assertEqual(self.url_open(url).status_code, 404)
                posted = self.url_open(
                    f"{url}/report",
                    data={"csrf_token": csrf, "name": "x", "phone": "12345", "description": "x"},
                )
                self.assertEqual(posted.status_code, 404)
        self.assertFalse(self.qr_tickets())

    def test_rate_limits_per_serial_and_per_address(self):
        self.company.aftersales_qr_reports_per_hour = 2
        for _i in range(2):
            self.assertEqual(self.form_post().status_code, 200)
        refused = self.form_post()
        self.assertEqual(refused.status_code, 400)
        self.assertIn("Too many faults", refused.text)
        self.assertEqual(len(self.qr_tickets()), 2)
        # another serial from the same address: the address limit
        other = f"/aftersales/s/{self.other_lot.aftersales_qr_token}"
        self.assertEqual(self.form_post(url=other).status_code, 400)
        self.assertEqual(len(self.qr_tickets()), 2)
        # an hour later the serial may report again
        self.env.cr.execute(
            "UPDATE aftersales_nameplate_report SET create_date = now() - interval '61 minutes'"
        )
        self.assertEqual(self.form_post(url=other).status_code, 200)

    def test_nameplate_labels(self):
        report = self.env["ir.actions.report"]
        legacy = self.env["stock.lot"].create({"name": "OLD-1", "product_id": self.product.id})
        legacy.sudo().aftersales_qr_token = False
        html = report._render_qweb_html(
            "aftersales_service.action_report_nameplate_label", (self.qr_lot | legacy).ids
        )[0].decode()
        # Odoo's QR rendering (the one behind /report/barcode), embedded in the label
        self.assertIn(
            'data-oe-type="barcode" data-oe-expression="lot.aftersales_qr_url"><img', html
        )
        self.assertIn('src="data:image/png;base64,', html)
        self.assertIn(self.qr_lot.aftersales_qr_url, html)
        self.assertIn(f'alt="Barcode {self.qr_lot.aftersales_qr_url}"', html)
        self.assertTrue(legacy.aftersales_qr_token, "a serial printed gets its token")
        self.assertIn(legacy.aftersales_qr_url, html)
        self.assertIn("400-820-8888", html)
        self.assertIn(self.product.name, html)
        action = self.picking.action_aftersales_print_nameplates()
        self.assertEqual(action["report_name"], "aftersales_service.report_nameplate_label")
        self.assertEqual(
            set(action["context"]["active_ids"]), set(self.order.aftersales_warranty_ids.lot_id.ids)
        )
        # the QR image itself comes from Odoo's barcode route
        image = self.url_open(
            f"/report/barcode/?barcode_type=QR&value={self.qr_lot.aftersales_qr_url}&width=180&height=180"
        )
        self.assertEqual(image.headers["Content-Type"], "image/png")
        untracked = self.sell([(self.untracked, 1)])
        with self.assertRaises(UserError):
            untracked.picking_ids.action_aftersales_print_nameplates()

    def test_access_rights(self):
        portal = new_test_user(self.env, login="np_portal", groups="base.group_portal")
        salesman = new_test_user(
            self.env, login="np_sales", groups="sales_team.group_sale_salesman"
        )
        self.form_post()
        log = self.env["aftersales.nameplate.report"].search([])
        self.assertEqual(len(log), 1)
        for user in (portal, salesman):
            with self.subTest(user.login), self.assertRaises(AccessError):
                log.with_user(user).read(["address"])
            with self.subTest(user.login), self.assertRaises(AccessError):
                self.env["aftersales.parts.supply.report"].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.qr_lot.with_user(salesman).read(["aftersales_qr_token"])
        self.assertTrue(log.with_user(self.agent).read(["ticket_id"]))
        with self.assertRaises(AccessError):
            log.with_user(self.agent).unlink()
        with self.assertRaises(AccessError):
            log.with_user(self.manager).write({"address": "1.2.3.4"})
        log.with_user(self.manager).unlink()
