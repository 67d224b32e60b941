from odoo.tests import HttpCase, tagged
from odoo.tools import html2plaintext

from .field_common import FieldCase


@tagged("post_install", "-at_install")
class TestFieldTour(HttpCase, FieldCase):
    """The engineer's day in a phone-sized browser (390x844)."""

    browser_size = "390x844"
    touch_enabled = True

    def test_engineer_day_on_a_phone(self):
        self.start_tour("/aftersales/field", "aftersales_field_day_tour", login="as_eng_a1")
        visit = self.visit
        self.env.invalidate_all()
        event = visit.visit_event_ids
        self.assertEqual(event.kind, "checkin")
        self.assertTrue(event.distance < 500 and not event.flag)
        self.assertEqual(visit.arrival_date, event.event_date)
        self.assertEqual(visit.photo_ids.kind, "before")
        line = visit.part_line_ids
        self.assertEqual(
            (line.product_id, line.source, line.product_uom_qty), (self.bearing, "van", 1)
        )
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.bearing, self.van_a1), 4
        )
        self.assertTrue(visit.signature)
        self.assertIn("Replaced the pump seal", html2plaintext(visit.work_done))
        self.assertTrue(visit.is_closed)
        self.assertIn("no more leak", html2plaintext(visit.resolution))

    def test_offline_actions_are_kept_and_sent_once(self):
        self.start_tour(
            f"/aftersales/field/visit/{self.visit.id}",
            "aftersales_field_offline_tour",
            login="as_eng_a1",
        )
        self.env.invalidate_all()
        self.assertEqual(len(self.visit.visit_event_ids), 1)
        self.assertTrue(self.visit.arrival_date)
        notes = self.visit.message_ids.filtered(
            lambda m: "second visit next week" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        actions = self.env["aftersales.field.action"].search([("ticket_id", "=", self.visit.id)])
        self.assertEqual(sorted(actions.mapped("action")), ["checkin", "note"])
        # each keeps the time it was done on the phone: the check-in came first
        checkin, note = (
            actions.filtered(lambda a, k=k: a.action == k) for k in ("checkin", "note")
        )
        self.assertEqual(self.visit.arrival_date, checkin.action_date)
        self.assertLessEqual(checkin.action_date, note.action_date)
