"""R-9.4 The abuse table: bad inputs from every door, each answered clearly, none harmful.

The channel API, the portal's request form, the mail gateway and RPC (the ORM calls an RPC
client makes) each get a table of bad inputs: wrong types, huge strings, far or impossible
dates, negative and huge numbers, other customers' ids, missing fields, unknown charsets,
forged tokens. Each must end in a clear error (a form message, an API 4xx in the API's JSON
without a traceback, a `UserError`/`ValidationError`/`AccessError`) or, for mail, a safe and
bounded ticket; nothing is created by a refused input, and a normal request right after
succeeds.
"""

import contextlib
import json
from datetime import timedelta

from psycopg2 import DataError, IntegrityError

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesCase

API = "/aftersales/api/v1/tickets"
LONG = "长" * 100_000


def mail(subject="Alarm E07", sender="Zhang Wei <zhang.wei@huadong.example.com>", **kw):
    """The bytes of a plain mail to `to`, Message-ID from `mid`; `body`, `charset` and
    `transfer` replace the defaults, a None `subject` or `sender` leaves the header out."""
    charset = kw.get("charset", "utf-8")
    lines = [f"Subject: {subject}"] if subject is not None else []
    if sender is not None:
        lines.append(f"From: {sender}")
    lines += [
        f"To: {kw['to']}",
        f"Message-ID: <{kw['mid']}@abuse.example.com>",
        "MIME-Version: 1.0",
        f'Content-Type: text/plain; charset="{charset}"',
        f"Content-Transfer-Encoding: {kw.get('transfer', '8bit')}",
        "",
        kw.get("body", "The machine shows alarm E07."),
    ]
    return "\r\n".join(lines).encode("utf-8", "surrogateescape")


