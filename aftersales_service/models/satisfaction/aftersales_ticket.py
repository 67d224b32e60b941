from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from .survey_question import SCORED_DIMENSIONS


class AftersalesTicket(models.Model):
    """满意度/回访: the SERVQUAL survey sent on closing and the return visit planned after it."""

    _inherit = "aftersales.ticket"

    # satisfaction survey
    survey_required = fields.Boolean(related="type_id.survey_required")
    survey_user_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey Answer",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    survey_state = fields.Selection(
        [("sent", "Sent"), ("reminded", "Reminder Sent"), ("done", "Answered")],
        string="Survey Status",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    survey_sent_date = fields.Datetime(string="Survey Sent", readonly=True, copy=False)
    survey_reminder_date = fields.Datetime(string="Survey Reminder", readonly=True, copy=False)
    survey_answer_date = fields.Datetime(string="Survey Answered", readonly=True, copy=False)
    survey_url = fields.Char(string="Survey Link", compute="_compute_survey_url", compute_sudo=True)
    score_tangibles = fields.Float(
        string="Tangibles", digits=(5, 1), readonly=True, copy=False, aggregator="avg"
    )
    score_reliability = fields.Float(
        string="Reliability", digits=(5, 1), readonly=True, copy=False, aggregator="avg"
    )
    score_responsiveness = fields.Float(
        string="Responsiveness", digits=(5, 1), readonly=True, copy=False, aggregator="avg"
    )
    score_assurance = fields.Float(
        string="Assurance", digits=(5, 1), readonly=True, copy=False, aggregator="avg"
    )
    score_empathy = fields.Float(
        string="Empathy", digits=(5, 1), readonly=True, copy=False, aggregator="avg"
    )
    score_overall = fields.Float(
        string="Overall Satisfaction",
        digits=(5, 1),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Answer to the overall satisfaction question, 0-100.",
    )
    survey_recommend = fields.Float(
        string="Would Recommend (0-10)", digits=(4, 1), readonly=True, copy=False, aggregator="avg"
    )
    survey_comment = fields.Text(string="Customer Comment", readonly=True, copy=False)
    survey_low_score = fields.Boolean(
        string="Low Satisfaction",
        readonly=True,
        copy=False,
        groups="aftersales_service.group_aftersales_user",
    )

    # return visit (回访)
    return_visit_state = fields.Selection(
        [("planned", "Planned"), ("done", "Done")],
        string="Return Visit",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    return_visit_date = fields.Date(string="Return Visit Due", copy=False, tracking=True)
    return_visit_user_id = fields.Many2one(
        "res.users", string="Return Visit By", copy=False, domain=[("share", "=", False)]
    )
    return_visit_outcome = fields.Selection(
        [
            ("satisfied", "Satisfied"),
            ("problem_persists", "Problem Persists"),
            ("other", "Other"),
        ],
        readonly=True,
        copy=False,
        tracking=True,
    )
    return_visit_note = fields.Text(
        readonly=True, copy=False, groups="aftersales_service.group_aftersales_user"
    )
    return_visit_done_date = fields.Datetime(string="Return Visit Made", readonly=True, copy=False)
    followup_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Follow-up Ticket",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Ticket opened because the problem persisted at the return visit.",
    )
    followup_origin_id = fields.Many2one(
        "aftersales.ticket",
        string="Follow-up Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The ticket whose return visit found that the problem persists.",
    )

    def _aftersales_system_fields(self):
        # the survey link, its dates and the customer's scores: recorded from the answer
        return super()._aftersales_system_fields() | {
            "survey_user_input_id",
            "survey_state",
            "survey_sent_date",
            "survey_reminder_date",
            "survey_answer_date",
            *(f"score_{dimension}" for dimension in SCORED_DIMENSIONS),
            "survey_recommend",
            "survey_comment",
            "survey_low_score",
        }

    @api.depends("survey_user_input_id.state", "survey_user_input_id.access_token")
    def _compute_survey_url(self):
        for ticket in self:
            answer = ticket.survey_user_input_id
            ticket.survey_url = (
                f"{ticket.get_base_url()}{answer.get_start_url()}"
                if answer and answer.state != "done"
                else False
            )

    @api.model
    def _satisfaction_param(self, key, default):
        """An integer setting of the satisfaction features (Settings › After-Sales)."""
        value = self.env["ir.config_parameter"].sudo().get_param(f"aftersales_service.{key}")
        try:
            return int(value) if value not in (None, False, "") else default
        except ValueError:
            return default

    @api.model
    def _satisfaction_survey(self):
        survey_id = self._satisfaction_param("survey_id", 0)
        survey = self.env["survey.survey"].sudo().browse(survey_id).exists() if survey_id else None
        return (
            survey
            or self.env.ref("aftersales_service.survey_servqual", raise_if_not_found=False)
            or self.env["survey.survey"]
        )

    # -- satisfaction survey

    def _on_closed(self):
        """The survey (when the company sends it on closing) and the return visit."""
        res = super()._on_closed()
        # the engineer who closes needs no Survey rights: the product sends it
        tickets = self.sudo()
        tickets.filtered("company_id.aftersales_survey_on_close")._send_satisfaction_survey()
        tickets._schedule_return_visit()
        return res

    def _send_satisfaction_survey(self, force=False):
        """Invite the customers of closed tickets to the satisfaction survey.

        Closed tickets of a type that asks for it (any closed ticket with `force`), with a
        customer, never twice: the customer gets a personal link by mail and in the portal.
        """
        survey = self._satisfaction_survey()
        todo = self.filtered(
            lambda t: (
                t.is_closed and (force or t.survey_required) and t.partner_id and not t.survey_state
            )
        )
        if not todo or not survey or not survey.active:
            return self.env["survey.user_input"]
        answers = self.env["survey.user_input"].sudo()
        now = fields.Datetime.now()
        for ticket in todo.sudo():
            lang = self.env["res.lang"]._lang_get(ticket.partner_id.lang)
            answer = survey._create_answer(
                partner=ticket.partner_id,
                check_attempts=False,
                aftersales_ticket_id=ticket.id,
                lang_id=lang.id,
            )
            ticket.write(
                {"survey_user_input_id": answer.id, "survey_state": "sent", "survey_sent_date": now}
            )
            answers |= answer
        todo._post_survey_mail("aftersales_service.mail_template_satisfaction_survey")
        return answers

    def _post_survey_mail(self, template_xmlid):
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        self.sudo().message_post_with_source(
            template,
            subtype_xmlid="mail.mt_note",
            email_layout_xmlid="mail.mail_notification_light",
        )

    @api.model
    def _cron_send_survey_reminders(self):
        """Daily: one reminder to the customers who have not answered after N days."""
        days = self._satisfaction_param("survey_reminder_days", 3)
        if days <= 0:
            return self
        now = fields.Datetime.now()
        tickets = self.sudo().search(
            [("survey_state", "=", "sent"), ("survey_sent_date", "<=", now - timedelta(days=days))]
        )
        tickets = tickets.filtered(lambda t: t.survey_user_input_id.state != "done")
        tickets._post_survey_mail("aftersales_service.mail_template_satisfaction_reminder")
        tickets.write({"survey_state": "reminded", "survey_reminder_date": now})
        return tickets

    def _apply_survey_answer(self, answer):
        """Store the scores of a completed survey answer; a low score opens a follow-up."""
        self.ensure_one()
        scores = answer._aftersales_scores()
        vals = {
            "survey_user_input_id": answer.id,
            "survey_state": "done",
            "survey_answer_date": answer.end_datetime or fields.Datetime.now(),
        }
        vals.update({f"score_{d}": scores[d] for d in SCORED_DIMENSIONS if d in scores})
        if "recommend" in scores:
            vals["survey_recommend"] = scores["recommend"]
        if "comment" in scores:
            vals["survey_comment"] = scores["comment"]
        self.write(vals)
        self._check_satisfaction_threshold(scores)
        return scores

    def _check_satisfaction_threshold(self, scores):
        """投诉就是关爱: a score below the threshold is a follow-up for the service manager."""
        self.ensure_one()
        threshold = self._satisfaction_param("survey_low_score", 60)
        labels = {
            name: self._fields[f"score_{name}"]._description_string(self.env)
            for name in SCORED_DIMENSIONS
        }
        low = [labels[d] for d in SCORED_DIMENSIONS if d in scores and scores[d] < threshold]
        if not low:
            return False
        self.survey_low_score = True
        note = self.env._(
            "Low satisfaction score (below %(threshold)s/100) for %(dimensions)s: call the "
            "customer back, understand what went wrong and agree how to put it right.",
            threshold=threshold,
            dimensions=", ".join(low),
        )
        self.activity_schedule(
            "aftersales_service.mail_activity_type_satisfaction_followup",
            summary=self.env._("Low satisfaction: call the customer back"),
            note=note,
            user_id=self._satisfaction_followup_user().id,
        )
        self.message_post(body=note, subtype_xmlid="mail.mt_note")
        return True

    def _satisfaction_followup_user(self):
        """The service manager of the ticket: team leader, survey responsible, a manager."""
        self.ensure_one()
        survey = self._satisfaction_survey()
        return (
            self.team_id.leader_id
            or survey.user_id.filtered(lambda u: u.active and not u.share)
            or self._aftersales_management()[:1]
        )

    def action_send_satisfaction_survey(self):
        """Send the survey of closed tickets by hand, or send its link again."""
        closed = self.filtered("is_closed")
        if not closed:
            raise UserError(self.env._("Only closed tickets can be rated by the customer."))
        resend = closed.filtered(lambda t: t.survey_state in ("sent", "reminded"))
        resend._post_survey_mail("aftersales_service.mail_template_satisfaction_survey")
        (closed - resend)._send_satisfaction_survey(force=True)
        return True

    def _record_survey_answers(self, answers, answer_date=False):
        """Record answers the customer gave another way (by phone at the return visit, or
        imported): {question id: value}. The survey is sent first if needed; the answer is
        scored like one given on the web."""
        self.ensure_one()
        if not self.survey_user_input_id:
            self._send_satisfaction_survey(force=True)
        user_input = self.sudo().survey_user_input_id
        if not user_input or user_input.state == "done":
            raise UserError(
                self.env._(
                    "The survey of %(ticket)s cannot take answers: it is answered already, or "
                    "the ticket is not closed.",
                    ticket=self.display_name,
                )
            )
        values = {int(question_id): value for question_id, value in answers.items()}
        for question in self.env["survey.question"].sudo().browse(list(values)):
            user_input._save_lines(question, str(values[question.id]))
        user_input._mark_done()
        if answer_date:
            user_input.end_datetime = answer_date
            self.sudo().survey_answer_date = answer_date
        return user_input

    def action_view_survey_answer(self):
        self.ensure_one()
        return self._action_open_record(self.survey_user_input_id)

    # -- return visit (回访)

    def _schedule_return_visit(self):
        """The return visit of the closed tickets' type is planned.

        Due N days after closing (per ticket type), for the ticket's engineer (else the team
        leader) who gets an activity; the team sees it in Tickets › Return Visits.
        """
        todo = self.filtered(
            lambda t: (
                t.is_closed
                and t.type_id.return_visit_required
                and t.return_visit_state != "planned"
            )
        )
        now = fields.Datetime.now()
        for ticket in todo:
            closed = fields.Datetime.context_timestamp(ticket, ticket.closed_date or now).date()
            due = closed + timedelta(days=ticket.type_id.return_visit_delay_days)
            user = ticket.user_id or ticket.team_id.leader_id
            ticket.write(
                {
                    "return_visit_state": "planned",
                    "return_visit_date": due,
                    "return_visit_user_id": user.id,
                    "return_visit_outcome": False,
                    "return_visit_note": False,
                    "return_visit_done_date": False,
                }
            )
            if user:
                ticket.activity_schedule(
                    "aftersales_service.mail_activity_type_return_visit",
                    date_deadline=due,
                    summary=self.env._(
                        "Return visit: call %(customer)s", customer=ticket.partner_id.name or "-"
                    ),
                    user_id=user.id,
                )
        return todo

    def _record_return_visit(self, outcome, note=False, persist_action="reopen"):
        """Record the outcome of the return visit; when the problem persists, reopen the
        ticket or open a linked follow-up ticket. Returns the follow-up ticket, if any."""
        self.ensure_one()
        if not self.is_closed or self.return_visit_state == "done":
            raise UserError(
                self.env._(
                    "The return visit of %(ticket)s can be recorded once, after the ticket is "
                    "closed.",
                    ticket=self.display_name,
                )
            )
        if outcome == "other" and not (note or "").strip():
            raise UserError(self.env._("Describe the outcome of the return visit."))
        labels = dict(self._fields["return_visit_outcome"]._description_selection(self.env))
        self.write(
            {
                "return_visit_state": "done",
                "return_visit_outcome": outcome,
                "return_visit_note": note,
                "return_visit_done_date": fields.Datetime.now(),
                "return_visit_user_id": self.env.user.id,
            }
        )
        activity_type = self.env.ref("aftersales_service.mail_activity_type_return_visit")
        self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).action_feedback(feedback=note or labels[outcome])
        self.message_post(
            body=self.env._(
                "Return visit: %(outcome)s. %(note)s", outcome=labels[outcome], note=note or ""
            ),
            subtype_xmlid="mail.mt_note",
        )
        if outcome != "problem_persists":
            return self.browse()
        if persist_action == "reopen":
            self._reopen_after_return_visit()
            return self.browse()
        return self._create_followup_ticket(note)

    def _reopen_after_return_visit(self):
        self.ensure_one()
        target = (
            next(
                (
                    stage
                    for role in ("in_progress", "dispatched", "new")
                    for stage in self._stage_of_role(role).values()
                    if stage
                ),
                None,
            )
            or self._team_stages()[self.team_id.id].filtered(lambda s: not s.is_closed)[:1]
        )
        if not target:
            raise UserError(
                self.env._(
                    "Team %(team)s has no open stage to reopen %(ticket)s in.",
                    team=self.team_id.display_name,
                    ticket=self.display_name,
                )
            )
        self.stage_id = target
        self.message_post(
            body=self.env._("Reopened: the problem persists at the return visit."),
            subtype_xmlid="mail.mt_note",
        )

    def _create_followup_ticket(self, note):
        self.ensure_one()
        followup = self.create(
            {
                "name": self.env._("Problem persists: %(subject)s", subject=self.name),
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "type_id": self.type_id.id,
                "team_id": self.team_id.id,
                "product_id": self.product_id.id,
                "lot_id": self.lot_id.id,
                "sale_order_id": self.sale_order_id.id,
                "fault_category_id": self.fault_category_id.id,
                "description": plaintext2html(note) if note else False,
                "followup_origin_id": self.id,
            }
        )
        self.followup_ticket_id = followup
        return followup

    def action_record_return_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Return Visit"),
            "res_model": "aftersales.return.visit.record",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_open_followup_ticket(self):
        self.ensure_one()
        return self._action_open_record(self.followup_ticket_id or self.followup_origin_id)
