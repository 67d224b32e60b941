from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged

from .satisfaction_common import FIXED_ANSWERS, FIXED_SCORES, SatisfactionCase


@tagged("post_install", "-at_install")
class TestSatisfaction(SatisfactionCase):
    """满意度调查: the SERVQUAL survey sent on closing, its scores, reminder and follow-up."""

    def test_survey_sent_on_close_for_types_that_require_it(self):
        self.assertTrue(self.type_repair.survey_required)
        self.assertFalse(self.type_guidance.survey_required)
        repair = self.create_repair()
        guidance = self.create_ticket()
        self.assertFalse(repair.survey_state, "no survey before closing")

        self.close_repair(repair)
        self.close(guidance)
        self.flush_tracking()

        self.assertFalse(guidance.survey_state)
        self.assertFalse(guidance.survey_user_input_id)
        self.assertEqual(repair.survey_state, "sent")
        answer = repair.survey_user_input_id
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.aftersales_ticket_id, repair)
        self.assertEqual(answer.partner_id, self.customer_contact)
        self.assertEqual(answer.state, "new")
        self.assertTrue(repair.survey_sent_date)
        # a personal link, by mail to the customer
        self.assertIn(f"answer_token={answer.access_token}", repair.survey_url)
        mails = self.customer_mails(repair).filtered(lambda m: "how did we do" in m.subject)
        self.assertEqual(len(mails), 1)
        self.assertIn(answer.access_token, mails.body_html)
        self.assertFalse(
            self.customer_mails(guidance).filtered(lambda m: "how did we do" in m.subject)
        )

    def test_survey_sent_once(self):
        ticket = self.create_repair()
        self.close_repair(ticket)
        first = ticket.survey_user_input_id
        ticket.stage_id = self.stage_in_progress
        self.close_repair(ticket)
        self.assertEqual(ticket.survey_user_input_id, first)
        self.assertEqual(
            self.env["survey.user_input"].search_count([("aftersales_ticket_id", "=", ticket.id)]),
            1,
        )

    def test_switch_off_the_survey_on_closing(self):
        """The survey on closing is a company setting (Settings › After-Sales)."""
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.aftersales_survey_on_close)
        settings.aftersales_survey_on_close = False
        settings.execute()
        self.assertFalse(self.env.company.aftersales_survey_on_close)

        ticket = self.create_repair()
        self.close_repair(ticket)
        self.assertFalse(ticket.survey_state)

        # sent by hand afterwards
        ticket.action_send_satisfaction_survey()
        self.assertEqual(ticket.survey_state, "sent")

        self.env.company.aftersales_survey_on_close = True
        other = self.create_repair(lot_id=self.lot_2.id)
        self.close_repair(other)
        self.assertEqual(other.survey_state, "sent")

    def test_answer_linked_and_scored_per_dimension(self):
        ticket = self.create_repair()
        self.close_repair(ticket)
        user_input = self.answer(ticket)

        self.assertEqual(user_input.state, "done")
        self.assertEqual(user_input.aftersales_ticket_id, ticket)
        self.assertEqual(ticket.survey_state, "done")
        self.assertTrue(ticket.survey_answer_date)
        for field_name, score in FIXED_SCORES.items():
            self.assertAlmostEqual(ticket[field_name], score, places=2, msg=field_name)
        self.assertEqual(ticket.survey_comment, FIXED_ANSWERS["comment"])
        self.assertFalse(ticket.survey_url, "an answered survey has no link any more")

    def test_scores_of_the_extremes(self):
        ticket = self.create_repair()
        self.close_repair(ticket)
        answers = {key: 5 for key in FIXED_ANSWERS if key not in ("recommend", "comment")}
        answers["recommend"] = 0
        self.answer(ticket, answers)
        for name in ("tangibles", "reliability", "responsiveness", "assurance", "empathy"):
            self.assertEqual(ticket[f"score_{name}"], 100.0)
        self.assertEqual(ticket.score_overall, 100.0)
        self.assertEqual(ticket.survey_recommend, 0.0)
        self.assertFalse(ticket.survey_low_score)
        self.assertFalse(
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == self.activity_followup)
        )

    def test_low_score_opens_a_follow_up(self):
        """Empathy 12.5 and responsiveness 50 are below the threshold of 60."""
        ticket = self.create_repair()
        self.close_repair(ticket)
        self.answer(ticket)
        self.assertTrue(ticket.survey_low_score)
        followup = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_followup
        )
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.user_id, self.team_a.leader_id, "the service manager")
        self.assertIn("Empathy", followup.note)
        self.assertIn("Responsiveness", followup.note)
        self.assertNotIn("Tangibles", followup.note)

    def test_low_score_threshold_is_a_setting(self):
        settings = self.env["res.config.settings"].create({"aftersales_survey_low_score": 10})
        settings.execute()
        ticket = self.create_repair()
        self.close_repair(ticket)
        self.answer(ticket)
        self.assertFalse(ticket.survey_low_score, "12.5 is not below 10")

    def test_reminder_sent_once(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            ticket = self.create_repair()
            self.close_repair(ticket)
            answered = self.create_repair(lot_id=self.lot_2.id)
            self.close_repair(answered)
            self.answer(answered)
        Ticket = self.env["aftersales.ticket"]
        with freeze_time(start + timedelta(days=2)):
            self.assertFalse(Ticket._cron_send_survey_reminders())
            self.assertEqual(ticket.survey_state, "sent")
        with freeze_time(start + timedelta(days=3, minutes=1)):
            self.assertEqual(Ticket._cron_send_survey_reminders(), ticket)
        self.flush_tracking()
        self.assertEqual(ticket.survey_state, "reminded")
        self.assertTrue(ticket.survey_reminder_date)
        reminders = self.customer_mails(ticket).filtered(lambda m: "rate our service" in m.subject)
        self.assertEqual(len(reminders), 1)
        self.assertIn(ticket.survey_user_input_id.access_token, reminders.body_html)
        self.assertEqual(answered.survey_state, "done", "answered: no reminder")

        with freeze_time(start + timedelta(days=10)):
            self.assertFalse(Ticket._cron_send_survey_reminders())
        self.flush_tracking()
        reminders = self.customer_mails(ticket).filtered(lambda m: "rate our service" in m.subject)
        self.assertEqual(len(reminders), 1, "one reminder only")

    def test_reminder_after_the_answer_is_not_sent(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            ticket = self.create_repair()
            self.close_repair(ticket)
        with freeze_time(start + timedelta(days=4)):
            self.answer(ticket)
            self.assertFalse(self.env["aftersales.ticket"]._cron_send_survey_reminders())
        self.assertEqual(ticket.survey_state, "done")

    def test_settings(self):
        with Form(self.env["res.config.settings"]) as form:
            form.aftersales_survey_reminder_days = 5
            form.aftersales_installation_trigger = "delivery"
        form.record.execute()
        Ticket = self.env["aftersales.ticket"]
        self.assertEqual(Ticket._satisfaction_param("survey_reminder_days", 3), 5)
        self.assertEqual(Ticket._installation_trigger(), "delivery")
        self.assertEqual(Ticket._satisfaction_survey(), self.survey)
