from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models

from .aftersales_ticket_sla import RESUMABLE_KINDS

#: a change of these re-matches the SLA policies (keeping the used working time)
SLA_MATCH_FIELDS = {"priority", "type_id", "team_id", "partner_id", "product_id", "company_id"}
#: a change of these may start, pause, resume or stop timers
SLA_EVENT_FIELDS = {
    "stage_id",
    "arrival_date",
    "dispatched_date",
    "sla_first_reply_date",
    "requested_date",
    "user_id",
    "active",
}
SLA_STATUSES = [
    ("none", "No SLA"),
    ("running", "On Track"),
    ("warning", "At Risk"),
    ("paused", "Paused"),
    ("breached", "Breached"),
    ("met", "Met"),
]


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    sla_ids = fields.One2many("aftersales.ticket.sla", "ticket_id", string="Service Promises")
    sla_first_reply_date = fields.Datetime(
        string="First Reply",
        readonly=True,
        copy=False,
        help="First message visible to the customer written by one of our users.",
    )
    sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_sla_summary",
        store=True,
        index=True,
        help="The nearest deadline of the running promises.",
    )
    sla_status = fields.Selection(
        SLA_STATUSES, string="SLA", compute="_compute_sla_summary", store=True, index=True
    )
    sla_remaining_hours = fields.Float(
        string="SLA Time Left (h)",
        compute="_compute_sla_remaining_hours",
        help="Working hours left before the nearest deadline; negative when overdue. "
        "Counted over the next 92 days at most: a farther deadline shows the hours of those "
        "days.",
    )
    sla_compensation_ids = fields.One2many(
        "aftersales.compensation", "ticket_id", string="Compensations"
    )
    sla_voucher_of_id = fields.Many2one(
        "aftersales.compensation",
        string="Compensation Voucher Of",
        readonly=True,
        copy=False,
        help="This prepaid maintenance visit is the compensation of a missed promise.",
    )

    def _aftersales_system_fields(self):
        # the first reply is recorded from the chatter; the timers and their compensations
        # by the SLA engine. The arrival date stays the engineer's (see the core).
        return super()._aftersales_system_fields() | {
            "sla_first_reply_date",
            "sla_ids",
            "sla_compensation_ids",
            "sla_voucher_of_id",
        }

    @api.depends(
        "sla_ids.deadline",
        "sla_ids.clock_start",
        "sla_ids.status",
        "sla_ids.warned",
        "sla_ids.is_breached",
        "sla_ids.reached_date",
        "sla_ids.settled_date",
    )
    def _compute_sla_summary(self):
        for ticket in self:
            timers = ticket.sla_ids
            running = timers.filtered(lambda t: t.clock_start and t.deadline)
            ticket.sla_deadline = min(running.mapped("deadline")) if running else False
            ticket.sla_status = ticket._sla_status_of(timers)

    @api.model
    def _sla_status_of(self, timers):
        if not timers:
            return "none"
        pending = timers.filtered(lambda t: not t.reached_date and not t.settled_date)
        if not pending:
            return "breached" if any(timers.mapped("is_breached")) else "met"
        if any(pending.mapped("is_breached")):
            return "breached"
        if any(pending.mapped("warned")):
            return "warning"
        if any(pending.mapped("clock_start")):
            return "running"
        return "paused"

    def _compute_sla_remaining_hours(self):
        now = fields.Datetime.now()
        engine = self.env["aftersales.ticket.sla"]._engine()
        for ticket in self:
            running = ticket.sla_ids.filtered(lambda t: t.clock_start and t.deadline)
            if not running:
                ticket.sla_remaining_hours = 0.0
                continue
            timer = min(running, key=lambda t: t.deadline)
            ticket.sla_remaining_hours = timer._time_left(now, engine) / 3600

    # ------------------------------------------------------------ CRUD and events

    @api.model_create_multi
    def create(self, vals_list):
        # the promises start below, synced once: the dispatch of new tickets need not sync
        tickets = super(AftersalesTicket, self.with_context(aftersales_sla_sync_after=True)).create(
            vals_list
        )
        tickets = tickets.with_env(self.env)
        tickets._sla_start()
        return tickets

    def write(self, vals):
        changed = set(vals)
        # a dispatch syncs once for its batch, in _on_dispatched
        dispatching = self.env.context.get("aftersales_dispatching")
        sync = bool(changed & (SLA_EVENT_FIELDS | SLA_MATCH_FIELDS)) and not dispatching
        writer = self.with_context(aftersales_sla_sync_after=True) if sync else self
        res = super(AftersalesTicket, writer).write(vals)
        engine = None
        if changed & SLA_MATCH_FIELDS and not self.env.context.get("aftersales_sla_escalation"):
            engine = self.env["aftersales.ticket.sla"]._engine()
            self._sla_rematch(changed & SLA_MATCH_FIELDS, engine)
        if sync:
            self._sla_sync(engine, replan="requested_date" in changed)
        return res

    def _on_dispatched(self):
        res = super()._on_dispatched()
        if not self.env.context.get("aftersales_sla_sync_after"):
            self._sla_sync()
        return res

    def _on_closed(self):
        res = super()._on_closed()
        self._sla_sync_on_life_cycle()
        return res

    def _on_reopened(self):
        res = super()._on_reopened()
        self._sla_sync_on_life_cycle()
        return res

    def _on_archived(self):
        res = super()._on_archived()
        self._sla_sync_on_life_cycle()
        return res

    def _sla_sync_on_life_cycle(self):
        """Closing or archiving settles the promises whose event can no longer happen;
        reopening resumes them (see `_sla_transition`). Within our `write` (or `create`) the
        sync runs once after the hooks: not twice."""
        if not self.env.context.get("aftersales_sla_sync_after"):
            self._sla_sync()

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if len(self) == 1 and not self.sla_first_reply_date and self._sla_is_reply(message):
            self.sudo().write({"sla_first_reply_date": message.date or fields.Datetime.now()})
        return message

    @api.model
    def _sla_is_reply(self, message):
        """A message the customer sees, written by one of our (internal) users."""
        if message.message_type not in ("comment", "email") or message.is_internal:
            return False
        if not message.subtype_id or message.subtype_id.internal:
            return False
        users = message.author_id.sudo().user_ids
        return bool(users) and not all(users.mapped("share"))

    # ------------------------------------------------------------ timers

    def _sla_should_pause(self):
        self.ensure_one()
        return bool(self.stage_id.sla_pause) and not self.is_closed

    def _sla_timer_vals(self, target, now):
        self.ensure_one()
        paused = self._sla_should_pause()
        seconds = target._get_seconds()
        return {
            "ticket_id": self.id,
            "target_id": target.id,
            "policy_id": target.policy_id.id,
            "kind": target.kind,
            "stage_id": target.stage_id.id,
            "name": self.env["aftersales.ticket.sla"]._name_for(target),
            "calendar_id": target.policy_id._get_calendar(self).id,
            "target_seconds": seconds,
            "allowed_seconds": seconds,
            "start_date": now,
            "clock_start": False if paused else now,
            "paused_since": now if paused else False,
            "status": "paused" if paused else "running",
        }

    def _sla_create_timers(self, pairs, now, engine):
        """Timers for [(ticket, target), ...] started at `now`, created with their deadlines:
        one engine batch and one `create` for the whole batch of tickets."""
        Timer = self.env["aftersales.ticket.sla"].sudo()
        Calendar = self.env["resource.calendar"]
        vals_list = [ticket._sla_timer_vals(target, now) for ticket, target in pairs]
        running = [
            (vals, ticket, target)
            for vals, (ticket, target) in zip(vals_list, pairs, strict=True)
            if vals["clock_start"]
        ]
        items = [
            {
                "calendar": Calendar.browse(vals["calendar_id"]),
                "clock_start": now,
                "used": 0,
                "target_seconds": vals["target_seconds"],
                "target": target,
                "floor": target.kind == "onsite"
                and target.use_requested_date
                and ticket.requested_date,
                "warned": False,
                "fired": self.env["aftersales.sla.escalation"],
                "is_breached": False,
                "warning_date": False,
            }
            for vals, ticket, target in running
        ]
        for (vals, _ticket, _target), values in zip(
            running, Timer._plan_values(items, engine), strict=True
        ):
            vals.update(values)
        return Timer.create(vals_list)

    def _sla_start(self, start=None):
        """Match the policies of new tickets and start their timers (at `start`, else now)."""
        if not self:
            return
        now = start or fields.Datetime.now()
        engine = self.env["aftersales.ticket.sla"]._engine()
        matches = self.env["aftersales.sla.policy"]._match_targets(self)
        pairs = [(ticket, target) for ticket in self for target in matches[ticket.id].values()]
        if pairs:
            self._sla_create_timers(pairs, now, engine)
            self._sla_sync(engine)

    def _sla_restart(self, start):
        """Start the promises of these tickets again, counted from `start`: a request noted
        on paper or received by letter (来函) and registered later counts from its arrival."""
        self.sudo().sla_ids.unlink()
        self._sla_start(fields.Datetime.to_datetime(start))

    @api.model
    def _sla_apply_to_open_tickets(self):
        """Start the promises of the open tickets that have none (after installing the addon
        or creating the first policies); returns the tickets started."""
        tickets = self.sudo().search([("is_closed", "=", False), ("sla_ids", "=", False)])
        tickets._sla_start()
        return tickets.filtered("sla_ids")

    @api.model
    def _sla_settle_over_tickets(self):
        """Settle the promises left running or paused on closed or archived tickets (before
        closing settled them), as of the closing date (archived: the last change): met when
        the policy counts the resolution as the first response, else missed or not needed.
        Returns the timers settled."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT s.id FROM aftersales_ticket_sla s
                 JOIN aftersales_ticket t ON t.id = s.ticket_id
                WHERE s.reached_date IS NULL AND s.settled_date IS NULL
                  AND (t.is_closed OR NOT t.active)"""
        )
        timers = self.env["aftersales.ticket.sla"].browse(r[0] for r in self.env.cr.fetchall())
        self._sla_settle_late(timers)
        return timers

    @api.model
    def _sla_settle_late(self, timers, engine=None):
        """Settle `timers`, pending on closed or archived tickets, as of the closing date."""
        timers = timers.sudo()
        engine = engine or timers._engine()
        dates = {t.id: t.ticket_id.closed_date or t.ticket_id.write_date for t in timers}
        answered = timers.filtered(
            lambda t: t.kind == "first_response"
            and t.ticket_id.is_closed
            and t.policy_id.first_response_closing == "met"
        )
        answered._stop(dates, engine)
        (timers - answered)._settle(dates, engine)

    def _sla_event(self, timer, now):
        """When the promise of `timer` was kept, or False."""
        self.ensure_one()
        kind = timer.kind
        if kind == "first_response":
            return self._sla_first_response_event(timer, now)
        if kind == "onsite":
            return self.arrival_date
        if kind == "resolution":
            # entering a closed stage: the sync runs at that moment (closed_date may be stale
            # when the ticket is reopened and closed again before a flush)
            return (timer.reached_date or now) if self.is_closed else False
        if timer.reached_date:
            return timer.reached_date
        stage = self.stage_id
        if stage and (
            stage == timer.stage_id or stage.sequence > timer.stage_id.sequence or self.is_closed
        ):
            return now
        return False

    def _sla_first_response_event(self, timer, now):
        event = timer.policy_id.first_response_event or "reply"
        dates = []
        if event in ("reply", "either"):
            dates.append(self.sla_first_reply_date)
        if event in ("dispatch", "either"):
            dates.append(self.dispatched_date)
        dates = [date for date in dates if date]
        if not dates and self.is_closed and timer.policy_id.first_response_closing == "met":
            # the resolution answers the customer: it is the first response
            return timer.reached_date or now
        return min(dates) if dates else False

    def _sla_sync(self, engine=None, replan=False):
        """Bring the timers in line with the tickets: stop, reopen, pause, resume."""
        timers = self.sudo().sla_ids
        if not timers:
            return
        now = fields.Datetime.now()
        engine = engine or timers._engine()
        per_ticket = defaultdict(list)
        for timer in timers:
            per_ticket[timer.ticket_id.id].append(timer)
        todo = defaultdict(lambda: timers.browse())
        stops = {}
        for ticket in self:
            pause = ticket._sla_should_pause()
            over = ticket.is_closed or not ticket.active
            for timer in per_ticket[ticket.id]:
                event = ticket._sla_event(timer, now)
                action = ticket._sla_transition(timer, event, pause, over)
                if action == "stop":
                    stops[timer.id] = event
                elif action:
                    todo[action] |= timer
        if stops:
            timers.browse(list(stops))._stop(stops, engine)
        todo["settle"]._settle(dict.fromkeys(todo["settle"].ids, now), engine)
        todo["reopen_paused"]._reopen(now, engine, paused=True)
        todo["reopen"]._reopen(now, engine, paused=False)
        todo["pause"]._pause(now, engine)
        todo["resume"]._resume(now, engine)
        if replan:
            onsite = timers.filtered(lambda t: t.kind == "onsite" and t.clock_start)
            (onsite - todo["resume"])._plan(engine, now)

    @api.model
    def _sla_transition(self, timer, event, pause, over=False):
        """What a timer must do: "stop", "settle", "reopen", "reopen_paused", "pause",
        "resume" or None. `over`: the ticket is closed or archived; the promises whose event
        did not happen are settled (missed or not needed), and resume when it reopens."""
        if timer.reached_date or timer.settled_date:
            resumes = not over and not event and timer.kind in RESUMABLE_KINDS
            return ("reopen_paused" if pause else "reopen") if resumes else None
        if event or over:
            return "stop" if event else "settle"
        if pause and timer.clock_start:
            return "pause"
        if not pause and timer.status == "paused":
            return "resume"
        return None

    def _sla_rematch(self, changed_fields, engine):
        """Apply the policies matching the tickets now, keeping the used working time."""
        now = fields.Datetime.now()
        matches = self.env["aftersales.sla.policy"]._match_targets(self)
        Timer = self.env["aftersales.ticket.sla"].sudo()
        switches, removed, new_pairs = {}, Timer, []
        notes = {}
        for ticket in self:
            desired = matches[ticket.id]
            current = {timer._key(): timer for timer in ticket.sudo().sla_ids}
            lines = notes.setdefault(ticket.id, [])
            for key, timer in current.items():
                if timer.reached_date:
                    continue
                target = desired.get(key)
                if not target:
                    removed |= timer
                    lines.append(
                        self.env._("%(promise)s no longer applies.", promise=timer.display_name)
                    )
                    continue
                calendar = target.policy_id._get_calendar(ticket)
                if target != timer.target_id or calendar != timer.calendar_id:
                    switches[timer.id] = (target, calendar)
            new_pairs += [(ticket, t) for key, t in desired.items() if key not in current]
        old_names = {timer.id: timer.display_name for timer in Timer.browse(list(switches))}
        if switches:
            Timer.browse(list(switches))._switch_target(switches, now, engine)
        removed.unlink()
        created = self._sla_create_timers(new_pairs, now, engine) if new_pairs else Timer
        for timer in Timer.browse(list(switches)):
            notes[timer.ticket_id.id].append(
                self.env._(
                    "%(old)s → %(new)s: %(used).2f working hours already used, new deadline "
                    "%(deadline)s.",
                    old=old_names[timer.id],
                    new=timer.display_name,
                    used=timer.used_seconds / 3600,
                    deadline=timer._format_deadline(),
                )
            )
        for timer in created:
            notes[timer.ticket_id.id].append(
                self.env._(
                    "%(promise)s now applies, deadline %(deadline)s.",
                    promise=timer.display_name,
                    deadline=timer._format_deadline(),
                )
            )
        self._sla_post_rematch_notes(notes, changed_fields)

    def _sla_post_rematch_notes(self, notes, changed_fields):
        labels = ", ".join(
            sorted(self._fields[name]._description_string(self.env) for name in changed_fields)
        )
        for ticket in self:
            lines = notes.get(ticket.id)
            if not lines:
                continue
            body = self.env._(
                "Service promises re-matched after a change of %(fields)s:", fields=labels
            )
            items = Markup("").join(Markup("<li>%s</li>") % line for line in lines)
            ticket.sudo().message_post(
                body=Markup("<p>%s</p><ul>%s</ul>") % (body, items),
                subtype_xmlid="mail.mt_note",
            )

    def _field_deadline(self):
        # the engineer's phone shows the nearest deadline of the running promises
        return self.sudo().sla_deadline or super()._field_deadline()
