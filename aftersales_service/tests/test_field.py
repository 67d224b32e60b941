from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .field_common import FAR, NEAR, FieldCase, png


@tagged("post_install", "-at_install")
class TestFieldDay(FieldCase):
    """The engineer's day: visits, check-in and check-out, photos, signature, closing."""

    def test_day_lists_today_and_overdue_in_planned_order(self):
        overdue = self.create_ticket(
            name="Overdue visit",
            user_id=self.engineer_a1.id,
            planned_visit_date=self.now - timedelta(days=2),
        )
        tomorrow = self.create_ticket(
            name="Tomorrow",
            user_id=self.engineer_a1.id,
            planned_visit_date=self.now + timedelta(days=2),
        )
        other = self.create_ticket(
            name="Colleague's", user_id=self.engineer_a2.id, planned_visit_date=self.now
        )
        visits = self.env["aftersales.ticket"].with_user(self.engineer_a1)._field_visits()
        self.assertEqual(visits.ids, [overdue.id, self.visit.id])
        self.assertNotIn(tomorrow, visits)
        self.assertNotIn(other, visits)
        self.assertTrue(overdue._field_overdue())
        self.assertFalse(self.visit._field_overdue())

    def test_checkin_near_sets_the_arrival(self):
        when = self.at(0)
        result = self.act("checkin", at=when, latitude=NEAR[0], longitude=NEAR[1], accuracy=12)
        self.assertEqual(result["status"], "done")
        self.assertEqual(self.visit.arrival_date, when)
        self.assertEqual(self.visit.work_start_date, when)
        self.assertEqual(self.visit.stage_id, self.stage_in_progress)
        event = self.visit.visit_event_ids
        self.assertEqual(event.kind, "checkin")
        self.assertAlmostEqual(event.latitude, NEAR[0], places=5)
        self.assertEqual(event.accuracy, 12)
        self.assertTrue(50 < event.distance < 120, event.distance)
        self.assertFalse(event.flag)
        self.assertFalse(self.visit.field_checkin_flag)
        self.assertEqual(self.visit.field_state, "on_site")

    def test_checkin_far_needs_a_reason_and_is_flagged(self):
        with self.assertRaisesRegex(UserError, "m from the customer's address"):
            self.act("checkin", latitude=FAR[0], longitude=FAR[1], accuracy=20)
        self.assertFalse(self.visit.arrival_date)
        self.act(
            "checkin",
            latitude=FAR[0],
            longitude=FAR[1],
            accuracy=20,
            reason="The machine is in the second plant across the river",
        )
        self.assertEqual(self.visit.field_checkin_flag, "far")
        self.assertGreater(self.visit.field_checkin_distance, 5000)
        self.assertIn("second plant", self.visit.field_checkin_reason)
        activity = self.visit.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(activity), 1, "the team leader verifies the check-in")

    def test_checkin_radius_is_configurable(self):
        self.company.aftersales_checkin_radius = 20000
        self.act("checkin", latitude=FAR[0], longitude=FAR[1])
        self.assertFalse(self.visit.field_checkin_flag)
        with self.assertRaises(ValidationError):
            self.company.aftersales_checkin_radius = 0
            self.env.flush_all()

    def test_checkin_without_location_is_flagged(self):
        with self.assertRaisesRegex(UserError, "no location"):
            self.act("checkin")
        self.act("checkin", reason="No GPS inside the plant hall")
        self.assertEqual(self.visit.field_checkin_flag, "no_location")
        self.assertTrue(self.visit.arrival_date)

    def test_work_time_less_pauses_gives_the_labour_cost(self):
        self.engineer_a1.sudo().aftersales_hourly_cost = 120.0
        loc = {"latitude": NEAR[0], "longitude": NEAR[1]}
        self.act("checkin", at=self.at(0), **loc)
        self.act("pause", at=self.at(60), **loc)
        self.assertEqual(self.visit.field_state, "paused")
        self.act("resume", at=self.at(90), **loc)
        self.act("checkout", at=self.at(180), **loc)
        self.assertEqual(self.visit.field_work_minutes, 150)
        self.assertEqual(self.visit.work_end_date, self.at(180))
        self.assertAlmostEqual(self.visit.cost_labour, 300.0)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_service_ticket", self.visit.ids)[0]
            .decode()
        )
        self.assertIn("Work Time", html)
        self.assertIn("2 h 30 min", html)

    def test_replays_in_another_order_keep_the_phone_times(self):
        loc = {"latitude": NEAR[0], "longitude": NEAR[1]}
        # the check-out reached the server first (the check-in waited in another queue)
        self.act("checkout", at=self.at(120), **loc)
        self.act("pause", at=self.at(30), **loc)
        self.act("checkin", at=self.at(0), **loc)
        self.act("resume", at=self.at(45), **loc)
        self.assertEqual(self.visit.arrival_date, self.at(0))
        self.assertEqual(self.visit.work_end_date, self.at(120))
        self.assertEqual(self.visit.field_work_minutes, 105)
        self.assertEqual(self.visit.field_state, "done")

    def test_same_checkin_twice_gives_one_arrival(self):
        key = self.key()
        loc = {"latitude": NEAR[0], "longitude": NEAR[1]}
        first = self.act("checkin", key=key, at=self.at(0), **loc)
        # the answer was lost with the network: the phone sends it again, later
        second = self.act("checkin", key=key, at=self.at(5), **loc)
        self.assertEqual(first["status"], "done")
        self.assertEqual(second["status"], "duplicate")
        self.assertEqual(second["result"], first["result"])
        self.assertEqual(len(self.visit.visit_event_ids), 1)
        self.assertEqual(self.visit.arrival_date, self.at(0))

    def test_same_signature_twice_gives_one_signature(self):
        key = self.key()
        values = {
            "name": "Zhang Wei",
            "signature": "data:image/png;base64," + png(),
            "work_done": "Replaced the seal",
        }
        self.act("signature", key=key, **values)
        signed_on = self.visit.signed_on
        messages = self.visit.message_ids
        self.assertEqual(self.act("signature", key=key, **values)["status"], "duplicate")
        self.assertEqual(self.visit.signed_on, signed_on)
        self.assertEqual(self.visit.message_ids, messages)
        self.assertEqual(self.visit.signed_by, "Zhang Wei")
        self.assertIn("Replaced the seal", html2plaintext(self.visit.work_done))

    def test_bad_payloads_are_refused_clearly(self):
        with self.assertRaisesRegex(UserError, "valid key"):
            self.act("checkin", key="short")
        with self.assertRaisesRegex(UserError, "clock is ahead"):
            self.act("note", at=fields.Datetime.now() + timedelta(hours=2), note="x")
        with self.assertRaisesRegex(UserError, "more than 7 days"):
            self.act("note", at=fields.Datetime.now() - timedelta(days=9), note="x")
        with self.assertRaisesRegex(UserError, "Unknown action"):
            self.act("unlink")
        with self.assertRaisesRegex(UserError, "no longer exists"):
            self.Action.with_user(self.engineer_a1)._apply(
                {"key": self.key(), "action": "note", "ticket_id": "abc", "values": {}}
            )
        with self.assertRaisesRegex(UserError, "did not come through"):
            self.act("signature", name="Zhang Wei", signature=["not", "a", "string"])
        # out-of-range coordinates count as no location
        with self.assertRaisesRegex(UserError, "no location"):
            self.act("checkin", latitude=123.0, longitude=500)

    def test_photos_are_checked_resized_and_printed(self):
        self.act("photo", kind="before", image=png(3000, 2000), note="Leak at the pump")
        photo = self.visit.photo_ids
        self.assertEqual(photo.kind, "before")
        self.assertEqual(photo.user_id, self.engineer_a1)
        self.assertEqual(photo.image.__class__, bytes)
        width, height = self._size(photo.image)
        self.assertEqual((width, height), (1920, 1280), "resized by Odoo's image tools")
        with self.assertRaisesRegex(UserError, "Only JPEG, PNG and WebP"):
            self.act("photo", kind="after", image="PCFET0NUWVBFIGh0bWw+")  # an HTML page
        with self.assertRaisesRegex(UserError, "empty or damaged"):
            self.act("photo", kind="after", image="!!!")
        with (
            patch(
                "odoo.addons.aftersales_service.models.field.aftersales_ticket_photo."
                "PHOTO_MAX_BYTES",
                100,
            ),
            self.assertRaisesRegex(UserError, "take it again at a lower resolution"),
        ):
            self.act("photo", kind="after", image=png(200, 200))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_service_ticket", self.visit.ids)[0]
            .decode()
        )
        self.assertIn("Leak at the pump", html)
        self.assertIn("Photos Before", html)

    def _size(self, image_b64):
        import base64
        import io

        from PIL import Image

        return Image.open(io.BytesIO(base64.b64decode(image_b64))).size

    def test_close_on_the_phone_keeps_the_guards(self):
        with (
            self.assertRaisesRegex(ValidationError, "cannot be closed yet"),
            self.env.cr.savepoint(),
        ):
            self.act("close", resolution="Seal replaced")
        self.env.cr.execute("SELECT stage_id FROM aftersales_ticket WHERE id = %s", [self.visit.id])
        self.assertEqual(self.env.cr.fetchone()[0], self.visit.stage_id.id)
        self.assertFalse(self.visit.is_closed)
        self.act("signature", name="Zhang Wei", signature=png(), work_done="Replaced the seal")
        self.act("close", resolution="Seal replaced")
        self.assertTrue(self.visit.is_closed)
        self.assertIn("Seal replaced", html2plaintext(self.visit.resolution))
        with self.assertRaisesRegex(UserError, "is closed"):
            self.act("note", note="after closing")
