import re
from datetime import timedelta

from odoo import fields, http
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AftersalesCase

# a 1x1 PNG: the customer's signature
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class AftersalesPortalCase(HttpCase, AftersalesCase):
    """Portal customers of two companies, and a real delivery of a machine to the first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = new_test_user(
            cls.env, login="as_portal_a", name="Li Na", groups="base.group_portal"
        )
        cls.portal_a.partner_id.parent_id = cls.customer
        cls.portal_b = new_test_user(
            cls.env, login="as_portal_b", name="Wang Fang", groups="base.group_portal"
        )
        cls.portal_b.partner_id.parent_id = cls.other_customer
        cls.ticket_a = cls.create_ticket(name="Hydraulic leak on HX-200", lot_id=cls.lot.id)
        cls.ticket_b = cls.create_ticket(
            name="Nanfang conveyor noise", partner_id=cls.other_customer.id
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )

    @classmethod
    def deliver(cls, partner, product, lot):
        """Ship one unit of `product` (serial `lot`) to `partner`: a done outgoing picking."""
        stock = cls.warehouse.lot_stock_id
        customers = cls.env.ref("stock.stock_location_customers")
        cls.env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
        picking = cls.env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": cls.warehouse.out_type_id.id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": stock.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        return picking


@tagged("post_install", "-at_install")
class TestPortal(AftersalesPortalCase):
    # ------------------------------------------------------------ isolation

    def test_list_shows_own_company_tickets_only(self):
        self.authenticate("as_portal_a", "as_portal_a")
        response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.ticket_a.number, response.text)
        self.assertIn("Hydraulic leak on HX-200", response.text)
        self.assertIn("HX200-0001", response.text, "the serial number is listed")
        self.assertNotIn(self.ticket_b.number, response.text)
        self.assertNotIn("Nanfang conveyor noise", response.text)
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/tickets"', home.text, "the portal home links to the requests")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["aftersales_ticket_count"]}
        )
        self.assertEqual(counters["aftersales_ticket_count"], 1)

    def test_detail_page_of_own_ticket(self):
        self.ticket_a.write(
            {
                "user_id": self.engineer_a1.id,
                "expected_date": "2026-03-01 08:00:00",
                "description": "<p>Oil under the clamping unit</p>",
            }
        )
        self.ticket_a.write(
            {"expected_date": "2026-03-05 08:00:00", "delay_reason": "Seal kit back-ordered"}
        )
        self.authenticate("as_portal_a", "as_portal_a")
        response = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        for text in (
            self.ticket_a.number,
            "Hydraulic leak on HX-200",
            self.ticket_a.stage_id.name,
            "Alice Zhao",
            "Seal kit back-ordered",
            "Oil under the clamping unit",
            'class="d-print-none o_portal_chatter',
        ):
            self.assertIn(text, page)
        self.assertNotIn("modal_aftersales_sign", page, "nothing to sign yet")
        # dates and times to the minute, as a customer reads them
        self.assertIn("08:00", page)
        self.assertEqual(re.findall(r"\b\d\d?:\d\d:\d\d\b", page), [], "no seconds shown")

    def test_other_company_ticket_is_refused(self):
        self.authenticate("as_portal_a", "as_portal_a")
        for url in (
            f"/my/tickets/{self.ticket_b.id}",
            f"/my/tickets/{self.ticket_b.id}/report",
            f"/my/tickets/{self.ticket_b.id}?report_type=pdf",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (303, 403, 404), url)
            self.assertNotIn("Nanfang conveyor noise", response.text, url)
            if response.status_code == 303:
                self.assertTrue(response.headers["Location"].endswith("/my"), url)
        result = self.make_jsonrpc_request(
            f"/my/tickets/{self.ticket_b.id}/sign", {"name": "Li Na", "signature": PIXEL}
        )
        self.assertIn("error", result)

    def test_access_token_opens_the_ticket(self):
        token = self.ticket_b._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(f"/my/tickets/{self.ticket_b.id}?access_token=wrong")
        self.assertNotIn("Nanfang conveyor noise", response.text)
        response = self.url_open(f"/my/tickets/{self.ticket_b.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Nanfang conveyor noise", response.text)

    # ------------------------------------------------------------ signature and report

    def _ready_to_sign(self):
        self.ticket_a.write(
            {
                "type_id": self.type_repair.id,
                "user_id": self.engineer_a1.id,
                "work_done": "<p>Replaced the clamping cylinder seals.</p>",
            }
        )

    def test_sign_over_http(self):
        self._ready_to_sign()
        self.authenticate("as_portal_a", "as_portal_a")
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}").text
        self.assertIn("modal_aftersales_sign", page, "the Sign button is shown")
        self.assertIn("Replaced the clamping cylinder seals.", page)
        result = self.make_jsonrpc_request(
            f"/my/tickets/{self.ticket_a.id}/sign", {"name": "Li Na", "signature": PIXEL}
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertIn("message=sign_ok", result["redirect_url"])
        self.env.invalidate_all()
        self.assertTrue(self.ticket_a.signature)
        self.assertEqual(self.ticket_a.signed_by, "Li Na")
        self.assertTrue(self.ticket_a.signed_on)
        message = self.ticket_a.message_ids[0]
        self.assertIn("Service report signed by Li Na", message.body)
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        # signed once only; the page shows the signature instead of the button
        again = self.make_jsonrpc_request(
            f"/my/tickets/{self.ticket_a.id}/sign", {"name": "Li Na", "signature": PIXEL}
        )
        self.assertIn("error", again)
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}?message=sign_ok").text
        self.assertIn("o_aftersales_signed", page)
        self.assertNotIn("modal_aftersales_sign", page)
        # and the ticket can now be closed by the engineer
        self.close(self.ticket_a.with_user(self.engineer_a1))
        self.assertTrue(self.ticket_a.is_closed)

    def test_sign_refused_without_report_or_with_bad_data(self):
        self.ticket_a.type_id = self.type_repair
        self.authenticate("as_portal_a", "as_portal_a")
        url = f"/my/tickets/{self.ticket_a.id}/sign"
        result = self.make_jsonrpc_request(url, {"name": "Li Na", "signature": PIXEL})
        self.assertIn("cannot be signed", result["error"])
        self._ready_to_sign()
        result = self.make_jsonrpc_request(url, {"name": "Li Na", "signature": "bm90IGFuIGltYWdl"})
        self.assertIn("error", result)
        result = self.make_jsonrpc_request(url, {"name": "", "signature": PIXEL})
        self.assertIn("error", result)
        self.env.invalidate_all()
        self.assertFalse(self.ticket_a.signature)
        self.assertFalse(self.ticket_a.signed_by)

    def test_report_download(self):
        self._ready_to_sign()
        self.authenticate("as_portal_a", "as_portal_a")
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}").text
        self.assertIn(f"/my/tickets/{self.ticket_a.id}/report", page)
        response = self.url_open(f"/my/tickets/{self.ticket_a.id}/report")
        self.assertEqual(response.status_code, 200)
        content_type = response.headers["Content-Type"]
        if content_type == "application/pdf" and response.content.startswith(b"%PDF"):
            self.assertIn("Service_Report", response.headers["Content-Disposition"])
        else:
            # the test server prints HTML instead of PDF (as does a server without wkhtmltopdf)
            self.assertIn(self.ticket_a.number, response.text)
            self.assertIn("Replaced the clamping cylinder seals.", response.text)

    # ------------------------------------------------------------ new request

    def _post_new(self, **values):
        data = {"csrf_token": http.Request.csrf_token(self), **values}
        return self.url_open("/my/tickets/new", data=data)

    def test_new_request_lists_delivered_products_only(self):
        chiller = self.env["product.product"].create({"name": "Chiller CW-5", "type": "consu"})
        self.deliver(self.customer_contact, self.product, self.lot)
        self.deliver(self.other_customer, self.product, self.lot_2)
        self.authenticate("as_portal_a", "as_portal_a")
        response = self.url_open("/my/tickets/new")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.product.name, response.text)
        self.assertIn("HX200-0001", response.text)
        self.assertNotIn("HX200-0002", response.text, "delivered to another customer")
        self.assertNotIn("Chiller CW-5", response.text, "never delivered")
        before = self.env["aftersales.ticket"].search_count([])
        # a product never delivered to the customer is refused, with a clear message
        response = self._post_new(name="Chiller alarm", product_id=str(chiller.id))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose one of the products delivered to you", response.text)
        # so is a serial delivered to someone else
        response = self._post_new(
            name="Alarm", product_id=str(self.product.id), lot_id=str(self.lot_2.id)
        )
        self.assertIn("Choose a serial number delivered with this product", response.text)
        self.assertEqual(self.env["aftersales.ticket"].search_count([]), before)

    def test_new_request_creates_a_portal_ticket(self):
        self.deliver(self.customer_contact, self.product, self.lot)
        self.authenticate("as_portal_a", "as_portal_a")
        next_year = fields.Date.today() + timedelta(days=365)
        response = self._post_new(
            name="Machine stops with alarm E07",
            product_id=str(self.product.id),
            lot_id=str(self.lot.id),
            requested_date=f"{next_year - timedelta(days=30)}T09:30",
            description="Alarm E07 since this morning.\nMould temperature is fine.",
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["aftersales.ticket"].search(
            [("name", "=", "Machine stops with alarm E07")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(ticket.channel_id, self.env.ref("aftersales_service.channel_portal"))
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(ticket.lot_id, self.lot)
        self.assertIn("Mould temperature is fine.", ticket.description)
        self.assertEqual(ticket.requested_date.date(), next_year - timedelta(days=30))
        self.assertIn(f"/my/tickets/{ticket.id}", response.url)
        self.assertIn(ticket.number, response.text, "the customer lands on the new ticket")
        self.assertIn(self.portal_a.partner_id, ticket.message_partner_ids)

    def test_new_request_free_product_and_errors(self):
        self.authenticate("as_portal_a", "as_portal_a")
        response = self._post_new(name="", product_id="other")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Give your request a subject.", response.text)
        self.assertIn("Describe the product the request is about.", response.text)
        response = self._post_new(name="Old press", requested_date="2001-01-01T08:00")
        self.assertIn("The requested date is in the past.", response.text)
        self.assertFalse(self.env["aftersales.ticket"].search([("name", "=", "Old press")]))
        self._post_new(
            name="Second-hand press leaks", product_id="other", product_other="Press YP-63"
        )
        ticket = self.env["aftersales.ticket"].search([("name", "=", "Second-hand press leaks")])
        self.assertTrue(ticket)
        self.assertFalse(ticket.product_id)
        self.assertIn("Press YP-63", ticket.description)

    @mute_logger("odoo.http")
    def test_new_request_requires_csrf(self):
        self.authenticate("as_portal_a", "as_portal_a")
        response = self.url_open("/my/tickets/new", data={"name": "Forged request"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["aftersales.ticket"].search([("name", "=", "Forged request")]))
