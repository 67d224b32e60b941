from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .satisfaction_common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestComplaint(SatisfactionCase):
    """投诉分级处理: grades with a handling time limit, an owner group and management."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.general = cls.env.ref("aftersales_service.complaint_grade_general")
        cls.serious = cls.env.ref("aftersales_service.complaint_grade_serious")
        cls.major = cls.env.ref("aftersales_service.complaint_grade_major")

    def create_complaint(self, **values):
        vals = {
            "type_id": self.type_complaint.id,
            "name": "The engineer came two days late",
            "user_id": self.engineer_a1.id,
            "priority": "1",
        }
        vals.update(values)
        return self.create_ticket(**vals)

    def escalations(self, ticket):
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_escalation
        )

    def grade_messages(self, ticket):
        self.flush_tracking()
        return ticket.message_ids.filtered(lambda m: "Complaint graded" in (m.body or ""))

    def test_grades_and_deadlines(self):
        self.assertEqual(
            [
                (g.time_limit_hours, g.inform_management)
                for g in (self.general, self.serious, self.major)
            ],
            [(72.0, False), (24.0, False), (8.0, True)],
        )
        now = fields.Datetime.now()
        with freeze_time(now):
            ticket = self.create_complaint()
        self.assertTrue(ticket.is_complaint)
        self.assertEqual(ticket.complaint_grade_id, self.general, "the first grade by default")
        self.assertEqual(ticket.complaint_date, now)
        self.assertEqual(ticket.complaint_deadline, now + timedelta(hours=72))
        ticket.complaint_grade_id = self.serious
        self.assertEqual(ticket.complaint_deadline, now + timedelta(hours=24))
        ticket.complaint_grade_id = self.major
        self.assertEqual(ticket.complaint_deadline, now + timedelta(hours=8))
        self.major.time_limit_hours = 4
        self.assertEqual(ticket.complaint_deadline, now + timedelta(hours=4))
        # the complaint was phoned in yesterday evening
        ticket.complaint_date = now - timedelta(hours=10)
        self.assertEqual(ticket.complaint_deadline, now - timedelta(hours=6))
        self.assertTrue(ticket.complaint_overdue)

        repair = self.create_repair()
        self.assertFalse(repair.is_complaint)
        self.assertFalse(repair.complaint_grade_id)
        self.assertFalse(repair.complaint_deadline)

    def test_management_informed_of_the_grades_that_say_so(self):
        manager_partner = self.manager.partner_id
        ticket = self.create_complaint()
        [message] = self.grade_messages(ticket)
        self.assertIn("General", message.body)
        self.assertNotIn(manager_partner, message.partner_ids)

        ticket.complaint_grade_id = self.major
        messages = self.grade_messages(ticket)
        self.assertEqual(len(messages), 2)
        major_message = messages.filtered(lambda m: "Major" in m.body)
        self.assertIn(manager_partner, major_message.partner_ids)
        self.assertNotIn(self.engineer_b.partner_id, major_message.partner_ids)

    def test_closing_needs_root_cause_corrective_action_and_lessons(self):
        ticket = self.create_complaint()
        with self.assertRaises(ValidationError) as error:
            self.close(ticket)
        self.assertIn("corrective action", str(error.exception))
        ticket.write(
            {
                "root_cause": "Two engineers were on leave and no one re-planned the visit.",
                "corrective_action": "Visits are re-planned daily by the team leader.",
            }
        )
        with self.assertRaises(ValidationError) as error:
            self.close(ticket)
        self.assertIn("lessons learned", str(error.exception))
        self.assertNotIn("root cause", str(error.exception))
        ticket.lessons_learned = "Check the leave calendar when dispatching."
        self.close(ticket)
        self.assertTrue(ticket.is_closed)

    def test_owner_group_closes(self):
        """A general complaint is closed by the team; a serious one by a manager."""
        values = {
            "root_cause": "Late spare part.",
            "corrective_action": "Safety stock of bearings.",
            "lessons_learned": "Order critical parts ahead.",
        }
        general = self.create_complaint(**values)
        self.close(general.with_user(self.engineer_a1))
        self.assertTrue(general.is_closed)

        serious = self.create_complaint(complaint_grade_id=self.serious.id, **values)
        with self.assertRaises(ValidationError) as error:
            self.close(serious.with_user(self.engineer_a1))
        self.assertIn("Only members of", str(error.exception))
        self.close(serious.with_user(self.manager))
        self.assertTrue(serious.is_closed)

    def test_escalation_once(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            ticket = self.create_complaint(complaint_grade_id=self.serious.id)
        self.assertEqual(ticket.complaint_deadline, start + timedelta(hours=24))
        Ticket = self.env["aftersales.ticket"]
        with freeze_time(start + timedelta(hours=23)):
            self.assertFalse(Ticket._cron_escalate_complaints())
        self.assertFalse(ticket.complaint_escalated_date)

        with freeze_time(start + timedelta(hours=25)):
            self.assertEqual(Ticket._cron_escalate_complaints(), ticket)
        self.assertEqual(ticket.complaint_escalated_date, start + timedelta(hours=25))
        self.assertEqual(ticket.priority, "3")
        activity = self.escalations(ticket)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.team_a.leader_id)
        self.flush_tracking()
        escalated = ticket.message_ids.filtered(lambda m: "is escalated" in (m.body or ""))
        self.assertEqual(len(escalated), 1)

        # the hourly job runs again: nothing more
        with freeze_time(start + timedelta(hours=26)):
            self.assertFalse(Ticket._cron_escalate_complaints())
            self.assertFalse(ticket._escalate_complaints())
        self.flush_tracking()
        self.assertEqual(len(self.escalations(ticket)), 1)
        escalated = ticket.message_ids.filtered(lambda m: "is escalated" in (m.body or ""))
        self.assertEqual(len(escalated), 1)

    def test_no_double_escalation_with_the_sla_escalation(self):
        """A complaint the SLA escalation already escalated is left alone by the job."""
        start = fields.Datetime.now()
        with freeze_time(start):
            ticket = self.create_complaint(complaint_grade_id=self.major.id)
        with freeze_time(start + timedelta(hours=7)):
            # what the SLA addon does when its own escalation fires on a complaint
            ticket.complaint_escalated_date = fields.Datetime.now()
        with freeze_time(start + timedelta(hours=9)):
            self.assertFalse(self.env["aftersales.ticket"]._cron_escalate_complaints())
        self.assertFalse(self.escalations(ticket))
        self.assertEqual(ticket.priority, "1")

    def test_major_escalation_informs_management(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            ticket = self.create_complaint(complaint_grade_id=self.major.id)
        with freeze_time(start + timedelta(hours=9)):
            self.env["aftersales.ticket"]._cron_escalate_complaints()
        self.flush_tracking()
        [message] = ticket.message_ids.filtered(lambda m: "is escalated" in (m.body or ""))
        self.assertIn(self.manager.partner_id, message.partner_ids)

    def test_closed_complaints_are_not_escalated(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            ticket = self.create_complaint(
                root_cause="Misunderstanding of the warranty terms.",
                corrective_action="Warranty card explained at delivery.",
                lessons_learned="Explain the 三包 terms at installation.",
            )
            self.close(ticket)
        with freeze_time(start + timedelta(days=5)):
            self.assertFalse(self.env["aftersales.ticket"]._cron_escalate_complaints())
        self.assertFalse(ticket.complaint_escalated_date)
