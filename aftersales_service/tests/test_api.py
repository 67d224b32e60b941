import json
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesCase

URL = "/aftersales/api/v1/tickets"


@tagged("post_install", "-at_install")
class TestChannelApi(HttpCase, AftersalesCase):
    """R-1.1 / R-1.4: call-centre and WeChat systems create tickets over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = new_test_user(
            cls.env,
            login="as_api_callcentre",
            name="Call Centre Gateway",
            groups="aftersales_service.group_aftersales_user",
        )
        cls.team_a.member_ids = [(4, cls.api_user.id)]
        cls.api_key = cls.generate_key(cls.api_user)
        cls.product.default_code = "HX-200"
        cls.channel_wechat = cls.env.ref("aftersales_service.channel_wechat")
        cls.channel_phone = cls.env.ref("aftersales_service.channel_phone")
        cls.type_repair.team_id = False
        # a requested date within the company's horizon (the past is refused)
        cls.next_month = (fields.Date.today() + timedelta(days=30)).isoformat()
        cls.other_product = cls.env["product.product"].create(
            {"name": "Chiller CW-5", "type": "consu", "default_code": "CW-5"}
        )

    @classmethod
    def generate_key(cls, user):
        expiration = fields.Datetime.now() + timedelta(hours=12)
        return (
            cls.env["res.users.apikeys"].with_user(user)._generate(None, "Call centre", expiration)
        )

    def call(self, payload, key=None, method="POST", raw=None):
        headers = {"Content-Type": "application/json"}
        if key is not False:
            headers["Authorization"] = f"Bearer {key or self.api_key}"
        data = raw if raw is not None else json.dumps(payload)
        return self.url_open(URL, data=data, headers=headers, method=method)

    def payload(self, **values):
        data = {
            "channel": "wechat",
            "subject": "注塑机报警 E07",
            "customer": {
                "name": "赵敏",
                "email": "zhao.min@newfactory.example.cn",
                "phone": "+86 21 5555 0101",
            },
        }
        data.update(values)
        return data

    def counts(self):
        return (
            self.env["aftersales.ticket"].search_count([]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
        )

    def assert_refused(self, response, status, field=None, counts=None):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        body = response.json()
        self.assertTrue(body["error"])
        self.assertEqual(body["field"], field, body["error"])
        if counts:
            self.assertEqual(self.counts(), counts, "nothing may be created by a refused call")
        return body

    # ------------------------------------------------------------ success

    def test_create_full_ticket(self):
        before = self.counts()
        response = self.call(
            self.payload(
                description="开机后显示 E07。\n<b>not html</b>",
                customer={"email": "Zhang.Wei@HUADONG.example.com", "name": "ignored"},
                product="HX-200",
                serial="HX200-0002",
                type="repair",
                fault_category=self.fault.id,
                priority="3",
                requested_date=f"{self.next_month}T09:30:00+08:00",
            )
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        self.assertEqual(set(body), {"id", "number", "access_url"})
        ticket = self.env["aftersales.ticket"].browse(body["id"])
        self.assertEqual(body["number"], ticket.number)
        self.assertTrue(body["access_url"].endswith(f"/my/tickets/{ticket.id}"))
        self.assertTrue(body["access_url"].startswith("http"))
        self.assertEqual(ticket.create_uid, self.api_user, "created as the API user")
        self.assertEqual(ticket.name, "注塑机报警 E07")
        self.assertEqual(ticket.channel_id, self.channel_wechat)
        self.assertEqual(ticket.partner_id, self.customer_contact, "matched by email")
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(ticket.lot_id, self.lot_2)
        self.assertEqual(ticket.type_id, self.type_repair)
        self.assertEqual(ticket.fault_category_id, self.fault)
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(
            ticket.requested_date, datetime.fromisoformat(f"{self.next_month}T01:30:00")
        )
        self.assertEqual(ticket.team_id, self.team_a, "the team of the API user")
        self.assertIn("开机后显示 E07。", ticket.description)
        self.assertIn("&lt;b&gt;not html&lt;/b&gt;", ticket.description, "plain text, escaped")
        self.assertEqual(self.counts(), (before[0] + 1, before[1]), "no contact created")

    def test_minimal_ticket_creates_customer(self):
        before = self.counts()
        response = self.call(self.payload(channel="phone"))
        self.assertEqual(response.status_code, 201, response.text)
        ticket = self.env["aftersales.ticket"].browse(response.json()["id"])
        partner = ticket.partner_id
        self.assertEqual(partner.name, "赵敏")
        self.assertEqual(partner.email, "zhao.min@newfactory.example.cn")
        self.assertEqual(partner.phone, "+86 21 5555 0101")
        self.assertEqual(ticket.channel_id, self.channel_phone)
        self.assertFalse(ticket.product_id)
        self.assertEqual(ticket.priority, "1")
        self.assertEqual(self.counts(), (before[0] + 1, before[1] + 1))
        # the same caller again: matched, not duplicated
        response = self.call(self.payload(subject="Second call"))
        self.assertEqual(response.status_code, 201, response.text)
        second = self.env["aftersales.ticket"].browse(response.json()["id"])
        self.assertEqual(second.partner_id, partner)
        self.assertEqual(self.counts(), (before[0] + 2, before[1] + 1))

    def test_customer_by_id_and_without_email(self):
        response = self.call(self.payload(customer=self.other_customer.id))
        self.assertEqual(response.status_code, 201, response.text)
        ticket = self.env["aftersales.ticket"].browse(response.json()["id"])
        self.assertEqual(ticket.partner_id, self.other_customer)

        response = self.call(self.payload(customer={"name": "王师傅", "phone": "13800000000"}))
        self.assertEqual(response.status_code, 201, response.text)
        ticket = self.env["aftersales.ticket"].browse(response.json()["id"])
        self.assertEqual(ticket.partner_id.name, "王师傅")
        self.assertEqual(ticket.partner_id.phone, "13800000000")
        self.assertFalse(ticket.partner_id.email)

    def test_product_by_id_and_serial_alone(self):
        response = self.call(self.payload(product=self.product.id, serial="HX200-0001"))
        self.assertEqual(response.status_code, 201, response.text)
        ticket = self.env["aftersales.ticket"].browse(response.json()["id"])
        self.assertEqual((ticket.product_id, ticket.lot_id), (self.product, self.lot))
        # the serial alone gives its product
        response = self.call(self.payload(serial="HX200-0002", priority=2))
        self.assertEqual(response.status_code, 201, response.text)
        ticket = self.env["aftersales.ticket"].browse(response.json()["id"])
        self.assertEqual((ticket.product_id, ticket.lot_id), (self.product, self.lot_2))
        self.assertEqual(ticket.priority, "2")

    # ------------------------------------------------------------ authentication and method

    def test_authentication_required(self):
        before = self.counts()
        for key in (False, "0123456789abcdef0123456789abcdef01234567"):
            with self.subTest(key=key):
                response = self.call(self.payload(), key=key)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(
                    response.headers["Content-Type"], "application/json; charset=utf-8"
                )
                self.assertTrue(response.json()["error"])
                self.assertIn("bearer", response.headers["WWW-Authenticate"].lower())
        # the key of an archived user no longer works
        self.api_user.active = False
        response = self.call(self.payload())
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.counts(), before)

    def test_wrong_method(self):
        for method in ("GET", "PUT", "DELETE"):
            with self.subTest(method=method):
                response = self.call(self.payload(), method=method)
                self.assert_refused(response, 405)
                self.assertEqual(response.headers["Allow"], "POST")

    # ------------------------------------------------------------ invalid input

    def test_invalid_fields(self):
        archived_channel = self.env["aftersales.channel"].create(
            {"name": "Fax", "code": "fax", "active": False}
        )
        self.assertFalse(archived_channel.active)
        cases = [
            ({"channel": None}, "channel"),
            ({"channel": "telegram"}, "channel"),
            ({"channel": "fax"}, "channel"),
            ({"channel": 3}, "channel"),
            ({"subject": ""}, "subject"),
            ({"subject": "   "}, "subject"),
            ({"subject": None}, "subject"),
            ({"subject": ["list"]}, "subject"),
            ({"description": 12}, "description"),
            ({"customer": None}, "customer"),
            ({"customer": 999999}, "customer"),
            ({"customer": "Zhang"}, "customer"),
            ({"customer": True}, "customer"),
            ({"customer": {"email": "not-an-email"}}, "customer.email"),
            ({"customer": {"phone": "13800000000"}}, "customer.name"),
            ({"customer": {"name": "X", "mobile": "1"}}, "customer.mobile"),
            ({"product": "NO-SUCH-CODE"}, "product"),
            ({"product": 999999}, "product"),
            ({"product": 1.5}, "product"),
            ({"serial": "NO-SUCH-SERIAL"}, "serial"),
            ({"product": "CW-5", "serial": "HX200-0001"}, "serial"),
            ({"serial": 42}, "serial"),
            ({"type": "haircut"}, "type"),
            ({"fault_category": 999999}, "fault_category"),
            ({"fault_category": "mechanical"}, "fault_category"),
            ({"priority": "4"}, "priority"),
            ({"priority": "urgent"}, "priority"),
            ({"priority": True}, "priority"),
            ({"requested_date": "next Monday"}, "requested_date"),
            ({"requested_date": 20260320}, "requested_date"),
            ({"colour": "red"}, "colour"),
        ]
        before = self.counts()
        for values, field in cases:
            with self.subTest(values=values):
                response = self.call(self.payload(**values))
                self.assert_refused(response, 400, field, counts=before)
        # the customer of the base payload was never created
        self.assertFalse(
            self.env["res.partner"].search(
                [("email_normalized", "=", "zhao.min@newfactory.example.cn")]
            )
        )

    def test_invalid_body(self):
        before = self.counts()
        for raw in ("", "[1, 2]", '"a ticket"', "null"):
            with self.subTest(raw=raw):
                self.assert_refused(self.call(None, raw=raw), 400, None, counts=before)
        response = self.call(None, raw="{not json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.counts(), before)

    def test_refused_by_access_rules_creates_nothing(self):
        """A user outside every team may not create tickets: no contact is left behind."""
        outsider = new_test_user(
            self.env,
            login="as_api_outsider",
            groups="aftersales_service.group_aftersales_user",
        )
        key = self.generate_key(outsider)
        before = self.counts()
        response = self.call(self.payload(), key=key)
        self.assert_refused(response, 403, None, counts=before)
        self.assertFalse(
            self.env["res.partner"].search(
                [("email_normalized", "=", "zhao.min@newfactory.example.cn")]
            )
        )

    def test_user_without_aftersales_rights(self):
        employee = new_test_user(self.env, login="as_api_employee", groups="base.group_user")
        key = self.generate_key(employee)
        before = self.counts()
        self.assert_refused(self.call(self.payload(), key=key), 403, None, counts=before)

    def test_type_of_other_team_creates_nothing(self):
        """The type sends the ticket to a team the API user is no member of: refused by the
        record rules while creating the ticket, after the new contact was created."""
        self.type_repair.team_id = self.team_b  # a team the API user is no member of
        before = self.counts()
        response = self.call(self.payload(type="repair"))
        self.assert_refused(response, 403, None, counts=before)
