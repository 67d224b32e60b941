from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.fields import Command
from odoo.tests import tagged

from .common import SlaCase, local

MONDAY = (2026, 3, 2)
TUESDAY = (2026, 3, 3)
WEDNESDAY = (2026, 3, 4)
FRIDAY = (2026, 3, 6)
NOW = local(MONDAY, 9)  # Monday 2 March 2026, 09:00 in Shanghai


@tagged("post_install", "-at_install")
class TestSlaMatching(SlaCase):
    def test_matching_by_tier_and_sequence(self):
        with freeze_time(NOW):
            key = self.create_ticket()
            other = self.create_ticket(partner_id=self.other_customer.id)
        self.assertEqual(
            sorted(key.sla_ids.mapped("kind")), ["first_response", "onsite", "resolution"]
        )
        self.assertEqual(key.sla_ids.policy_id, self.policy_key)
        self.assertEqual(sorted(other.sla_ids.mapped("kind")), ["first_response", "resolution"])
        self.assertEqual(other.sla_ids.policy_id, self.policy_default)
        self.assertEqual(other.sla_status, "running")

        # per kind of target, the first matching policy by sequence
        self.policy_default.sequence = 1
        with freeze_time(NOW):
            both = self.create_ticket()
        self.assertEqual(self.timer(both, "resolution").policy_id, self.policy_default)
        self.assertEqual(self.timer(both, "first_response").policy_id, self.policy_default)
        self.assertEqual(
            self.timer(both, "onsite").policy_id,
            self.policy_key,
            "the default policy has no on-site target: the next matching policy gives it",
        )

    def test_matching_conditions(self):
        Policy = self.env["aftersales.sla.policy"]
        target = [Command.create({"kind": "first_response", "time_hours": 1})]
        categ = self.env["product.category"].create({"name": "Moulding machines"})
        sub_categ = self.env["product.category"].create({"name": "Large", "parent_id": categ.id})
        self.product.categ_id = sub_categ
        policies = Policy.create(
            [
                {"name": "Urgent only", "sequence": 1, "priority": "3", "target_ids": target},
                {
                    "name": "Team B",
                    "sequence": 2,
                    "team_ids": [Command.set(self.team_b.ids)],
                    "target_ids": target,
                },
                {
                    "name": "Repairs",
                    "sequence": 3,
                    "type_ids": [Command.set(self.type_repair.ids)],
                    "target_ids": target,
                },
                {
                    "name": "Machines",
                    "sequence": 4,
                    "product_categ_ids": [Command.set(categ.ids)],
                    "target_ids": target,
                },
                {
                    "name": "Nanfang",
                    "sequence": 5,
                    "partner_ids": [Command.set(self.other_customer.ids)],
                    "target_ids": target,
                },
                {
                    "name": "Lot condition",
                    "sequence": 6,
                    "domain": f"[('lot_id', '=', {self.lot_2.id})]",
                    "target_ids": target,
                },
            ]
        )
        urgent, team_b, repairs, machines, nanfang, by_lot = policies

        def first_response_policy(**values):
            ticket = self.create_ticket(**values)
            return self.timer(ticket, "first_response").policy_id

        self.assertEqual(first_response_policy(priority="3"), urgent)
        self.assertEqual(first_response_policy(priority="2", team_id=self.team_b.id), team_b)
        self.assertEqual(first_response_policy(type_id=self.type_repair.id, priority="1"), repairs)
        self.assertEqual(first_response_policy(product_id=self.product.id), machines, "subcategory")
        self.assertEqual(first_response_policy(partner_id=self.other_customer.id), nanfang)
        self.product.categ_id = self.env.ref("product.product_category_goods")
        self.assertEqual(first_response_policy(lot_id=self.lot_2.id), by_lot)
        self.assertEqual(first_response_policy(), self.policy_key, "none of the above")

    def test_no_sla(self):
        (self.policy_key | self.policy_default).active = False
        ticket = self.create_ticket()
        self.assertFalse(ticket.sla_ids)
        self.assertEqual(ticket.sla_status, "none")
        self.assertFalse(ticket.sla_deadline)
        self.assertEqual(ticket.sla_remaining_hours, 0)
        ticket.stage_id = self.stage_waiting
        self.close(ticket)
        ticket.priority = "3"
        self.assertFalse(ticket.sla_ids, "no policy, no timer and no error")

    def test_calendar_fallback(self):
        paris = self.env["resource.calendar"].create({"name": "Paris", "tz": "Europe/Paris"})
        with freeze_time(NOW):
            ticket = self.create_ticket()
        self.assertEqual(ticket.sla_ids.calendar_id, self.calendar, "the team's working hours")
        self.policy_key.resource_calendar_id = paris
        with freeze_time(NOW):
            ticket = self.create_ticket()
        self.assertEqual(ticket.sla_ids.calendar_id, paris, "the policy's working hours")
        self.policy_key.resource_calendar_id = False
        self.team_a.resource_calendar_id = False
        with freeze_time(NOW):
            ticket = self.create_ticket()
        self.assertEqual(ticket.sla_ids.calendar_id, self.company.resource_calendar_id)
        self.policy_key.time_mode = "24x7"
        with freeze_time(NOW):
            ticket = self.create_ticket()
        timer = self.timer(ticket, "first_response")
        self.assertFalse(timer.calendar_id)
        self.assertEqual(timer.deadline, NOW + timedelta(hours=2), "24×7: two hours")

    def test_missing_calendar_falls_back_to_24x7(self):
        self.team_a.resource_calendar_id = False
        self.policy_default.company_id = False
        company = self.env["res.company"].create({"name": "No calendar"})
        company.resource_calendar_id = False
        team = self.env["aftersales.team"].create({"name": "Team", "company_id": company.id})
        team.resource_calendar_id = False
        with freeze_time(NOW):
            ticket = self.create_ticket(
                company_id=company.id, team_id=team.id, partner_id=self.other_customer.id
            )
        timer = self.timer(ticket, "first_response")
        self.assertFalse(timer.calendar_id)
        self.assertEqual(timer.deadline, NOW + timedelta(hours=8))


