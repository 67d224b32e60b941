from odoo.tests import tagged
from odoo.tools import html2plaintext

from .test_portal import AftersalesPortalCase

SUBJECT = "Spindle noise on HX-200 - tour"


@tagged("post_install", "-at_install")
class TestTicketTour(AftersalesPortalCase):
    def test_ticket_lifecycle(self):
        """Agent records and dispatches, engineer reports, customer signs, engineer closes."""
        self.team_a.assignment_method = "manual"
        self.start_tour(
            "/odoo/action-aftersales_service.aftersales_ticket_action/new",
            "aftersales_agent_tour",
            login="as_agent",
        )
        ticket = self.env["aftersales.ticket"].search([("name", "=", SUBJECT)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertEqual(ticket.type_id, self.type_repair)
        self.assertEqual(ticket.lot_id, self.lot)
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(ticket.team_id, self.team_a)
        self.assertEqual(ticket.user_id, self.engineer_a1)
        self.assertEqual(ticket.stage_id, self.stage_dispatched)
        self.assertEqual(ticket.dispatch_ids.to_user_id, self.engineer_a1)
        self.assertEqual(ticket.create_uid, self.agent)

        self.start_tour(
            f"/odoo/aftersales.ticket/{ticket.id}",
            "aftersales_engineer_visit_tour",
            login="as_eng_a1",
        )
        self.env.invalidate_all()
        self.assertTrue(ticket.arrival_date)
        self.assertIn("Replaced the spindle bearing", html2plaintext(ticket.work_done))
        self.assertIn("Worn spindle bearing replaced.", html2plaintext(ticket.resolution))
        self.assertFalse(ticket.signature)
        self.assertTrue(ticket._has_to_be_signed())

        self.start_tour("/my/tickets", "aftersales_customer_sign_tour", login="as_portal_a")
        self.env.invalidate_all()
        self.assertTrue(ticket.signature)
        self.assertEqual(ticket.signed_by, "Li Na")
        self.assertTrue(ticket.signed_on)
        self.assertFalse(ticket.is_closed, "the customer signs, the engineer closes")

        self.start_tour(
            f"/odoo/aftersales.ticket/{ticket.id}",
            "aftersales_engineer_close_tour",
            login="as_eng_a1",
        )
        self.env.invalidate_all()
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.stage_id, self.stage_closed)
        self.assertTrue(ticket.closed_date)
