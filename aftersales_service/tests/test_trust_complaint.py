from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .satisfaction_common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestTrustComplaint(SatisfactionCase):
    """A complaint's grade, date received and type: the grade's owner group or a manager
    changes them, and the chatter says who changed what (issue #12)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.general = cls.env.ref("aftersales_service.complaint_grade_general")
        cls.serious = cls.env.ref("aftersales_service.complaint_grade_serious")

    def complaint(self, grade):
        ticket = self.create_ticket(
            type_id=self.type_complaint.id,
            name="The engineer came two days late",
            user_id=self.engineer_a1.id,
        )
        ticket.complaint_grade_id = grade
        self.flush_tracking()
        return ticket

    def tracked(self, ticket, field):
        """(old, new, author) of the tracked changes of `field` on the ticket."""
        self.flush_tracking()
        self.env.invalidate_all()
        values = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", ticket._name),
                ("mail_message_id.res_id", "=", ticket.id),
                ("field_id.name", "=", field),
            ]
        )
        return [
            (
                value.old_value_char or value.old_value_datetime,
                value.new_value_char or value.new_value_datetime,
                value.mail_message_id.author_id,
            )
            for value in values
        ]

    def test_engineer_cannot_downgrade_a_serious_complaint(self):
        ticket = self.complaint(self.serious)
        as_engineer = ticket.with_user(self.engineer_a1)
        changes = {
            "complaint_grade_id": self.general.id,
            "complaint_date": "2099-01-01 00:00:00",
            "type_id": self.type_repair.id,
        }
        for field, value in changes.items():
            with self.subTest(field=field), self.assertRaises(UserError) as caught:
                as_engineer.write({field: value})
            label = ticket._fields[field]._description_string(self.env)
            self.assertIn(label, str(caught.exception))
        self.assertEqual(ticket.complaint_grade_id, self.serious)
        self.assertTrue(ticket.is_complaint)
        # writing the same values again (a form saving all its fields) is no change
        as_engineer.write({"complaint_grade_id": self.serious.id, "name": "Late visit"})
        self.assertEqual(ticket.name, "Late visit")

    def test_grade_owner_changes_a_general_complaint_and_it_is_logged(self):
        ticket = self.complaint(self.general)
        as_engineer = ticket.with_user(self.engineer_a1)
        as_engineer.complaint_date = "2026-01-05 08:00:00"
        as_engineer.complaint_grade_id = self.serious
        grades = self.tracked(ticket, "complaint_grade_id")
        self.assertIn(("General", "Serious", self.engineer_a1.partner_id), grades)
        dates = self.tracked(ticket, "complaint_date")
        self.assertTrue(dates)
        self.assertEqual(dates[0][2], self.engineer_a1.partner_id)
        # now Serious: only a manager changes it back
        with self.assertRaises(UserError):
            as_engineer.complaint_grade_id = self.general

    def test_manager_changes_a_serious_complaint(self):
        ticket = self.complaint(self.serious)
        ticket.with_user(self.manager).write({"type_id": self.type_repair.id})
        self.assertFalse(ticket.is_complaint)
        types = self.tracked(ticket, "type_id")
        self.assertTrue(any(author == self.manager.partner_id for _o, _n, author in types))

    def test_complaint_date_never_in_the_future(self):
        ticket = self.complaint(self.general)
        with self.assertRaisesRegex(ValidationError, "in the future"):
            ticket.with_user(self.manager).complaint_date = "2099-01-01 00:00:00"
