from odoo import api, fields, models
from odoo.tools import SQL, format_datetime

from ..tools.sla_planning import checkpoints

PRIORITY_MAX = "3"


class AftersalesTicketSlaEscalation(models.Model):
    """The escalation job of the SLA timers: the warnings, escalation levels and breaches that
    fall due, found every 5 minutes by the cron, each fired once."""

    _inherit = "aftersales.ticket.sla"

    @api.model
    def _cron_escalate(self, batch_size=500):
        """Every 5 minutes: warnings, escalation levels and breaches that are due."""
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        while True:
            done = self._escalate_due(limit=batch_size)
            if not in_cron:
                return done
            if done < batch_size:
                self.env["ir.cron"]._commit_progress(done, remaining=0)
                return done
            if not self.env["ir.cron"]._commit_progress(done):
                return done

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
        for timer, level in fired:
            ticket = timer.ticket_id
            message = self.env._(
                "SLA escalation: %(promise)s of %(ticket)s has used %(percent)s%% of its time "
                "(deadline %(deadline)s).",
                promise=timer.name,
                ticket=ticket.display_name,
                percent=level.percent,
                deadline=format_datetime(self.env, timer.deadline) if timer.deadline else "-",
            )
            action = getattr(timer, f"_escalate_{level.action}")
            action(level, message)

    def _escalate_notify_engineer(self, level, message):
        user = self.ticket_id.user_id or self.ticket_id.team_id.leader_id
        self._escalation_activity(user, message)

    def _escalate_notify_leader(self, level, message):
        user = self.ticket_id.team_id.leader_id or self.ticket_id.user_id
        self._escalation_activity(user, message)

    def _escalation_activity(self, user, message):
        ticket = self.ticket_id
        if user:
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("SLA escalation"),
                note=message,
                user_id=user.id,
            )
        ticket.message_post(
            body=message,
            subtype_xmlid="mail.mt_note",
            partner_ids=user.partner_id.ids,
        )

    def _escalate_raise_priority(self, level, message):
        ticket = self.ticket_id
        if (ticket.priority or "0") < PRIORITY_MAX:
            ticket.with_context(aftersales_sla_escalation=True).write(
                {"priority": str(int(ticket.priority or "0") + 1)}
            )
        ticket.message_post(body=message, subtype_xmlid="mail.mt_note")

    def _escalate_reassign(self, level, message):
        ticket = self.ticket_id
        if ticket.team_id != level.team_id:
            reason = self.env._("SLA escalation of %(promise)s", promise=self.name)
            ticket.with_context(
                aftersales_sla_escalation=True, aftersales_dispatch_reason=reason
            ).write({"team_id": level.team_id.id, "user_id": False})
            ticket._auto_assign()
        ticket.message_post(body=message, subtype_xmlid="mail.mt_note")
