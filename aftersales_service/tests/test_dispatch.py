from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestDispatch(AftersalesCase):
    def test_manual_assignment_is_logged_with_activity(self):
        ticket = self.create_ticket(user_id=self.engineer_a1.id)
        self.assertEqual(len(ticket.dispatch_ids), 1)
        record = ticket.dispatch_ids
        self.assertEqual(record.method, "manual")
        self.assertEqual(record.to_user_id, self.engineer_a1)
        self.assertEqual(record.to_team_id, self.team_a)
        self.assertTrue(ticket.dispatched_date)
        self.assertEqual(ticket.stage_id, self.stage_dispatched, "dispatch moves New to Dispatched")
        activity = ticket.activity_ids
        self.assertEqual(activity.user_id, self.engineer_a1)

    def test_dispatch_activity_in_the_engineers_language(self):
        """The engineer reads the activity: its summary is in the engineer's language, not in
        the dispatcher's."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.engineer_a1.lang = "zh_CN"
        self.engineer_a2.lang = "en_US"
        self.agent.lang = "en_US"
        first = self.create_ticket()
        second = self.create_ticket()
        first.with_user(self.agent).user_id = self.engineer_a1
        second.with_user(self.agent).user_id = self.engineer_a2
        self.assertEqual(first.activity_ids.summary, "有服务工单派给您")
        self.assertEqual(second.activity_ids.summary, "Service ticket dispatched to you")

    def test_unassigned_then_assigned_by_hand(self):
        ticket = self.create_ticket()
        self.assertFalse(ticket.dispatch_ids)
        self.assertFalse(ticket.dispatched_date)
        ticket.with_user(self.agent).user_id = self.engineer_a2
        self.assertEqual(ticket.dispatch_ids.to_user_id, self.engineer_a2)
        self.assertEqual(ticket.dispatch_ids.author_id, self.agent)

    def test_round_robin_order(self):
        self.team_a.assignment_method = "round_robin"
        tickets = self.env["aftersales.ticket"]
        for _index in range(4):
            tickets |= self.create_ticket()
        members = (self.agent | self.engineer_a1 | self.engineer_a2).sorted("id")
        expected = [members[0], members[1], members[2], members[0]]
        self.assertEqual(tickets.mapped("user_id").ids, members.ids)
        self.assertEqual([t.user_id for t in tickets], expected)
        self.assertEqual(set(tickets.dispatch_ids.mapped("method")), {"round_robin"})
        batch = self.env["aftersales.ticket"].create(
            [{"name": f"Batch {i}", "team_id": self.team_a.id} for i in range(3)]
        )
        self.assertEqual([t.user_id for t in batch], [members[1], members[2], members[0]])

    def test_round_robin_skips_archived_user(self):
        self.team_a.assignment_method = "round_robin"
        self.engineer_a1.active = False
        users = {self.create_ticket().user_id for _index in range(4)}
        self.assertNotIn(self.engineer_a1, users)
        self.assertEqual(users, {self.agent, self.engineer_a2})

    def test_least_load_with_ties(self):
        self.team_a.assignment_method = "least_load"
        # Alice has two open tickets, Bob one, Agent Li none
        self.create_ticket(user_id=self.engineer_a1.id)
        self.create_ticket(user_id=self.engineer_a1.id)
        self.create_ticket(user_id=self.engineer_a2.id)
        first = self.create_ticket()
        self.assertEqual(first.user_id, self.agent)
        # now Agent Li and Bob tie with one each: the tie goes to the first by name
        second = self.create_ticket()
        self.assertEqual(second.user_id, self.agent, "tie broken by name: Agent Li < Bob Qian")
        third = self.create_ticket()
        self.assertEqual(third.user_id, self.engineer_a2)
        # closed tickets do not count as load
        self.close(first)
        self.close(second)
        self.assertEqual(self.create_ticket().user_id, self.agent)

    def test_least_load_skips_archived_user(self):
        self.team_a.assignment_method = "least_load"
        self.agent.active = False
        self.create_ticket(user_id=self.engineer_a1.id)
        self.assertEqual(self.create_ticket().user_id, self.engineer_a2)

    def test_dispatch_button(self):
        ticket = self.create_ticket()
        with self.assertRaisesRegex(UserError, "assigns engineers by hand"):
            ticket.action_assign()
        self.team_a.assignment_method = "round_robin"
        ticket.action_assign()
        self.assertTrue(ticket.user_id)
        with self.assertRaisesRegex(UserError, "already have an engineer"):
            ticket.action_assign()

    def test_reassignment_needs_the_wizard(self):
        ticket = self.create_ticket(user_id=self.engineer_a1.id)
        with self.assertRaisesRegex(UserError, "Use the Reassign button"):
            ticket.with_user(self.agent).user_id = self.engineer_a2
        with self.assertRaisesRegex(UserError, "Use the Reassign button"):
            ticket.with_user(self.agent).team_id = self.team_b

    def test_reassign_wizard_logs_reason(self):
        ticket = self.create_ticket(user_id=self.engineer_a1.id)
        action = ticket.with_user(self.agent).action_reassign()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.agent).with_context(**action["context"])
        )
        self.assertEqual(wizard.team_id, self.team_a)
        wizard.team_id = self.team_b
        wizard.user_id = self.engineer_b
        wizard.reason = "Customer site is in Guangdong"
        wizard.save().action_reassign()
        self.assertEqual(ticket.team_id, self.team_b)
        self.assertEqual(ticket.user_id, self.engineer_b)
        last = ticket.dispatch_ids.sorted("id")[-1]
        self.assertEqual(last.method, "reassign")
        self.assertEqual(last.from_user_id, self.engineer_a1)
        self.assertEqual(last.to_user_id, self.engineer_b)
        self.assertEqual(last.from_team_id, self.team_a)
        self.assertEqual(last.to_team_id, self.team_b)
        self.assertEqual(last.reason, "Customer site is in Guangdong")
        self.assertEqual(last.author_id, self.agent)
        self.assertIn(self.engineer_b, ticket.activity_ids.user_id)

    def test_reassign_wizard_refuses_nothing_and_closed(self):
        ticket = self.create_ticket(user_id=self.engineer_a1.id)
        wizard = self.env["aftersales.ticket.reassign"].create(
            {
                "ticket_ids": [(6, 0, ticket.ids)],
                "team_id": self.team_a.id,
                "user_id": self.engineer_a1.id,
                "reason": "no change",
            }
        )
        with self.assertRaisesRegex(UserError, "nothing would change"):
            wizard.action_reassign()
        self.close(ticket)
        wizard.user_id = self.engineer_a2
        with self.assertRaisesRegex(UserError, "Closed tickets cannot be reassigned"):
            wizard.action_reassign()

    def test_reassign_to_team_with_automatic_method(self):
        self.team_b.assignment_method = "round_robin"
        ticket = self.create_ticket(user_id=self.engineer_a1.id)
        self.env["aftersales.ticket.reassign"].create(
            {"ticket_ids": [(6, 0, ticket.ids)], "team_id": self.team_b.id, "reason": "Overflow"}
        ).action_reassign()
        self.assertEqual(ticket.user_id, self.engineer_b)
        self.assertEqual(
            ticket.dispatch_ids.sorted("id").mapped("method"), ["manual", "reassign", "round_robin"]
        )
