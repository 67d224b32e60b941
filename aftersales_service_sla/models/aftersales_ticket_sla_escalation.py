import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from ..tools.sla_planning import checkpoints

_logger = logging.getLogger(__name__)

PRIORITY_MAX = "3"
#: due timers processed (and committed) together by the cron: a batch takes well under a second
CRON_BATCH = 100
#: a failed batch is tried again at once in a new transaction (a concurrent update conflicts
#: once); failing again, its timers stay due for the next run
CRON_ATTEMPTS = 2


class AftersalesTicketSlaEscalation(models.Model):
    """The escalation job of the SLA timers: the warnings, escalation levels and breaches that
    fall due, found every 5 minutes by the cron, each fired once; what a breach proposes."""

    _inherit = "aftersales.ticket.sla"

    @api.model
    def _cron_escalate(self, batch_size=CRON_BATCH):
        """Every 5 minutes: the warnings, escalation levels and breaches that are due, in
        batches of `batch_size` timers, each committed with the cron's progress.

        A failed batch is rolled back, logged as an error and tried again in a new
        transaction; failing again, its timers stay due and are skipped for this run: the run
        ends in error after the other batches (the next run tries them again), never reported
        as done. When the cron's time is up, the rest is left to its next run, reported as
        remaining. Outside a cron (tests, a shell) nothing is committed: each batch is a
        savepoint. Returns the number of timers processed.
        """
        Cron = self.env["ir.cron"]
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        now = fields.Datetime.now()
        if in_cron:
            Cron._commit_progress(remaining=self._due_count(now))
        processed, failed, locked = 0, [], []
        while True:
            ids = self._due_ids(now, batch_size, exclude=failed + locked)
            if not ids:
                break
            done, time_left = self._escalate_batch(ids, now, in_cron)
            if done is None:
                failed += ids
                continue
            if done < len(ids):
                locked += ids  # some are another transaction's: it processes them
            processed += done
            if time_left <= 0:
                break
        if failed:
            if in_cron:
                Cron._commit_progress(remaining=self._due_count(now))
            raise UserError(
                self.env._(
                    "%(count)s SLA timers could not be processed (see the server log); they "
                    "are tried again at the next run.",
                    count=len(failed),
                )
            )
        return processed

    @api.model
    def _due_ids(self, now, limit, exclude=()):
        self.flush_model(["next_action_date"])
        skip = SQL("AND id != ALL(%s)", list(exclude)) if exclude else SQL()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM aftersales_ticket_sla
                    WHERE next_action_date <= %s %s
                 ORDER BY next_action_date, id
                    LIMIT %s""",
                now,
                skip,
                limit,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _due_count(self, now):
        self.env.cr.execute(
            "SELECT count(*) FROM aftersales_ticket_sla WHERE next_action_date <= %s", [now]
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _escalate_batch(self, ids, now, in_cron):
        """Process the due timers `ids` in a transaction of their own (a savepoint outside a
        cron). Returns (timers processed, or None when the batch failed; the cron's time
        left)."""
        for attempt in range(1, CRON_ATTEMPTS + 1):
            try:
                if not in_cron:
                    with self.env.cr.savepoint():
                        return self._escalate_due(now, len(ids), ids), float("inf")
                done = self._escalate_due(now, len(ids), ids)
                self.env.flush_all()
                return done, self.env["ir.cron"]._commit_progress(done)
            except Exception:
                if in_cron:
                    self.env.cr.rollback()
                _logger.exception(
                    "SLA escalation: the batch of timers %s failed (attempt %s of %s).",
                    ids,
                    attempt,
                    CRON_ATTEMPTS,
                )
        return None, float("inf")

    @api.model
    def _escalate_due(self, now=None, limit=500, timer_ids=None):
        """Process the timers whose next action is due (among `timer_ids` if given).

        The due timers are found through the partial index on ``next_action_date`` and locked
        with ``FOR UPDATE SKIP LOCKED``: a second cron transaction running at the same time
        skips them, and the unique (timer, level) log never lets a level fire twice. Returns
        the number of timers processed.
        """
        now = now or fields.Datetime.now()
        self.flush_model()
        only = SQL("AND id = ANY(%s)", list(timer_ids)) if timer_ids is not None else SQL()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM aftersales_ticket_sla
                    WHERE next_action_date <= %s %s
                 ORDER BY next_action_date, id
                    LIMIT %s
               FOR UPDATE SKIP LOCKED""",
                now,
                only,
                limit,
            )
        )
        timers = self.sudo().browse(row[0] for row in self.env.cr.fetchall())
        if timers:
            timers._process_due(now, self._engine())
        return len(timers)

    def _checkpoint_requests(self):
        """(timer, tag, level, seconds from the clock start) of the checkpoints of running timers.

        Tags: "deadline", "warning" and "level" (with its escalation level).
        """
        return [
            (timer, tag, level, seconds)
            for timer in self.filtered("clock_start")
            for tag, level, seconds in checkpoints(
                timer.allowed_seconds,
                timer.used_seconds,
                timer.target_id.warning_percent,
                timer.warned,
                timer.target_id.escalation_ids - timer.escalation_log_ids.level_id,
            )
        ]

    def _process_due(self, now, engine):
        # no warning, breach or escalation on a closed or archived ticket: its timers settle
        over = self.filtered(lambda t: t.ticket_id.is_closed or not t.ticket_id.active)
        if over:
            pending = over.filtered(lambda t: not t.reached_date and not t.settled_date)
            self.env["aftersales.ticket"]._sla_settle_late(pending, engine)
            over.filtered("next_action_date").write({"next_action_date": False})
        (self - over)._process_open_due(now, engine)

    def _process_open_due(self, now, engine):
        running = self.filtered("clock_start")
        requests = running._checkpoint_requests()
        dates = self._compute_deadline_batch(
            [(timer.calendar_id, timer.clock_start, n) for timer, _tag, _level, n in requests],
            engine,
        )
        due_levels = []
        warned = self.browse()
        for (timer, tag, level, _seconds), date in zip(requests, dates, strict=True):
            if date is None or date > now:
                continue
            if tag == "warning":
                warned |= timer
            elif tag == "level":
                due_levels.append((timer, level))
        warned.write({"warned": True})
        breached = running.filtered(
            lambda t: not t.is_breached and t.deadline and t.deadline <= now
        )
        breached.write({"is_breached": True, "status": "breached"})
        fired = self._log_levels(due_levels, now)
        breached._on_breach()
        self._fire_levels(fired)
        (self - running).write({"next_action_date": False})
        running._plan(engine, now)

    def _log_levels(self, due_levels, now):
        """Insert the fired levels; only the pairs really inserted are returned (fired once)."""
        if not due_levels:
            return []
        Log = self.env["aftersales.sla.escalation.log"]
        Log.flush_model()
        values = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                timer.id,
                level.id,
                timer.ticket_id.id,
                timer.company_id.id,
                now,
                self.env.uid,
                now,
                self.env.uid,
                now,
            )
            for timer, level in due_levels
        ]
        self.env.cr.execute(
            SQL(
                """INSERT INTO aftersales_sla_escalation_log
                        (timer_id, level_id, ticket_id, company_id, fired_date,
                         create_uid, create_date, write_uid, write_date)
                   VALUES %s
              ON CONFLICT (timer_id, level_id) DO NOTHING
                RETURNING timer_id, level_id""",
                SQL(", ").join(values),
            )
        )
        inserted = set(self.env.cr.fetchall())
        Log.invalidate_model()
        self.invalidate_model(["escalation_log_ids"])
        return [(timer, level) for timer, level in due_levels if (timer.id, level.id) in inserted]

    def _fire_levels(self, fired):
        """Fire the levels: each action's own change (priority, team), then the activities
        and the notes of the whole batch at once (one note a ticket)."""
        notes, activities = defaultdict(list), []
        deadline_text = self._deadline_formatter()
        for timer, level in fired:
            message = self.env._(
                "SLA escalation: %(promise)s of %(ticket)s has used %(percent)s%% of its time "
                "(deadline %(deadline)s).",
                promise=timer.display_name,
                ticket=timer.ticket_id.display_name,
                percent=level.percent,
                deadline=deadline_text(timer.deadline),
            )
            user = getattr(timer, f"_escalate_{level.action}")(level)
            if user:
                activities.append(timer._escalation_activity_vals(user, message))
            notes[timer.ticket_id.id].append(message)
        if activities:
            self.env["mail.activity"].sudo().create(activities)
        if notes:
            self._log_notes(
                {
                    ticket_id: Markup("<br/>").join(Markup("%s") % line for line in lines)
                    for ticket_id, lines in notes.items()
                }
            )

    def _deadline_formatter(self):
        """A function formatting a deadline in the language and time zone of the job (the
        format of the language, without one babel call per timer: the cron formats thousands)."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        pattern = f"{lang.date_format} {lang.time_format}".replace(":%S", "")

        def deadline_text(deadline):
            if not deadline:
                return "-"
            return fields.Datetime.context_timestamp(self, deadline).strftime(pattern)

        return deadline_text

    def _log_notes(self, bodies):
        """Log the escalation notes {ticket id: Markup body} on the tickets in one INSERT.

        The same message as ``mail.thread._message_log_batch`` (an internal note of the job's
        author, no notification), without the ORM's per-message work (sanitizing our own
        escaped text, the inverse caches of every model's chatter): the cron logs thousands.
        """
        Ticket = self.env["aftersales.ticket"]
        author_id, email_from = Ticket._message_compute_author()
        reply_to = self.env["mail.thread"]._notify_get_reply_to(
            default=email_from, author_id=author_id
        )[False]
        now = fields.Datetime.now()
        uid = self.env.uid
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        message_id = generate_tracking_message_id("message-notify")
        self.env["mail.message"].flush_model()
        rows = [
            SQL(
                "(%s, %s, %s, 'notification', TRUE, %s, %s, %s, %s, %s, FALSE, %s, %s, %s, %s, %s)",
                Ticket._name,
                ticket_id,
                str(body),
                note,
                author_id or None,
                email_from or None,
                reply_to or None,
                message_id,
                now,
                uid,
                now,
                uid,
                now,
            )
            for ticket_id, body in bodies.items()
        ]
        self.env.cr.execute(
            SQL(
                """INSERT INTO mail_message
                        (model, res_id, body, message_type, is_internal, subtype_id, author_id,
                         email_from, reply_to, message_id, email_add_signature, date,
                         create_uid, create_date, write_uid, write_date)
                   VALUES %s""",
                SQL(", ").join(rows),
            )
        )
        Ticket.browse(list(bodies)).invalidate_recordset(["message_ids"])

    def _escalate_notify_engineer(self, level):
        """Returns the user to give an escalation activity (or none)."""
        return self.ticket_id.user_id or self.ticket_id.team_id.leader_id

    def _escalate_notify_leader(self, level):
        return self.ticket_id.team_id.leader_id or self.ticket_id.user_id

    def _escalation_activity_vals(self, user, message):
        return {
            "res_model_id": self.env["ir.model"]._get_id("aftersales.ticket"),
            "res_id": self.ticket_id.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": self.env._("SLA escalation"),
            "note": message,
            "user_id": user.id,
            "date_deadline": fields.Date.context_today(self),
        }

    def _escalate_raise_priority(self, level):
        ticket = self.ticket_id
        if (ticket.priority or "0") < PRIORITY_MAX:
            ticket.with_context(aftersales_sla_escalation=True).write(
                {"priority": str(int(ticket.priority or "0") + 1)}
            )

    def _escalate_reassign(self, level):
        ticket = self.ticket_id
        if ticket.team_id != level.team_id:
            reason = self.env._("SLA escalation of %(promise)s", promise=self.name)
            ticket.with_context(
                aftersales_sla_escalation=True, aftersales_dispatch_reason=reason
            ).write({"team_id": level.team_id.id, "user_id": False})
            ticket._auto_assign()

    # ------------------------------------------------------------ breach

    def _on_breach(self):
        """Propose the compensations; a missed promise of a complaint is its escalation: the
        complaint job of aftersales_service does not escalate it a second time (投诉不重复升级)."""
        self._propose_compensation()
        complaints = self.ticket_id.filtered(
            lambda t: t.is_complaint and not t.is_closed and not t.complaint_escalated_date
        )
        if complaints:
            complaints.sudo().write({"complaint_escalated_date": fields.Datetime.now()})

    def _propose_compensation(self):
        """Propose the policy's compensation for the breaches attributable to the company."""
        todo = self.filtered(
            lambda t: t.target_id.compensate
            and t.policy_id.compensation_type
            and t.exemption_state != "approved"
            and not t.compensation_ids
        )
        if not todo:
            return
        compensations = (
            self.env["aftersales.compensation"]
            .sudo()
            .create([timer._prepare_compensation_vals() for timer in todo])
        )
        for compensation in compensations:
            compensation.ticket_id.sudo().message_post(
                body=self.env._(
                    "The promise %(promise)s was missed: compensation %(compensation)s is "
                    "proposed for a manager's approval.",
                    promise=compensation.timer_id.name,
                    compensation=compensation.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _prepare_compensation_vals(self):
        self.ensure_one()
        policy = self.policy_id
        return {
            "ticket_id": self.ticket_id.id,
            "timer_id": self.id,
            "policy_id": policy.id,
            "compensation_type": policy.compensation_type,
            "percent": policy.compensation_percent,
            "amount": policy.compensation_amount if policy.compensation_type == "credit" else 0,
            "currency_id": policy.currency_id.id,
        }
