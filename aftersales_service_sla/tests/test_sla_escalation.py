from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import SlaCase, local

MONDAY = (2026, 3, 2)
NOW = local(MONDAY, 9)


@tagged("post_install", "-at_install")
class TestSlaEscalation(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls.policy_key.target_ids.filtered(lambda t: t.kind == "first_response")
        cls.first.escalation_ids = [
            Command.create({"percent": 50, "action": "notify_engineer"}),
            Command.create({"percent": 100, "action": "notify_leader"}),
            Command.create({"percent": 150, "action": "raise_priority"}),
        ]
        cls.Timer = cls.env["aftersales.ticket.sla"]

    def escalate(self, hour, minute=0):
        with freeze_time(local(MONDAY, hour, minute)):
            return self.Timer._escalate_due()

    def test_levels_fire_once(self):
        with freeze_time(NOW):
            ticket = self.create_ticket(user_id=self.engineer_a1.id, priority="1")
        timer = self.timer(ticket, "first_response")
        self.assertEqual(timer.next_action_date, local(MONDAY, 10), "the 50% level")
        self.assertEqual(self.escalate(9, 30), 0, "nothing due yet")

        self.escalate(10, 5)
        self.assertEqual(timer.escalation_log_ids.level_id.mapped("percent"), [50])
        activity = ticket.activity_ids.filtered(lambda a: a.summary == "SLA escalation")
        self.assertEqual(activity.user_id, self.engineer_a1)
        self.assertEqual(timer.next_action_date, local(MONDAY, 10, 36), "then the warning")
        self.assertEqual(self.escalate(10, 6), 0, "the level is not fired again")
        self.assertEqual(len(timer.escalation_log_ids), 1)

        self.escalate(10, 40)
        self.assertTrue(timer.warned)
        self.assertEqual(ticket.sla_status, "warning")
        self.assertFalse(timer.is_breached)

        self.escalate(11, 5)
        self.assertTrue(timer.is_breached)
        self.assertEqual(timer.status, "breached")
        self.assertEqual(ticket.sla_status, "breached")
        self.assertEqual(sorted(timer.escalation_log_ids.level_id.mapped("percent")), [50, 100])
        leader = ticket.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertTrue(leader, "the team leader is notified at the deadline")

        self.escalate(14, 0)  # 09:00-12:00 and 13:30-14:00: 3.5 h used of 2 h
        self.assertEqual(ticket.priority, "2", "raised once")
        self.assertEqual(timer.policy_id, self.policy_key, "an escalation does not re-match")
        self.assertFalse(timer.next_action_date, "nothing left to fire")
        self.escalate(16, 0)
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(len(timer.escalation_log_ids), 3)

        with freeze_time(local(MONDAY, 16)):
            ticket.with_user(self.engineer_a1).message_post(
                body="Sorry for the delay.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(timer.status, "breached")
        self.assertEqual(timer.breach_seconds, 3.5 * 3600, "11:00-12:00 and 13:30-16:00")

    def test_reassign_level(self):
        self.first.escalation_ids = [
            Command.clear(),
            Command.create({"percent": 100, "action": "reassign", "team_id": self.team_b.id}),
        ]
        self.team_b.assignment_method = "round_robin"
        with freeze_time(NOW):
            ticket = self.create_ticket(user_id=self.engineer_a1.id)
        self.escalate(11, 1)
        self.assertEqual(ticket.team_id, self.team_b)
        self.assertEqual(ticket.user_id, self.engineer_b, "assigned by the new team's method")
        record = ticket.dispatch_ids.filtered(lambda d: d.to_team_id == self.team_b)[:1]
        self.assertIn("SLA escalation", record.reason)
        self.assertEqual(
            self.timer(ticket, "first_response").policy_id,
            self.policy_key,
            "the committed promise stays",
        )

    def test_paused_timers_do_not_escalate(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        with freeze_time(local(MONDAY, 9, 30)):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(self.escalate(17), 0)
        self.assertFalse(ticket.sla_ids.escalation_log_ids)
        self.assertFalse(any(ticket.sla_ids.mapped("is_breached")))

    def test_batches_and_log_conflicts(self):
        with freeze_time(NOW):
            tickets = self.create_ticket() | self.create_ticket()
        with freeze_time(local(MONDAY, 10, 5)):
            self.assertEqual(self.Timer._escalate_due(limit=1), 1)
            self.assertEqual(self.Timer._escalate_due(limit=10), 1)
        timer = self.timer(tickets[0], "first_response")
        level = self.first.escalation_ids[0]
        self.assertEqual(timer.escalation_log_ids.level_id, level)
        fired = timer._log_levels([(timer, level)], datetime(2026, 3, 2, 3))
        self.assertEqual(fired, [], "the unique (timer, level) log refuses a second firing")

    def test_cron_definition(self):
        cron = self.env.ref("aftersales_service_sla.ir_cron_aftersales_sla_escalate")
        self.assertEqual((cron.interval_number, cron.interval_type), (5, "minutes"))
        with freeze_time(NOW):
            self.create_ticket()
        with freeze_time(local(MONDAY, 10, 5)):
            self.assertEqual(self.Timer._cron_escalate(), 1)

    def test_cron_works_in_batches(self):
        with freeze_time(NOW):
            tickets = self.create_ticket() | self.create_ticket() | self.create_ticket()
        batches = []
        escalate_due = type(self.Timer)._escalate_due

        def counted(timers, now=None, limit=500, timer_ids=None):
            batches.append(list(timer_ids))
            return escalate_due(timers, now, limit, timer_ids)

        self.patch(type(self.Timer), "_escalate_due", counted)
        with freeze_time(local(MONDAY, 10, 5)):
            self.assertEqual(self.Timer._cron_escalate(batch_size=2), 3)
        self.assertEqual([len(batch) for batch in batches], [2, 1], "two batches")
        self.assertEqual(len(tickets.sla_ids.escalation_log_ids), 3)

    def test_cron_failed_batch_is_retried(self):
        with freeze_time(NOW):
            good, bad = self.create_ticket(), self.create_ticket()
        fire_levels = type(self.Timer)._fire_levels

        def failing(timers, fired):
            if any(timer.ticket_id == bad for timer, _level in fired):
                raise ValueError("the engineer's mailbox is broken")
            return fire_levels(timers, fired)

        self.patch(type(self.Timer), "_fire_levels", failing)
        job = "odoo.addons.aftersales_service_sla.models.aftersales_ticket_sla_escalation"
        with freeze_time(local(MONDAY, 10, 5)), mute_logger(job):
            # not assertRaises: its savepoint would roll the processed batches back too
            try:
                self.Timer._cron_escalate(batch_size=1)
                failed = False
            except UserError:
                failed = True
        self.assertTrue(failed, "the run ends in error: never reported as done")
        self.assertTrue(good.sla_ids.escalation_log_ids, "the other batches are processed")
        bad_timer = self.timer(bad, "first_response")
        self.assertFalse(bad_timer.escalation_log_ids, "the failed batch is rolled back")
        self.assertEqual(bad_timer.next_action_date, local(MONDAY, 10), "and stays due")
        self.patch(type(self.Timer), "_fire_levels", fire_levels)
        with freeze_time(local(MONDAY, 10, 6)):
            self.assertEqual(self.Timer._cron_escalate(batch_size=1), 1, "the next run retries")
        self.assertEqual(len(bad_timer.escalation_log_ids), 1)

    def test_run_now_triggers_the_cron(self):
        cron = self.env.ref("aftersales_service_sla.ir_cron_aftersales_sla_escalate")
        with freeze_time(NOW):
            ticket = self.create_ticket()
        with freeze_time(local(MONDAY, 10, 5)):
            cron.method_direct_trigger()
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self.assertFalse(ticket.sla_ids.escalation_log_ids, "not run in the request")

    def test_due_query_uses_the_index(self):
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(
            "EXPLAIN SELECT id FROM aftersales_ticket_sla WHERE next_action_date <= now() "
            "ORDER BY next_action_date, id LIMIT 500 FOR UPDATE SKIP LOCKED"
        )
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("aftersales_ticket_sla_next_action_idx", plan)


@tagged("post_install", "-at_install")
class TestSlaConcurrentCron(TransactionCase):
    """Two cron workers at the same time: committed data, real cursors."""

    def setUp(self):
        super().setUp()
        now = datetime.now().replace(microsecond=0)
        self.now = now
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrent Cron Customer"})
            policy = env["aftersales.sla.policy"].create(
                {
                    "name": "Concurrent cron test",
                    "sequence": -100,
                    "company_id": False,
                    "time_mode": "24x7",
                    "partner_ids": [Command.set(partner.ids)],
                    "target_ids": [
                        Command.create(
                            {
                                "kind": "first_response",
                                "time_hours": 1,
                                "warning_percent": 0,
                                "escalation_ids": [
                                    Command.create({"percent": 50, "action": "notify_engineer"}),
                                    Command.create({"percent": 100, "action": "notify_leader"}),
                                ],
                            }
                        )
                    ],
                }
            )
            ticket = env["aftersales.ticket"].create(
                {"name": "Cron race", "partner_id": partner.id}
            )
            timer = ticket.sla_ids.filtered(lambda t: t.policy_id == policy)
            # the ticket came two hours ago: both levels and the breach are due
            timer.write(
                {"start_date": now - timedelta(hours=2), "clock_start": now - timedelta(hours=2)}
            )
            timer._plan(timer._engine(), now)
            self.ids = {"partner": partner.id, "policy": policy.id, "ticket": ticket.id}
            self.timer_id = timer.id
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["aftersales.ticket"].browse(self.ids["ticket"]).unlink()
            env["aftersales.sla.policy"].browse(self.ids["policy"]).unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()

    def escalate(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        timers = env["aftersales.ticket.sla"]
        return timers._escalate_due(now=self.now, timer_ids=[self.timer_id])

    def fired(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM aftersales_sla_escalation_log WHERE timer_id = %s",
                [self.timer_id],
            )
            return cr.fetchone()[0]

    def test_two_workers_at_the_same_time(self):
        with self.registry.cursor() as worker_1, self.registry.cursor() as worker_2:
            self.assertEqual(self.escalate(worker_1), 1, "worker 1 locks and processes it")
            self.assertEqual(self.escalate(worker_2), 0, "worker 2 skips the locked timer")
            worker_1.commit()
            worker_2.rollback()
        self.assertEqual(self.fired(), 2, "each level fired once")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            timer = env["aftersales.ticket.sla"].browse(self.timer_id)
            self.assertTrue(timer.is_breached)
            self.assertFalse(timer.next_action_date)
        with self.registry.cursor() as worker_3:
            self.assertEqual(self.escalate(worker_3), 0, "nothing left due afterwards")
        self.assertEqual(self.fired(), 2)

    def test_worker_with_an_older_snapshot(self):
        with self.registry.cursor() as worker_1, self.registry.cursor() as worker_2:
            worker_2.execute("SELECT 1")  # its snapshot starts before worker 1 commits
            self.escalate(worker_1)
            worker_1.commit()
            with mute_logger("odoo.sql_db"), self.assertRaises(SerializationFailure):
                self.escalate(worker_2)
            worker_2.rollback()
        self.assertEqual(self.fired(), 2, "the late worker fails and fires nothing")
