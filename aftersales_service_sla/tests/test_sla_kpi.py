from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestSlaKpi(SlaCase):
    """SLA compliance in the KPI report of aftersales_service, and complaints escalated once."""

    def test_sla_compliance_by_engineer(self):
        statuses = [
            (self.engineer_a1, "met"),
            (self.engineer_a1, "met"),
            (self.engineer_a1, "breached"),
            (self.engineer_a1, "running"),
            (self.engineer_a2, "breached"),
        ]
        tickets = self.env["aftersales.ticket"]
        for user, status in statuses:
            ticket = self.create_ticket(user_id=user.id)
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE aftersales_ticket SET sla_status = %s WHERE id = %s", (status, ticket.id)
            )
            tickets |= ticket
        self.env.invalidate_all()
        groups = self.env["aftersales.kpi.report"]._read_group(
            [("ticket_id", "in", tickets.ids)],
            ["user_id"],
            ["sla_compliance_rate:avg", "sla_breached_count:sum"],
        )
        figures = {user: (rate, breaches) for user, rate, breaches in groups}
        self.assertAlmostEqual(figures[self.engineer_a1][0], 200 / 3, msg="2 met of 3 decided")
        self.assertEqual(figures[self.engineer_a1][1], 1)
        self.assertEqual(figures[self.engineer_a2], (0.0, 1))

        dashboard = self.env["aftersales.kpi.dashboard"].create(
            {"period": "all", "team_id": self.team_a.id}
        )
        self.assertAlmostEqual(dashboard.sla_compliance_rate, 50.0, msg="2 met of 4 decided")

    def test_breached_complaint_is_not_escalated_twice(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            complaint = self.create_ticket(
                type_id=self.env.ref("aftersales_service.type_complaint").id,
                user_id=self.engineer_a1.id,
                priority="1",
            )
        timers = complaint.sla_ids
        self.assertTrue(timers, "the key customer's policy gives the complaint its promises")
        with freeze_time(start + timedelta(hours=5)):
            timers[:1]._on_breach()
        self.assertEqual(complaint.complaint_escalated_date, start + timedelta(hours=5))
        with freeze_time(start + timedelta(days=5)):
            escalated = self.env["aftersales.ticket"]._cron_escalate_complaints()
        self.assertNotIn(complaint, escalated)
        escalation = self.env.ref("aftersales_service.mail_activity_type_complaint_escalation")
        self.assertNotIn(escalation, complaint.activity_ids.activity_type_id)
