from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SlaCase, local

NOW = local((2026, 3, 2), 9)


@tagged("post_install", "-at_install")
class TestSlaTrust(SlaCase):
    """The promises' events are recorded by the system, not typed (issue #12)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls.ticket = cls.create_ticket(user_id=cls.engineer_a1.id)

    def test_engineer_cannot_mark_the_first_reply(self):
        ticket = self.ticket.with_user(self.engineer_a1)
        for field, value in (
            ("sla_first_reply_date", "2026-03-02 01:30:00"),
            ("sla_ids", []),
            ("sla_voucher_of_id", False),
        ):
            with self.subTest(field=field), self.assertRaises(UserError) as caught:
                ticket.write({field: value})
            label = ticket._fields[field]._description_string(self.env)
            self.assertIn(label, str(caught.exception))
        timer = self.timer(self.ticket, "first_response")
        self.assertFalse(timer.reached_date, "the promise is not marked met by hand")
        # the reply itself records it
        with freeze_time(local((2026, 3, 2), 10)):
            ticket.message_post(
                body="We will call you within the hour.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(self.ticket.sla_first_reply_date, local((2026, 3, 2), 10))
        self.assertEqual(timer.status, "met")

    def test_manager_corrects_the_first_reply(self):
        self.ticket.with_user(self.manager).sla_first_reply_date = local((2026, 3, 2), 9, 30)
        self.assertEqual(self.ticket.sla_first_reply_date, local((2026, 3, 2), 9, 30))