@tagged("post_install", "-at_install")
class TestSlaTimers(SlaCase):
    def test_deadlines_in_working_hours(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        self.assertEqual(self.timer(ticket, "first_response").deadline, local(MONDAY, 11))
        # 8 h: 09:00-12:00 and 13:30-18:00 on Monday (7.5 h), then half an hour on Tuesday
        self.assertEqual(self.timer(ticket, "onsite").deadline, local(TUESDAY, 9))
        self.assertEqual(self.timer(ticket, "resolution").deadline, local(WEDNESDAY, 9))
        self.assertEqual(ticket.sla_deadline, local(MONDAY, 11))
        with freeze_time(local(MONDAY, 10)):
            ticket.invalidate_recordset(["sla_remaining_hours"])
            self.assertEqual(ticket.sla_remaining_hours, 1.0)
        with freeze_time(local(MONDAY, 14)):
            ticket.invalidate_recordset(["sla_remaining_hours"])
            self.assertEqual(ticket.sla_remaining_hours, -1.5, "overdue by 1.5 working hours")
        timer = self.timer(ticket, "first_response")
        self.assertFalse(timer.segment_ids, "the first segment is written when it ends")
        self.assertEqual(timer.warning_date, local(MONDAY, 10, 36), "80% of 2 h")
        with freeze_time(local(MONDAY, 10)):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(timer.segment_ids.mapped("reason"), ["start", "pause"])
        self.assertEqual(timer.segment_ids.mapped("working_seconds"), [3600, 0])

    def test_national_day_on_the_chinese_calendar(self):
        """Requests of Wednesday 30 September 2026, 15:00: 1-7 October are public holidays and
        Saturday 10 October is a make-up working day (调休上班) on the shipped calendar."""
        calendar = self.env.ref("aftersales_service_sla.resource_calendar_cn")
        (self.policy_key | self.policy_default).resource_calendar_id = calendar
        received = local((2026, 9, 30), 15)
        with freeze_time(received):
            key = self.create_ticket()
            standard = self.create_ticket(partner_id=self.other_customer.id)
        # 16 h: 3 h on 30 September, 8 h on Thursday 8 October, 5 h on Friday 9 October
        self.assertEqual(self.timer(key, "resolution").deadline, local((2026, 10, 9), 15))
        # 40 h: ... 19 h by Friday 9 October, 8 h on the make-up Saturday, 8 h on Monday 12,
        # 5 h on Tuesday 13 (Wednesday 14 without the make-up day)
        self.assertEqual(self.timer(standard, "resolution").deadline, local((2026, 10, 13), 15))
        # a request registered later (a letter opened on 9 October) counts from its arrival
        with freeze_time(local((2026, 10, 9), 10)):
            late = self.create_ticket()
            # 6.5 h on 9 October, 8 h on the make-up Saturday, 1.5 h on Monday 12 October
            self.assertEqual(self.timer(late, "resolution").deadline, local((2026, 10, 12), 10))
            late._sla_restart(received)
        self.assertEqual(self.timer(late, "resolution").start_date, received)
        self.assertEqual(self.timer(late, "resolution").deadline, local((2026, 10, 9), 15))
        self.assertEqual(len(late.sla_ids), 3, "the old timers are replaced, not kept")

    def test_promise_shown_in_the_readers_language(self):
        """A promise made in English (an API client, the mail gateway) reads in Chinese for a
        Chinese user; once its policy is deleted, it reads as it was made."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_service_sla"], ["zh_CN"])
        with freeze_time(NOW):
            ticket = self.create_ticket()
        timer = self.timer(ticket, "first_response")
        policy = timer.policy_id.name
        self.assertEqual(timer.name, f"First Response ({policy})")
        self.assertEqual(timer.with_context(lang="zh_CN").display_name, f"首次响应 ({policy})")
        self.assertEqual(timer.display_name, timer.name)
        timer.policy_id = False
        self.assertEqual(timer.with_context(lang="zh_CN").display_name, timer.name)

    def test_promise_notes_in_the_writers_language(self):
        """A note on the promises is written in one language, promise names included."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service", "aftersales_service_sla"], ["zh_CN"]
        )
        with freeze_time(NOW):
            ticket = self.create_ticket()
        with freeze_time(local(MONDAY, 10)):
            self.customer.with_context(lang="zh_CN").aftersales_tier_id = self.tier_standard
        note = ticket.message_ids.filtered(lambda m: "不再适用" in (m.body or ""))
        self.assertIn("客户等级", note.body)
        self.assertIn("到达现场时间 (Key customers)", note.body)
        self.assertNotIn("On-site", note.body)

    def test_first_response_by_public_reply(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        timer = self.timer(ticket, "first_response")
        with freeze_time(local(MONDAY, 9, 30)):
            ticket.with_user(self.engineer_a1).message_post(
                body="Internal analysis", subtype_xmlid="mail.mt_note", message_type="comment"
            )
            ticket.message_post(
                body="Any news?",
                author_id=self.customer_contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertFalse(timer.reached_date, "notes and the customer's messages do not count")
        with freeze_time(local(MONDAY, 10)):
            ticket.with_user(self.engineer_a1).message_post(
                body="We will call you within the hour.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(ticket.sla_first_reply_date, local(MONDAY, 10))
        self.assertEqual(timer.status, "met")
        self.assertEqual(timer.reached_date, local(MONDAY, 10))
        self.assertEqual(timer.used_seconds, 3600)
        self.assertFalse(timer.next_action_date)

    def test_first_response_by_dispatch(self):
        self.policy_key.first_response_event = "dispatch"
        with freeze_time(NOW):
            ticket = self.create_ticket()
        timer = self.timer(ticket, "first_response")
        with freeze_time(local(MONDAY, 11)):
            ticket.user_id = self.engineer_a1
        self.assertEqual(timer.status, "met", "dispatched at the deadline itself")
        self.assertEqual(timer.reached_date, local(MONDAY, 11))
        self.assertEqual(timer.used_seconds, 2 * 3600)
        with freeze_time(local(MONDAY, 13)):
            late = self.create_ticket()
        with freeze_time(local(TUESDAY, 9)):
            late.user_id = self.engineer_a1
        late_timer = self.timer(late, "first_response")
        self.assertEqual(late_timer.status, "breached")
        self.assertTrue(late_timer.is_breached)
        # due at 15:30 (the clock started after lunch): 15:30-18:00, then 08:30-09:00
        self.assertEqual(late_timer.breach_seconds, 3 * 3600)

    def test_onsite_arrival_and_requested_date(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        timer = self.timer(ticket, "onsite")
        with freeze_time(local(TUESDAY, 15)):
            ticket.arrival_date = local(MONDAY, 16)
        self.assertEqual(timer.reached_date, local(MONDAY, 16), "the arrival time of the report")
        self.assertEqual(timer.status, "met")
        self.assertEqual(timer.used_seconds, 5.5 * 3600)
        with freeze_time(local(TUESDAY, 16)):
            ticket.arrival_date = False
        self.assertFalse(timer.reached_date, "arrival cleared: the clock runs again")
        self.assertEqual(timer.status, "running")

        self.target(self.policy_key, "onsite").use_requested_date = True
        with freeze_time(NOW):
            later = self.create_ticket(requested_date=local(FRIDAY, 10))
        self.assertEqual(
            self.timer(later, "onsite").deadline, local(FRIDAY, 10), "the customer's later date"
        )
        with freeze_time(NOW):
            earlier = self.create_ticket(requested_date=local(MONDAY, 10))
        self.assertEqual(self.timer(earlier, "onsite").deadline, local(TUESDAY, 9))
        with freeze_time(local(MONDAY, 10)):
            earlier.requested_date = local(FRIDAY, 14)
        self.assertEqual(self.timer(earlier, "onsite").deadline, local(FRIDAY, 14))

    def test_resolution_and_reopen(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        timer = self.timer(ticket, "resolution")
        with freeze_time(local(MONDAY, 15)):
            self.close(ticket)
        self.assertEqual(timer.status, "met")
        self.assertEqual(timer.reached_date, local(MONDAY, 15))
        self.assertEqual(timer.used_seconds, 4.5 * 3600)
        self.assertEqual(
            ticket.sla_status, "breached", "closing settles: the first response was missed"
        )
        self.assertEqual(self.timer(ticket, "onsite").status, "not_needed")
        with freeze_time(local(TUESDAY, 9)):
            ticket.stage_id = self.stage_in_progress
        self.assertEqual(timer.status, "running", "reopened: the resolution clock resumes")
        self.assertFalse(timer.reached_date)
        # 11.5 h left from Tuesday 09:00: 7.5 h on Tuesday, 4 h on Wednesday
        self.assertEqual(timer.deadline, local(WEDNESDAY, 14))
        self.assertEqual(timer.segment_ids.mapped("reason"), ["start", "reopen"])
        with freeze_time(local(TUESDAY, 10)):
            self.close(ticket)
        self.assertEqual(timer.used_seconds, 5.5 * 3600, "the closed night is not counted")

    def test_stage_target(self):
        self.policy_key.target_ids = [
            Command.create(
                {"kind": "stage", "stage_id": self.stage_in_progress.id, "time_hours": 4}
            )
        ]
        with freeze_time(NOW):
            ticket = self.create_ticket()
        timer = self.timer(ticket, "stage")
        self.assertEqual(timer.deadline, local(MONDAY, 14, 30))
        with freeze_time(local(MONDAY, 11)):
            ticket.stage_id = self.stage_dispatched
        self.assertFalse(timer.reached_date)
        with freeze_time(local(MONDAY, 12)):
            ticket.stage_id = self.stage_in_progress
        self.assertEqual(timer.status, "met")
        with freeze_time(local(MONDAY, 13)):
            ticket.stage_id = self.stage_dispatched
        self.assertEqual(timer.status, "met", "a stage reached stays reached")

    def test_pause_and_resume(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        resolution = self.timer(ticket, "resolution")
        with freeze_time(local(MONDAY, 10)):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(set(ticket.sla_ids.mapped("status")), {"paused"})
        self.assertEqual(ticket.sla_status, "paused")
        self.assertFalse(ticket.sla_deadline)
        self.assertEqual(resolution.used_seconds, 3600)
        self.assertFalse(resolution.next_action_date, "no escalation while paused")
        with freeze_time(local(WEDNESDAY, 10)):
            ticket.stage_id = self.stage_in_progress
        self.assertEqual(resolution.status, "running")
        self.assertEqual(resolution.paused_seconds, 16 * 3600, "two working days paused")
        # 15 h left from Wednesday 10:00: 6.5 h on Wednesday, 8 h on Thursday, 0.5 h on Friday
        self.assertEqual(resolution.deadline, local(FRIDAY, 9))
        self.assertEqual(resolution.segment_ids.mapped("state"), ["running", "paused", "running"])
        self.assertEqual(resolution.segment_ids.mapped("working_seconds"), [3600, 16 * 3600, 0])
        # the event while paused stops the clock without counting the pause
        with freeze_time(local(WEDNESDAY, 11)):
            ticket.stage_id = self.stage_waiting
        with freeze_time(local(WEDNESDAY, 17)):
            ticket.arrival_date = local(WEDNESDAY, 16)
        onsite = self.timer(ticket, "onsite")
        self.assertEqual(onsite.status, "met", "2 working hours used of 8: the pauses do not count")
        self.assertEqual(onsite.used_seconds, 2 * 3600)
        self.assertEqual(onsite.reached_date, local(WEDNESDAY, 16))

    def test_rematch_on_priority_keeps_used_time(self):
        urgent = self.env["aftersales.sla.policy"].create(
            {
                "name": "Urgent",
                "sequence": 1,
                "priority": "3",
                "target_ids": [Command.create({"kind": "resolution", "time_hours": 4})],
            }
        )
        with freeze_time(NOW):
            ticket = self.create_ticket(priority="1")
        timer = self.timer(ticket, "resolution")
        self.assertEqual(timer.policy_id, self.policy_key)
        with freeze_time(local(MONDAY, 11)):
            ticket.priority = "3"
        self.assertEqual(timer.policy_id, urgent, "the same timer, with the new target")
        self.assertEqual(timer.used_seconds, 2 * 3600, "the used working time is kept")
        self.assertEqual(timer.target_seconds, 4 * 3600)
        self.assertEqual(timer.deadline, local(MONDAY, 14, 30), "2 h left, lunch excluded")
        self.assertEqual(timer.segment_ids.mapped("reason"), ["start", "rematch"])
        note = ticket.message_ids.filtered(lambda m: "re-matched" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Urgent", note.body)
        self.assertIn("2.00 working hours", note.body)
        with freeze_time(local(MONDAY, 14)):
            ticket.priority = "2"
        self.assertEqual(timer.policy_id, self.policy_key)
        self.assertEqual(timer.used_seconds, 3.5 * 3600)
        # 12.5 h left from 14:00: 4 h on Monday, 8 h on Tuesday, 0.5 h on Wednesday
        self.assertEqual(timer.deadline, local(WEDNESDAY, 9))

    def test_rematch_on_tier_change(self):
        strategic = self.env["aftersales.sla.policy"].create(
            {
                "name": "Strategic",
                "sequence": 1,
                "tier_ids": [Command.set(self.tier_strategic.ids)],
                "target_ids": [
                    Command.create({"kind": "resolution", "time_hours": 8}),
                    Command.create(
                        {"kind": "stage", "stage_id": self.stage_resolved.id, "time_hours": 6}
                    ),
                ],
            }
        )
        with freeze_time(NOW):
            ticket = self.create_ticket()
        resolution = self.timer(ticket, "resolution")
        with freeze_time(local(MONDAY, 10)):
            self.customer.aftersales_tier_id = self.tier_strategic
        self.assertEqual(ticket.customer_tier_id, self.tier_strategic)
        self.assertEqual(resolution.policy_id, strategic)
        self.assertEqual(resolution.used_seconds, 3600)
        # 7 h left from 10:00: 6.5 h on Monday, half an hour on Tuesday
        self.assertEqual(resolution.deadline, local(TUESDAY, 9))
        stage_timer = self.timer(ticket, "stage")
        self.assertEqual(stage_timer.start_date, local(MONDAY, 10), "a new promise starts now")
        self.assertEqual(self.timer(ticket, "first_response").policy_id, self.policy_default)
        self.assertFalse(self.timer(ticket, "onsite"), "the key customers' policy is gone")
        notes = ticket.message_ids.filtered(lambda m: "now applies" in (m.body or ""))
        self.assertIn("no longer applies", notes.body)
        with freeze_time(local(MONDAY, 11)):
            self.customer.aftersales_tier_id = self.tier_standard
        self.assertEqual(resolution.policy_id, self.policy_default)
        self.assertEqual(resolution.used_seconds, 2 * 3600)
        self.assertFalse(self.timer(ticket, "stage"), "no longer applies: removed")

    def test_batch_creation_queries(self):
        """The SLA part of a batch creation costs a constant number of queries."""
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {i}", "aftersales_tier_id": self.tier_key.id} for i in range(3)]
        )
        (self.policy_key | self.policy_default).active = False
        vals = [{"name": f"T{i}", "partner_id": partners[i % 3].id} for i in range(40)]

        def count(vals_list):
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            with freeze_time(NOW):
                tickets = self.env["aftersales.ticket"].create([dict(v) for v in vals_list])
                self.env.flush_all()
            return self.env.cr.sql_log_count - start, tickets

        count(vals[:10])  # warm the caches
        without_small, _tickets = count(vals[:10])
        without_big, _tickets = count(vals)
        (self.policy_key | self.policy_default).active = True
        with_small, _tickets = count(vals[:10])
        with_big, tickets = count(vals)
        self.assertEqual(len(tickets.sla_ids), 120)
        self.assertLessEqual(
            (with_big - without_big) - (with_small - without_small),
            2,
            "the SLA queries do not grow with the number of tickets",
        )
        self.assertLess(with_big - without_big, 20, "about ten queries for the whole batch")

    def test_query_count_ticket_life(self):
        """B7's ticket life with a key customer's three promises, each call pinned: the
        policies are matched from a cache (no query), the reply meets the first response,
        the closing settles the on-site promise and meets the resolution."""
        ticket = self.ticket_life({"create": 25, "assign": 43, "post": 39, "close": 42})
        states = {timer.kind: timer.status for timer in ticket.sla_ids}
        self.assertEqual(
            states, {"first_response": "met", "onsite": "not_needed", "resolution": "met"}
        )

    def test_policy_cache_follows_changes(self):
        """A policy changed (here archived, then its target's kind) is matched at once."""
        self.assertEqual(len(self.create_ticket().sla_ids), 3)
        self.policy_key.active = False
        self.assertEqual(len(self.create_ticket().sla_ids), 2, "the default policy's two")
        self.policy_key.active = True
        self.target(self.policy_key, "onsite").time_hours = 4
        ticket = self.create_ticket()
        self.assertEqual(self.timer(ticket, "onsite").target_id.time_hours, 4)

    def test_time_left_batch(self):
        with freeze_time(NOW):
            tickets = self.create_ticket() | self.create_ticket(partner_id=self.other_customer.id)
        with freeze_time(local(MONDAY, 10)):
            tickets.invalidate_recordset(["sla_remaining_hours"])
            self.assertEqual(tickets.mapped("sla_remaining_hours"), [1.0, 7.0])
        self.assertEqual(
            datetime(2026, 3, 2, 3, 0), local(MONDAY, 11), "helper sanity: Shanghai is UTC+8"
        )


@tagged("post_install", "-at_install")
class TestSlaKanbanCard(SlaCase):
    def test_hours_left_on_one_line(self):
        """The card shows the working hours left and their unit on one line (a field of a
        kanban card is a block of its own: the line lays them out side by side)."""
        arch = self.env["aftersales.ticket"].get_views([(False, "kanban")])["views"]["kanban"]
        line = etree.fromstring(arch["arch"]).xpath(
            "//div[field[@name='sla_remaining_hours']][@title]"
        )
        self.assertEqual(len(line), 1)
        self.assertIn("d-flex", line[0].get("class").split())
