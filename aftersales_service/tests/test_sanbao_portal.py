from datetime import date, timedelta

from odoo.tests import tagged

from .test_portal import AftersalesPortalCase


@tagged("post_install", "-at_install")
class TestSanbaoPortal(AftersalesPortalCase):
    """The customer reads why: the reason on the ticket page, the moved end on the warranty."""

    def test_portal_shows_the_reason_and_the_extended_end(self):
        policy = self.env["aftersales.warranty.policy"].create({"name": "三包", "is_sanbao": True})
        warranty = self.env["aftersales.warranty"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "lot_id": self.lot_2.id,
                "policy_id": policy.id,
                "start_date": date(2026, 3, 2),
            }
        )
        repairs = self.env["aftersales.ticket"]
        for day in (30, 60):
            repair = self.create_ticket(
                lot_id=self.lot_2.id,
                fault_category_id=self.fault.id,
                warranty_claim_date=date(2026, 3, 2) + timedelta(days=day),
            )
            self.close(repair)
            repair._aftersales_system().sanbao_repair_days = 4
            repairs |= repair
        ticket = self.create_ticket(
            lot_id=self.lot_2.id,
            fault_category_id=self.fault.id,
            warranty_claim_date=date(2026, 9, 1),
        )
        self.assertEqual(ticket.coverage, "refund")
        self.assertEqual(warranty.sanbao_paused_days, 8)
        self.authenticate("as_portal_a", "as_portal_a")
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertIn("Exchange or refund: repaired 2 times for a performance fault", page)
        for repair in repairs:
            self.assertIn(repair.number, page)
        page = self.url_open(f"/my/warranties/{warranty.id}").text
        self.assertIn("Originally until", page)
        self.assertIn("03/02/2027", page)
        self.assertIn("03/10/2027", page)
        self.authenticate("as_portal_b", "as_portal_b")
        self.assertNotIn("repaired 2 times", self.url_open(f"/my/tickets/{ticket.id}").text)