@tagged("post_install", "-at_install")
class TestAbuse(HttpCase, AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = new_test_user(
            cls.env,
            login="as_abuse_api",
            groups="aftersales_service.group_aftersales_user",
            tz="Asia/Shanghai",
        )
        cls.team_a.member_ids = [(4, cls.api_user.id)]
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.api_user)
            ._generate(None, "Abuse", fields.Datetime.now() + timedelta(hours=12))
        )
        cls.type_repair.team_id = False
        cls.portal = new_test_user(
            cls.env, login="as_abuse_portal", groups="base.group_portal", tz="Asia/Shanghai"
        )
        cls.portal.partner_id.parent_id = cls.customer
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "abuse.example.com", "bounce_alias": "bounce", "catchall_alias": "catchall"}
        )
        cls.company.alias_domain_id = cls.alias_domain
        cls.team_a.write({"alias_name": "abuse", "alias_domain_id": cls.alias_domain.id})
        cls.alias = cls.team_a.alias_id.alias_full_name
        cls.other_ticket = cls.create_ticket(
            name="Nanfang conveyor noise", partner_id=cls.other_customer.id, team_id=cls.team_b.id
        )

    # ------------------------------------------------------------ helpers

    def count(self):
        return self.env["aftersales.ticket"].with_context(active_test=False).search_count([])

    def api(self, payload=None, raw=None, headers=None, method="POST", url=API):
        head = {"Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"}
        head.update(headers or {})
        data = raw if raw is not None else json.dumps(payload)
        return self.url_open(url, data=data, headers=head, method=method)

    def good_payload(self, /, **values):
        return {
            "channel": "wechat",
            "subject": "注塑机报警 E07",
            "customer": self.customer_contact.id,
            **values,
        }

    def assert_healthy(self):
        """A normal request right after the bad ones is served."""
        response = self.api(self.good_payload(subject="Healthy again"))
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(self.url_open("/web/login").status_code, 200)

    def assert_api_error(self, response, status):
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        body = response.json()
        self.assertEqual(set(body), {"error", "field"})
        self.assertTrue(body["error"])
        for leak in ("Traceback", 'File "', "/odoo/", ".py"):
            self.assertNotIn(leak, response.text, "no traceback, no server path")
        return body

    # ------------------------------------------------------------ the channel API

    def test_api_abuse(self):
        today = fields.Date.today()
        cases = [
            # (label, payload or raw body, headers, expected status, expected field)
            (
                "year 1 +08:00",
                {"requested_date": "0001-01-01T00:00:00+08:00"},
                400,
                "requested_date",
            ),
            ("year 9999", {"requested_date": "9999-12-31T23:59:00"}, 422, None),
            ("170 years ahead", {"requested_date": "2200-01-01T00:00:00Z"}, 422, None),
            ("yesterday", {"requested_date": f"{today - timedelta(days=2)}T08:00:00Z"}, 422, None),
            ("date as number", {"requested_date": 1e308}, 400, "requested_date"),
            ("date too long", {"requested_date": "2026-01-01" + " " * 100}, 400, "requested_date"),
            ("key self", {"self": 1}, 400, "self"),
            ("key __proto__", {"__proto__": {}}, 400, "__proto__"),
            ("key kwargs", {"kwargs": {"name": "x"}}, 400, "kwargs"),
            ("subject too long", {"subject": "x" * 201}, 400, "subject"),
            ("subject NUL", {"subject": "E07\x00"}, 400, "subject"),
            ("description too long", {"description": "y" * 10_001}, 400, "description"),
            ("email too long", {"customer": {"email": "a" * 250 + "@x.cn"}}, 400, "customer.email"),
            ("customer id huge", {"customer": 10**30}, 400, "customer"),
            ("customer id negative", {"customer": -5}, 400, "customer"),
            ("customer id float", {"customer": 1.0e300}, 400, "customer"),
            ("fault category 2^31", {"fault_category": 2**31}, 400, "fault_category"),
            ("priority NaN", {"priority": float("nan")}, 400, "priority"),
            ("product list", {"product": [1, 2, 3]}, 400, "product"),
            ("serial object", {"serial": {"$ne": ""}}, 400, "serial"),
            ("channel too long", {"channel": "w" * 65}, 400, "channel"),
            ("missing subject", {"subject": None}, 400, "subject"),
        ]
        raw_cases = [
            ("not JSON", "{oops", {}, 400),
            ("invalid UTF-8", b'{"subject": "\xff\xfe"}', {}, 400),
            ("nested 20000 deep", "[" * 20_000 + "]" * 20_000, {}, 400),
            ("5000-digit number", '{"customer": ' + "9" * 5000 + "}", {}, 400),
            ("100,000-character subject", json.dumps({"subject": LONG}), {}, 413),
            ("text/plain", "{}", {"Content-Type": "text/plain"}, 415),
            ("form body", "subject=x", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
            ("forged key", "{}", {"Authorization": "Bearer " + "f" * 40}, 401),
            ("huge key", "{}", {"Authorization": "Bearer " + "k" * 8000}, 401),
            ("no key", "{}", {"Authorization": ""}, 401),
        ]
        before = self.count()
        for label, values, status, field in cases:
            with self.subTest(label):
                body = self.assert_api_error(self.api(self.good_payload(**values)), status)
                self.assertEqual(body["field"], field, body["error"])
        for label, raw, headers, status in raw_cases:
            with self.subTest(label):
                self.assert_api_error(self.api(raw=raw, headers=headers), status)
        with self.subTest("wrong method"):
            response = self.api(self.good_payload(), method="PATCH")
            self.assert_api_error(response, 405)
        with self.subTest("unknown path"):
            self.assert_api_error(self.api(raw="{}", url="/aftersales/api/v1/../v2/x"), 404)
            self.assert_api_error(self.api(raw="{}", url="/aftersales/api/v1/tickets/1"), 404)
        self.assertEqual(self.count(), before, "nothing created by a refused call")
        self.assert_healthy()

    # ------------------------------------------------------------ the portal form

    def post_form(self, **values):
        data = {"csrf_token": http.Request.csrf_token(self), "name": "Alarm E07", **values}
        return self.url_open("/my/tickets/new", data=data)

    def test_portal_abuse(self):
        self.authenticate("as_abuse_portal", "as_abuse_portal")
        today = fields.Date.today()
        cases = [
            ("year 9999", {"requested_date": "9999-12-31T23:59"}, "Choose a date within"),
            ("year 1 in Shanghai", {"requested_date": "0001-01-01T00:00"}, "year-month-day"),
            ("170 years", {"requested_date": "2196-05-04T09:30"}, "Choose a date within"),
            ("yesterday", {"requested_date": f"{today - timedelta(days=2)}T09:00"}, "in the past"),
            ("30 February", {"requested_date": "2027-02-30T10:00"}, "year-month-day"),
            ("digits", {"requested_date": "9" * 100}, "year-month-day"),
            ("date with seconds", {"requested_date": "2027-01-01T10:00:00"}, "year-month-day"),
            ("empty subject", {"name": "\x00 "}, "Give your request a subject."),
            ("long subject", {"name": LONG[:201]}, "Keep the subject under"),
            ("long description", {"description": "d" * 10_001}, "Keep the description under"),
            (
                "long product",
                {"product_id": "other", "product_other": "p" * 201},
                "Keep the product",
            ),
            ("injected product", {"product_id": "1 OR 1=1"}, "Choose one of the products"),
            ("other's serial", {"lot_id": str(self.lot_2.id)}, "Choose a serial number"),
        ]
        before = self.count()
        for label, values, message in cases:
            with self.subTest(label):
                response = self.post_form(**values)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
        with self.subTest("forged access token"):
            url = f"/my/tickets/{self.other_ticket.id}?access_token=forged"
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (303, 403, 404))
            self.assertNotIn("Nanfang conveyor noise", response.text)
        self.assertEqual(self.count(), before, "no ticket from a refused form")
        response = self.post_form(name="Healthy request", requested_date="")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.count(), before + 1)
        self.authenticate(None, None)  # the API refuses a key sent with another user's session
        self.assert_healthy()

    # ------------------------------------------------------------ the mail gateway

    def process(self, raw):
        self.env["mail.thread"].sudo().message_process(False, raw)

    def mail_ticket(self, mid):
        message = self.env["mail.message"].search(
            [("message_id", "=", f"<{mid}@abuse.example.com>")]
        )
        return self.env["aftersales.ticket"].browse(message.res_id if message.model else [])

    def test_mail_abuse(self):
        to = self.alias
        safe = [
            ("huge subject", "m1", {"subject": LONG[:50_000]}),
            ("unknown charset", "m2", {"charset": "x-no-such-charset"}),
            ("wrong charset", "m3", {"charset": "gb2312", "body": "\udcff\udcfe E07"}),
            ("bad base64", "m4", {"transfer": "base64", "body": "!!!not base64"}),
            ("NUL in subject", "m5", {"subject": "=?utf-8?B?RTA3AA==?="}),
            ("no subject", "m6", {"subject": None}),
            ("garbage sender", "m7", {"sender": "<<<" + "@" * 500 + ">>>"}),
            ("big body", "m8", {"body": "E07 " * 250_000}),
        ]
        for label, mid, values in safe:
            with self.subTest(label):
                self.process(mail(to=to, mid=mid, **values))
                ticket = self.mail_ticket(mid)
                self.assertEqual(len(ticket), 1, "a ticket, bounded")
                self.assertLessEqual(len(ticket.name), 500)
                self.assertNotIn("\x00", ticket.name)
        with self.subTest("no From"):
            before = self.count()
            # refused by the gateway (ValueError) or a ticket: never half-created
            with contextlib.suppress(ValueError):
                self.process(mail(sender=None, to=to, mid="m9"))
            self.assertLessEqual(self.count(), before + 1)
        self.assert_healthy()

    # ------------------------------------------------------------ RPC (create / write)

    def assert_rpc_refused(self, errors, method, *args):
        """`method(*args)` raises one of `errors` (a class or a tuple) and leaves nothing."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                method(*args)
                self.env.flush_all()
        except errors:
            return
        self.fail(f"{method.__name__}{args} was accepted")

    def test_rpc_abuse(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.engineer_a1)
        now = fields.Datetime.now()
        base = {"name": "RPC", "partner_id": self.customer_contact.id, "team_id": self.team_a.id}
        cases = [
            ("170 years", {"requested_date": now + timedelta(days=170 * 365)}, ValidationError),
            ("year 1", {"requested_date": "0001-01-01 00:00:00"}, ValidationError),
            ("year 9999", {"requested_date": "9999-12-31 23:59:59"}, ValidationError),
            ("last week", {"requested_date": now - timedelta(days=7)}, ValidationError),
            ("date garbage", {"requested_date": "next Monday"}, ValueError),
            ("date as list", {"requested_date": [2026]}, (TypeError, ValueError)),
            ("huge subject", {"name": LONG}, ValidationError),
            ("partner as text", {"partner_id": "Zhang"}, (TypeError, ValueError, DataError)),
            ("unknown priority", {"priority": "9"}, ValueError),
            ("other team", {"team_id": self.team_b.id}, AccessError),
            ("missing subject", {"name": False}, (UserError, ValidationError, IntegrityError)),
            ("unknown field", {"no_such_field": 1}, ValueError),
        ]
        before = self.count()
        for label, values, errors in cases:
            with self.subTest(label):
                self.assert_rpc_refused(errors, Ticket.create, {**base, **values})
        ticket = Ticket.create(base)
        before = self.count()
        writes = [
            ("write far date", {"requested_date": "2200-01-01 00:00:00"}, ValidationError),
            ("write huge subject", {"name": LONG}, ValidationError),
            ("portal writes", None, AccessError),
        ]
        for label, values, error in writes:
            with self.subTest(label), self.assertRaises(error), self.env.cr.savepoint():
                if values is None:
                    ticket.with_user(self.portal).write({"name": "hijacked"})
                else:
                    ticket.write(values)
        with self.subTest("portal creates"), self.assertRaises(AccessError):
            self.env["aftersales.ticket"].with_user(self.portal).create(base)
        with self.subTest("other customer's ticket"), self.assertRaises(AccessError):
            self.other_ticket.with_user(self.engineer_a1).write({"name": "mine now"})
        self.assertEqual(self.count(), before)
        self.assertEqual(ticket.name, "RPC")
        self._check_number_bounds()
        self.assert_healthy()

    def test_past_requested_date_of_existing_tickets(self):
        """Tickets recorded before their requested date passed stay editable and copyable."""
        now = fields.Datetime.now()
        ticket = self.create_ticket(requested_date=now + timedelta(days=1))
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET requested_date = %s WHERE id = %s",
            (now - timedelta(days=29), ticket.id),
        )
        ticket.invalidate_recordset(["requested_date"])
        ticket.name = "Still editable"  # the bounds are checked when the date changes only
        self.assertFalse(ticket.copy().requested_date, "a copy does not carry a past date")
        with self.assertRaises(ValidationError):
            ticket.requested_date = now - timedelta(days=28)

    def _check_number_bounds(self):
        Plan = self.env["aftersales.maintenance.plan"]
        plan_values = {
            "partner_id": self.customer_contact.id,
            "product_id": self.product.id,
            "lot_id": self.lot.id,
            "team_id": self.team_a.id,
        }
        numbers = [
            ("interval 0", {"interval_number": 0}, IntegrityError),
            ("interval -1", {"interval_number": -1}, IntegrityError),
            ("interval 1000 months", {"interval_number": 1000}, ValidationError),
            ("interval 5000", {"interval_number": 5000}, (IntegrityError, ValidationError)),
            ("interval 2^40", {"interval_number": 2**40}, (DataError, ValueError)),
            ("lead days -3", {"lead_days": -3}, IntegrityError),
            ("lead days 100000", {"lead_days": 100_000}, (IntegrityError, ValidationError)),
        ]
        for label, values, errors in numbers:
            with self.subTest(label):
                self.assert_rpc_refused(errors, Plan.create, {**plan_values, **values})
        for days in (0, 100_000):
            with self.subTest(horizon=days):
                self.assert_rpc_refused(
                    IntegrityError, self.company.write, {"aftersales_requested_date_days": days}
                )
