from freezegun import freeze_time

from odoo.tests import tagged

from .common import SlaCase, local

MONDAY = (2026, 3, 2)
NOW = local(MONDAY, 9)  # Monday 2 March 2026, 09:00 in Shanghai


@tagged("post_install", "-at_install")
class TestSlaFieldCheckin(SlaCase):
    """The engineer's phone: a check-in is the arrival the on-site promise stops on."""

    def test_checkin_on_the_phone_keeps_the_onsite_promise(self):
        with freeze_time(NOW):
            ticket = self.create_ticket(user_id=self.engineer_a1.id)
        timer = self.timer(ticket, "onsite")
        self.assertEqual(ticket._field_deadline(), ticket.sla_deadline)
        # done on the phone at 15:00, received by the server at 16:30 (no network)
        with freeze_time(local(MONDAY, 16, 30)):
            ticket.with_user(self.engineer_a1)._field_record_event(
                "checkin", local(MONDAY, 15), reason="No GPS inside the plant hall"
            )
        self.assertEqual(ticket.arrival_date, local(MONDAY, 15))
        self.assertEqual(timer.reached_date, local(MONDAY, 15))
        self.assertEqual(timer.status, "met")
