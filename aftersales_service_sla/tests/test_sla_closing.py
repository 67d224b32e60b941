from freezegun import freeze_time

from odoo.tests import tagged

from .common import SlaCase, local

MONDAY = (2026, 3, 2)
TUESDAY = (2026, 3, 3)
NOW = local(MONDAY, 9)  # key customers: first response 2 h, on-site 8 h, resolution 16 h


@tagged("post_install", "-at_install")
class TestSlaClosing(SlaCase):
    """Closing or archiving a ticket settles every promise; reopening resumes them."""

    def reply(self, ticket):
        ticket.with_user(self.engineer_a1).message_post(
            body="We are on it.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def replied_and_closed(self):
        """A ticket answered at 10:00 and solved remotely at 10:30."""
        with freeze_time(NOW):
            ticket = self.create_ticket(user_id=self.engineer_a1.id)
        with freeze_time(local(MONDAY, 10)):
            self.reply(ticket)
        with freeze_time(local(MONDAY, 10, 30)):
            self.close(ticket)
            self.env.flush_all()  # the closing date is computed at the flush
        return ticket

    def test_closed_in_time(self):
        ticket = self.replied_and_closed()
        first, onsite, resolution = (
            self.timer(ticket, kind) for kind in ("first_response", "onsite", "resolution")
        )
        self.assertEqual((first.status, first.reached_date), ("met", local(MONDAY, 10)))
        self.assertEqual(resolution.status, "met")
        self.assertEqual(resolution.reached_date, local(MONDAY, 10, 30))
        self.assertEqual(onsite.status, "not_needed", "solved remotely: no visit is needed")
        self.assertEqual(onsite.settled_date, local(MONDAY, 10, 30))
        self.assertFalse(onsite.reached_date or onsite.clock_start or onsite.is_breached)
        self.assertEqual(onsite.used_seconds, 1.5 * 3600)
        self.assertFalse(any(ticket.sla_ids.mapped("next_action_date")))
        self.assertEqual(ticket.sla_status, "met")
        self.assertFalse(ticket.sla_deadline)

    def test_closed_late_without_reply(self):
        with freeze_time(NOW):
            ticket = self.create_ticket(user_id=self.engineer_a1.id)
        with freeze_time(local(MONDAY, 15)):
            self.close(ticket)
        first = self.timer(ticket, "first_response")
        self.assertEqual(first.status, "breached", "its deadline (11:00) had passed: missed")
        self.assertTrue(first.is_breached)
        self.assertEqual(first.settled_date, local(MONDAY, 15))
        self.assertFalse(first.reached_date, "no reply was ever given")
        self.assertEqual(first.breach_seconds, 2.5 * 3600, "11:00-12:00 and 13:30-15:00")
        self.assertEqual(self.timer(ticket, "onsite").status, "not_needed")
        self.assertEqual(self.timer(ticket, "resolution").status, "met")
        self.assertEqual(ticket.sla_status, "breached")

    def test_first_response_met_by_the_resolution(self):
        self.policy_key.first_response_closing = "met"
        with freeze_time(NOW):
            early, late = self.create_ticket(), self.create_ticket()
        with freeze_time(local(MONDAY, 10, 30)):
            self.close(early)
        with freeze_time(local(MONDAY, 15)):
            self.close(late)
        first = self.timer(early, "first_response")
        self.assertEqual((first.status, first.reached_date), ("met", local(MONDAY, 10, 30)))
        first = self.timer(late, "first_response")
        self.assertEqual((first.status, first.reached_date), ("breached", local(MONDAY, 15)))

    def test_paused_promise_is_not_missed(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        with freeze_time(local(MONDAY, 10)):
            ticket.stage_id = self.stage_waiting
        with freeze_time(local(MONDAY, 17)):
            self.close(ticket)
        first = self.timer(ticket, "first_response")
        self.assertEqual(first.status, "not_needed", "paused before its deadline: not missed")
        self.assertEqual(first.used_seconds, 3600)

    def test_reopen_resumes_the_visit(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        with freeze_time(local(MONDAY, 15)):
            self.close(ticket)
        onsite, first = self.timer(ticket, "onsite"), self.timer(ticket, "first_response")
        with freeze_time(local(TUESDAY, 9)):
            ticket.stage_id = self.stage_in_progress
        self.assertEqual(onsite.status, "running", "reopened: the visit may be needed again")
        self.assertFalse(onsite.settled_date)
        self.assertEqual(onsite.clock_start, local(TUESDAY, 9))
        # 4.5 h used on Monday: 3.5 h left from Tuesday 09:00, the closed night not counted
        self.assertEqual(onsite.deadline, local(TUESDAY, 14))
        self.assertEqual(onsite.segment_ids.mapped("reason"), ["start", "reopen"])
        self.assertEqual(first.status, "breached", "a missed first response stays missed")
        self.assertTrue(first.settled_date)
        self.assertEqual(self.timer(ticket, "resolution").status, "running")

    def test_archive_and_restore(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        with freeze_time(local(MONDAY, 10)):
            ticket.active = False
        self.assertEqual(set(ticket.sla_ids.mapped("status")), {"not_needed"})
        self.assertFalse(any(ticket.sla_ids.mapped("next_action_date")))
        with freeze_time(local(MONDAY, 11)):
            ticket.active = True
        self.assertEqual(self.timer(ticket, "resolution").status, "running")
        self.assertEqual(self.timer(ticket, "onsite").status, "running")
        self.assertEqual(self.timer(ticket, "first_response").status, "not_needed")

    def legacy_closed_ticket(self):
        """A ticket closed before closing settled its promises: the on-site clock still runs,
        its breach due (as on a database before 19.0.2.1.0)."""
        ticket = self.replied_and_closed()
        onsite = self.timer(ticket, "onsite")
        self.env.cr.execute(
            """UPDATE aftersales_ticket_sla
                  SET status = 'running', settled_date = NULL, clock_start = %s,
                      deadline = %s, next_action_date = %s
                WHERE id = %s""",
            [NOW, local(TUESDAY, 9), local(TUESDAY, 9), onsite.id],
        )
        self.env.invalidate_all()
        return ticket, onsite

    def test_cron_ignores_closed_tickets(self):
        ticket, onsite = self.legacy_closed_ticket()
        with freeze_time(local(TUESDAY, 12)):
            self.env["aftersales.ticket.sla"]._escalate_due()
        self.assertFalse(onsite.is_breached, "no breach on a closed ticket")
        self.assertEqual(onsite.status, "not_needed")
        self.assertFalse(onsite.next_action_date)
        self.assertFalse(onsite.compensation_ids)
        self.assertFalse(ticket.activity_ids.filtered(lambda a: a.summary == "SLA escalation"))

    def test_settle_existing_closed_tickets(self):
        """What the migration to 19.0.2.1.0 runs."""
        ticket, onsite = self.legacy_closed_ticket()
        settled = self.env["aftersales.ticket"]._sla_settle_over_tickets()
        self.assertEqual(settled, onsite)
        self.assertEqual(onsite.status, "not_needed")
        self.assertEqual(onsite.settled_date, ticket.closed_date, "as of the closing date")
        self.assertFalse(self.env["aftersales.ticket"]._sla_settle_over_tickets())
