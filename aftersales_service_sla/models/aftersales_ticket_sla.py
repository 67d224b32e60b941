import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from ..tools.sla_engine import SpanTooLong
from ..tools.sla_planning import plan_clocks
from .aftersales_sla_target import TARGET_KINDS, promise_label

_logger = logging.getLogger(__name__)

STATUSES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("breached", "Breached"),
    ("not_needed", "Not Needed"),
]
EXEMPTION_STATES = [
    ("none", "None"),
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
#: the events that can be undone: the timer runs again (reopened ticket, arrival cleared)
RESUMABLE_KINDS = ("resolution", "onsite")


class AftersalesTicketSla(models.Model):
    """One promise of one ticket: a working-time clock that runs, pauses and stops."""

    _name = "aftersales.ticket.sla"
    _description = "After-Sales Ticket SLA Timer"
    _order = "deadline, id"

    # ------------------------------------------------------------ ticket
    ticket_id = fields.Many2one(
        "aftersales.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    team_id = fields.Many2one(
        related="ticket_id.team_id", store=True, string="Team", precompute=True
    )
    user_id = fields.Many2one(
        related="ticket_id.user_id", store=True, string="Engineer", precompute=True
    )
    customer_tier_id = fields.Many2one(
        related="ticket_id.customer_tier_id", store=True, string="Customer Tier", precompute=True
    )
    partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id", store=True, string="Customer", precompute=True
    )

    # ------------------------------------------------------------ promise
    name = fields.Char(string="Promise", required=True, readonly=True)
    kind = fields.Selection(TARGET_KINDS, required=True, readonly=True)
    stage_id = fields.Many2one("aftersales.ticket.stage", string="Target Stage", readonly=True)
    target_id = fields.Many2one("aftersales.sla.target", ondelete="set null", readonly=True)
    policy_id = fields.Many2one(
        "aftersales.sla.policy", ondelete="set null", index=True, readonly=True
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        readonly=True,
        help="Empty: the clock runs 24×7.",
    )
    target_seconds = fields.Integer(readonly=True, help="The promised working time (seconds).")
    allowed_seconds = fields.Integer(
        readonly=True,
        help="The working time allowed (seconds): the target, or more when the customer asked "
        "for a later visit.",
    )

    # ------------------------------------------------------------ clock
    status = fields.Selection(STATUSES, required=True, default="running", readonly=True)
    start_date = fields.Datetime(required=True, readonly=True)
    clock_start = fields.Datetime(
        readonly=True, help="Start of the running segment; empty while paused or stopped."
    )
    paused_since = fields.Datetime(readonly=True)
    used_seconds = fields.Integer(
        readonly=True, help="Working seconds used in the closed segments."
    )
    paused_seconds = fields.Integer(readonly=True, help="Working seconds spent paused.")
    deadline = fields.Datetime(readonly=True)
    warning_date = fields.Datetime(readonly=True)
    next_action_date = fields.Datetime(
        readonly=True,
        help="Next warning, escalation level or breach to check; empty when the clock is "
        "stopped or nothing is left to fire.",
    )
    reached_date = fields.Datetime(readonly=True)
    settled_date = fields.Datetime(
        readonly=True,
        help="The ticket was closed or cancelled before the promised event: the promise was "
        "settled then, missed when its deadline had passed, else not needed.",
    )
    is_breached = fields.Boolean(string="Breached", readonly=True, index=True)
    warned = fields.Boolean(readonly=True)
    breach_seconds = fields.Integer(
        readonly=True, help="Working seconds between the deadline and the event."
    )

    # ------------------------------------------------------------ customer-caused delay
    exemption_state = fields.Selection(
        EXEMPTION_STATES,
        string="Customer-caused",
        required=True,
        default="none",
        readonly=True,
        help="A delay caused by the customer, approved by a manager, proposes no compensation "
        "and counts as met in the compliance reports.",
        groups="aftersales_service.group_aftersales_user",
    )
    exemption_reason = fields.Text(
        string="Reason of the Delay",
        readonly=True,
        groups="aftersales_service.group_aftersales_user",
    )
    exemption_user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        readonly=True,
        groups="aftersales_service.group_aftersales_user",
    )
    exemption_approver_id = fields.Many2one(
        "res.users",
        string="Decided By",
        readonly=True,
        groups="aftersales_service.group_aftersales_user",
    )

    # ------------------------------------------------------------ history and reporting
    segment_ids = fields.One2many(
        "aftersales.ticket.sla.segment",
        "timer_id",
        string="Segments",
        groups="aftersales_service.group_aftersales_user",
    )
    escalation_log_ids = fields.One2many(
        "aftersales.sla.escalation.log",
        "timer_id",
        string="Escalations",
        groups="aftersales_service.group_aftersales_user",
    )
    compensation_ids = fields.One2many(
        "aftersales.compensation", "timer_id", string="Compensations"
    )
    compliance = fields.Float(
        string="Compliance (%)",
        compute="_compute_compliance",
        store=True,
        precompute=True,
        aggregator="avg",
        help="100 for a promise kept (or missed through the customer), 0 for a breach.",
    )
    used_hours = fields.Float(compute="_compute_hours", string="Used (h)")
    remaining_hours = fields.Float(
        compute="_compute_hours",
        string="Time Left (h)",
        help="Working hours left before the deadline; negative when overdue. Counted over "
        "the next 92 days at most.",
    )
    breach_hours = fields.Float(compute="_compute_hours", string="Overdue (h)")
    can_request_exemption = fields.Boolean(
        compute="_compute_can_request_exemption", groups="aftersales_service.group_aftersales_user"
    )

    _next_action_idx = models.Index("(next_action_date) WHERE next_action_date IS NOT NULL")
    _status_deadline_idx = models.Index("(status, deadline)")
    _ticket_kind_uniq = models.UniqueIndex("(ticket_id, kind, COALESCE(stage_id, 0))")

    # ------------------------------------------------------------ computes

    @api.depends("status", "is_breached", "exemption_state")
    def _compute_compliance(self):
        for timer in self:
            if timer.status in ("met", "breached") or timer.is_breached:
                kept = not timer.is_breached or timer.exemption_state == "approved"
                timer.compliance = 100.0 if kept else 0.0
            else:
                timer.compliance = 0.0

    def _compute_hours(self):
        now = fields.Datetime.now()
        engine = self._engine()
        for timer in self:
            used = timer._used_at(now, engine)
            timer.used_hours = used / 3600
            remaining = timer.allowed_seconds - used
            if timer.status in ("running", "breached") and timer.deadline and timer.clock_start:
                remaining = timer._time_left(now, engine)
            over = timer.reached_date or timer.settled_date
            timer.remaining_hours = remaining / 3600 if not over else 0.0
            breach = timer.breach_seconds
            if timer.is_breached and not over and remaining < 0:
                breach = -remaining
            timer.breach_hours = breach / 3600

    @api.depends("is_breached", "exemption_state")
    @api.depends_context("uid")
    def _compute_can_request_exemption(self):
        for timer in self:
            timer.can_request_exemption = timer.is_breached and timer.exemption_state in (
                "none",
                "refused",
            )

    # ------------------------------------------------------------ engine helpers

    @api.model
    def _engine(self):
        return self.env["resource.calendar"]._aftersales_engine()

    def _time_left(self, now, engine):
        """Working seconds from `now` to the deadline (negative when overdue), counted over
        `REMAINING_HORIZON` at most: the same bounded work for any deadline."""
        self.ensure_one()
        if self.deadline >= now:
            return engine.working_seconds_capped(self.calendar_id, now, self.deadline)[0]
        return -engine.working_seconds_capped(self.calendar_id, self.deadline, now)[0]

    def _used_at(self, at, engine):
        """Working seconds used at instant `at` (the running segment included)."""
        self.ensure_one()
        used = self.used_seconds
        if self.clock_start and at > self.clock_start:
            used += engine.working_seconds_between(self.calendar_id, self.clock_start, at)
        return used

    @api.model
    def _compute_deadline_batch(self, requests, engine=None):
        """Deadlines of ``[(calendar, start, seconds), ...]``: the method the timers use.

        Grouped per calendar, each calendar's working intervals fetched once.
        """
        return (engine or self._engine()).add_working_seconds_multi(requests)

    # ------------------------------------------------------------ planning

    @api.model
    def _plan_values(self, items, engine):
        """Deadline, warning date, next action and allowed time of running clocks.

        `items` are dicts: calendar, clock_start, used (seconds), target_seconds, target
        (record), floor (the customer's requested date or False), warned, fired (levels
        already fired), is_breached, warning_date. Pure computation (see
        ``tools.sla_planning.plan_clocks``), one engine batch, so that new timers are created
        with their deadlines (no second write).
        """
        clocks = [
            item
            | {
                "warning_percent": item["target"].warning_percent,
                "levels": item["target"].escalation_ids - item["fired"],
            }
            for item in items
        ]
        try:
            result = plan_clocks(engine, clocks)
        except SpanTooLong:
            raise UserError(
                self.env._(
                    "A service promise cannot be planned more than five years ahead. Check the "
                    "customer's requested date and the working time of the SLA targets."
                )
            ) from None
        for item, values in zip(items, result, strict=True):
            if not values["deadline"]:
                _logger.warning(
                    "SLA: calendar %s has no working time ahead: no deadline.",
                    item["calendar"].display_name,
                )
        return result

    def _plan(self, engine, now=None):
        """Recompute the deadline, warning and next action of the running timers."""
        running = self.filtered("clock_start")
        items = [
            {
                "calendar": timer.calendar_id,
                "clock_start": timer.clock_start,
                "used": timer.used_seconds,
                "target_seconds": timer.target_seconds,
                "target": timer.target_id,
                "floor": timer._requested_floor(),
                "warned": timer.warned,
                "fired": timer.escalation_log_ids.level_id,
                "is_breached": timer.is_breached,
                "warning_date": timer.warning_date,
            }
            for timer in running
        ]
        for timer, values in zip(running, self._plan_values(items, engine), strict=True):
            changed = {k: v for k, v in values.items() if timer[k] != v}
            if changed:
                timer.write(changed)
        (self - running).filtered("next_action_date").write({"next_action_date": False})

    def _requested_floor(self):
        self.ensure_one()
        if self.kind == "onsite" and self.target_id.use_requested_date:
            return self.ticket_id.requested_date
        return False

    # ------------------------------------------------------------ clock transitions

    def _segment_vals(self, state, at, reason):
        self.ensure_one()
        return {
            "timer_id": self.id,
            "state": state,
            "date_start": at,
            "reason": reason,
            "calendar_id": self.calendar_id.id,
        }

    def _close_segments(self, at, engine):
        """Close the open segment of each timer at `at` (an instant, or {timer id: instant});
        return their working seconds. One read and one insert for the batch.

        The first segment of a timer is written when it ends (a new timer costs no segment
        row): it runs (or is paused) from the timer's start.
        """
        ats = at if isinstance(at, dict) else dict.fromkeys(self.ids, at)
        worked, first_segments = {}, []
        for timer in self:
            at = ats[timer.id]
            segments = timer.segment_ids
            if not segments and not timer.reached_date:
                end = max(at, timer.start_date)
                seconds = engine.working_seconds_between(timer.calendar_id, timer.start_date, end)
                vals = timer._segment_vals(
                    "running" if timer.clock_start else "paused", timer.start_date, "start"
                )
                first_segments.append(vals | {"date_end": end, "working_seconds": seconds})
                worked[timer.id] = seconds
                continue
            for segment in segments.filtered(lambda s: not s.date_end):
                end = max(at, segment.date_start)
                seconds = engine.working_seconds_between(
                    segment.calendar_id, segment.date_start, end
                )
                segment.write({"date_end": end, "working_seconds": seconds})
                worked[timer.id] = worked.get(timer.id, 0) + seconds
        if first_segments:
            self.env["aftersales.ticket.sla.segment"].create(first_segments)
        return worked

    def _pause(self, at, engine):
        timers = self.filtered("clock_start")
        worked = timers._close_segments(at, engine)
        for timer in timers:
            timer.write(
                {
                    "used_seconds": timer.used_seconds + worked.get(timer.id, 0),
                    "clock_start": False,
                    "paused_since": at,
                    "status": "paused",
                    "next_action_date": False,
                }
            )
        self.env["aftersales.ticket.sla.segment"].create(
            [timer._segment_vals("paused", at, "pause") for timer in timers]
        )

    def _resume(self, at, engine, reason="resume"):
        timers = self.filtered(lambda t: t.status == "paused" and not t.reached_date)
        worked = timers._close_segments(at, engine)
        for timer in timers:
            timer.write(
                {
                    "paused_seconds": timer.paused_seconds + worked.get(timer.id, 0),
                    "paused_since": False,
                    "clock_start": at,
                    "status": "breached" if timer.is_breached else "running",
                }
            )
        self.env["aftersales.ticket.sla.segment"].create(
            [timer._segment_vals("running", at, reason) for timer in timers]
        )
        timers._plan(engine, at)

    def _stop(self, events, engine):
        """The promised events happened: {timer id: instant}."""
        ats = {
            timer.id: max(
                events[timer.id], timer.clock_start or timer.paused_since or timer.start_date
            )
            for timer in self
        }
        worked = self._close_segments(ats, engine)
        newly_breached = self.browse()
        for timer in self:
            at = ats[timer.id]
            vals = {"reached_date": at, "next_action_date": False}
            if timer.clock_start:
                vals["used_seconds"] = timer.used_seconds + worked.get(timer.id, 0)
            else:
                vals["paused_seconds"] = timer.paused_seconds + worked.get(timer.id, 0)
            late = bool(timer.clock_start and timer.deadline and at > timer.deadline)
            if late:
                vals["breach_seconds"] = engine.working_seconds_between(
                    timer.calendar_id, timer.deadline, at
                )
                if not timer.is_breached:
                    newly_breached |= timer
            vals.update(
                clock_start=False,
                paused_since=False,
                is_breached=timer.is_breached or late,
                status="breached" if timer.is_breached or late else "met",
            )
            timer.write(vals)
        newly_breached._on_breach()

    def _settle(self, dates, engine):
        """The tickets were closed or archived before the promised events, at {timer id:
        instant}: the clocks stop, missed when the deadline had passed, else not needed."""
        ats = {
            timer.id: max(
                dates[timer.id], timer.clock_start or timer.paused_since or timer.start_date
            )
            for timer in self
        }
        all_worked = self._close_segments(ats, engine)
        newly_breached = self.browse()
        for timer in self:
            at = ats[timer.id]
            worked = all_worked.get(timer.id, 0)
            late = bool(timer.clock_start and timer.deadline and timer.deadline <= at)
            vals = {
                "settled_date": at,
                "clock_start": False,
                "paused_since": False,
                "next_action_date": False,
                "is_breached": timer.is_breached or late,
                "status": "breached" if timer.is_breached or late else "not_needed",
            }
            if timer.clock_start:
                vals["used_seconds"] = timer.used_seconds + worked
            else:
                vals["paused_seconds"] = timer.paused_seconds + worked
            if late:
                vals["breach_seconds"] = engine.working_seconds_between(
                    timer.calendar_id, timer.deadline, at
                )
                if not timer.is_breached:
                    newly_breached |= timer
            timer.write(vals)
        newly_breached._on_breach()

    def _reopen(self, at, engine, paused):
        """The event was undone or the promise settled without it (ticket reopened, arrival
        cleared): the clock goes on."""
        for timer in self:
            vals = {"reached_date": False, "settled_date": False}
            if paused:
                vals.update(status="paused", paused_since=at)
            else:
                vals.update(status="breached" if timer.is_breached else "running", clock_start=at)
            timer.write(vals)
        self.env["aftersales.ticket.sla.segment"].create(
            [timer._segment_vals("paused" if paused else "running", at, "reopen") for timer in self]
        )
        self._plan(engine, at)

    def _switch_target(self, targets, at, engine):
        """Apply new targets {timer id: (target, calendar)}, keeping the used working time."""
        worked = self._close_segments(at, engine)
        segments = []
        for timer in self:
            target, calendar = targets[timer.id]
            vals = {
                "target_id": target.id,
                "policy_id": target.policy_id.id,
                "name": timer._name_for(target),
                "calendar_id": calendar.id,
                "target_seconds": target._get_seconds(),
                "allowed_seconds": target._get_seconds(),
            }
            if timer.clock_start:
                vals.update(
                    used_seconds=timer.used_seconds + worked.get(timer.id, 0), clock_start=at
                )
            elif timer.paused_since:
                vals.update(
                    paused_seconds=timer.paused_seconds + worked.get(timer.id, 0), paused_since=at
                )
            timer.write(vals)
            segments.append(
                timer._segment_vals("running" if timer.clock_start else "paused", at, "rematch")
            )
        self.env["aftersales.ticket.sla.segment"].create(segments)
        self._plan(engine, at)

    def _key(self):
        self.ensure_one()
        return ("stage", self.stage_id.id) if self.kind == "stage" else self.kind

    def _format_deadline(self):
        """The deadline in the timezone of the working hours (else the user's)."""
        self.ensure_one()
        if not self.deadline:
            return "-"
        tz = self.calendar_id.tz or self.env.user.tz or "UTC"
        return format_datetime(self.env, self.deadline, tz=tz, dt_format="short")

    @api.model
    def _name_for(self, target):
        return f"{target._label()} ({target.policy_id.name})"

    @api.depends("name", "kind", "stage_id.name", "policy_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # `name` keeps the promise as it was made, in the language of whoever made it (an
        # API client, the mail gateway...); the promise is shown in the reader's language
        # while its policy exists, as it was named otherwise. The policy's name is read as
        # the stored name shows it: to whoever reads the timer (a customer reads no policy)
        for timer, made in zip(self, self.sudo(), strict=True):
            if made.policy_id and made.kind:
                label = promise_label(self.env, made.kind, made.stage_id)
                timer.display_name = f"{label} ({made.policy_id.name})"
            else:
                timer.display_name = made.name

    # ------------------------------------------------------------ customer-caused delay

    def action_request_exemption(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer-caused Delay"),
            "res_model": "aftersales.sla.exemption",
            "view_mode": "form",
            "target": "new",
            "context": {"default_timer_id": self.id},
        }

    def _request_exemption(self, reason):
        """An engineer says the customer caused the delay; a manager decides."""
        if not (reason or "").strip():
            raise UserError(self.env._("Explain how the customer caused the delay."))
        self.ticket_id.check_access("write")
        for timer in self:
            if timer.exemption_state in ("requested", "approved"):
                raise UserError(
                    self.env._(
                        "The delay of %(promise)s is already marked as customer-caused.",
                        promise=timer.display_name,
                    )
                )
        self.sudo().write(
            {
                "exemption_state": "requested",
                "exemption_reason": reason,
                "exemption_user_id": self.env.uid,
                "exemption_approver_id": False,
            }
        )
        for timer in self:
            leader = timer.ticket_id.team_id.leader_id
            body = self.env._(
                "The delay of %(promise)s is reported as caused by the customer: %(reason)s. "
                "A manager must approve it.",
                promise=timer.display_name,
                reason=reason,
            )
            if leader:
                timer.ticket_id.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Approve a customer-caused delay"),
                    note=body,
                    user_id=leader.id,
                )
            timer.ticket_id.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _check_manager(self):
        if not self.env.user.has_group("aftersales_service.group_aftersales_manager"):
            raise UserError(self.env._("Only an after-sales manager can decide on this."))

    def action_approve_exemption(self):
        self._check_manager()
        todo = self.filtered(lambda t: t.exemption_state == "requested")
        todo.write({"exemption_state": "approved", "exemption_approver_id": self.env.uid})
        pending = todo.compensation_ids.filtered(lambda c: c.state in ("proposed", "approved"))
        pending.write({"state": "cancelled"})
        for timer in todo:
            timer.ticket_id.message_post(
                body=self.env._(
                    "The delay of %(promise)s is approved as customer-caused: no compensation.",
                    promise=timer.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_refuse_exemption(self):
        self._check_manager()
        todo = self.filtered(lambda t: t.exemption_state == "requested")
        todo.write({"exemption_state": "refused", "exemption_approver_id": self.env.uid})
        todo.filtered("is_breached")._on_breach()
        return True
