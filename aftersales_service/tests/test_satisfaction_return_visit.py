import ast
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .satisfaction_common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestReturnVisit(SatisfactionCase):
    """回访: planned N days after closing for the team, and its outcome on the ticket."""

    def record(self, ticket, outcome, note=False, persist_action=None):
        action = ticket.action_record_return_visit()
        wizard_form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard_form.outcome = outcome
        if note:
            wizard_form.note = note
        if persist_action:
            wizard_form.persist_action = persist_action
        return wizard_form.save().action_confirm()

    def test_return_visit_planned_after_closing(self):
        today = fields.Date.context_today(self.env["aftersales.ticket"])
        self.assertEqual(self.type_repair.return_visit_delay_days, 7)
        ticket = self.create_repair()
        guidance = self.create_ticket()
        self.assertFalse(ticket.return_visit_state)
        self.close_repair(ticket)
        self.close(guidance)

        self.assertFalse(guidance.return_visit_state, "the type asks for no return visit")
        self.assertEqual(ticket.return_visit_state, "planned")
        self.assertEqual(ticket.return_visit_date, today + timedelta(days=7))
        self.assertEqual(ticket.return_visit_user_id, self.engineer_a1)
        activity = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_return_visit
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.engineer_a1)
        self.assertEqual(activity.date_deadline, today + timedelta(days=7))

    def test_delay_per_type(self):
        self.type_repair.return_visit_delay_days = 2
        ticket = self.create_repair(user_id=False)
        self.close_repair(ticket)
        today = fields.Date.context_today(ticket)
        self.assertEqual(ticket.return_visit_date, today + timedelta(days=2))
        self.assertEqual(ticket.return_visit_user_id, self.team_a.leader_id, "no engineer")

    def test_due_return_visits_per_team(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            ticket_a = self.create_repair()
            ticket_b = self.create_repair(
                team_id=self.team_b.id, user_id=self.engineer_b.id, lot_id=self.lot_2.id
            )
            self.close_repair(ticket_a)
            self.close_repair(ticket_b)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_return_visit_action"
        )
        planned = ast.literal_eval(action["domain"])
        Ticket = self.env["aftersales.ticket"]

        def due_by(days):
            day = fields.Date.to_string((start + timedelta(days=days)).date())
            return planned + [("return_visit_date", "<=", day)]

        groups = dict(Ticket._read_group(due_by(7), ["team_id"], ["__count"]))
        self.assertEqual(groups, {self.team_a: 1, self.team_b: 1})
        self.assertFalse(Ticket.search(due_by(6)), "not due yet")
        # the engineer of team B sees the visits of their team only
        visible = Ticket.with_user(self.engineer_b).search(planned)
        self.assertEqual(visible, ticket_b)

    def test_outcome_satisfied(self):
        ticket = self.create_repair()
        self.close_repair(ticket)
        self.record(ticket, "satisfied", note="Machine runs fine.")
        self.assertEqual(ticket.return_visit_state, "done")
        self.assertEqual(ticket.return_visit_outcome, "satisfied")
        self.assertEqual(ticket.return_visit_note, "Machine runs fine.")
        self.assertTrue(ticket.return_visit_done_date)
        self.assertTrue(ticket.is_closed)
        self.assertFalse(
            ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == self.activity_return_visit
            ),
            "the activity is done",
        )
        with self.assertRaises(UserError):
            ticket._record_return_visit("satisfied")

    def test_outcome_other_needs_a_note(self):
        ticket = self.create_repair()
        self.close_repair(ticket)
        with self.assertRaises(UserError):
            ticket._record_return_visit("other")
        self.record(ticket, "other", note="Customer asks for a quotation of a second machine.")
        self.assertEqual(ticket.return_visit_outcome, "other")
        self.assertTrue(ticket.is_closed)

    def test_outcome_problem_persists_reopens(self):
        ticket = self.create_repair()
        self.close_repair(ticket)
        self.record(ticket, "problem_persists", note="Noise is back.", persist_action="reopen")
        self.assertEqual(ticket.return_visit_outcome, "problem_persists")
        self.assertFalse(ticket.is_closed)
        self.assertEqual(ticket.stage_id, self.stage_in_progress)
        self.assertFalse(ticket.closed_date)
        self.assertFalse(ticket.followup_ticket_id)
        # closed again: a new return visit is planned
        self.close_repair(ticket)
        self.assertEqual(ticket.return_visit_state, "planned")
        self.assertFalse(ticket.return_visit_outcome)

    def test_outcome_problem_persists_opens_a_linked_ticket(self):
        ticket = self.create_repair()
        self.close_repair(ticket)
        action = self.record(
            ticket, "problem_persists", note="Noise is back.", persist_action="new_ticket"
        )
        followup = ticket.followup_ticket_id
        self.assertTrue(followup)
        self.assertEqual(action["res_id"], followup.id)
        self.assertTrue(ticket.is_closed, "the first ticket stays closed")
        self.assertEqual(followup.followup_origin_id, ticket)
        self.assertEqual(followup.lot_id, self.lot)
        self.assertEqual(followup.partner_id, ticket.partner_id)
        self.assertEqual(followup.fault_category_id, self.fault)
        self.assertFalse(followup.is_closed)
        self.assertIn("Noise is back.", followup.description)
        # same serial, same fault within the window: a repeat repair (不允许同一问题重复修理)
        self.assertTrue(followup.is_repeat)
        self.assertEqual(followup.repeat_of_id, ticket)

    def test_only_closed_tickets(self):
        ticket = self.create_repair()
        with self.assertRaises(UserError):
            ticket._record_return_visit("satisfied")
