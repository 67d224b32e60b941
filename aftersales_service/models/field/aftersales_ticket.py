from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, plaintext2html

from .aftersales_visit_event import FLAGS

# the roles of the stages a visit of the day can be in
OPEN_ROLES_BEFORE_WORK = ("new", "dispatched")


class AftersalesTicket(models.Model):
    """现场服务: the engineer's day on a phone. Check-in and check-out with the phone's
    location (the check-in is the ticket's arrival, the SLA's on-site promise stops on it),
    the work time and its labour cost, site photos, parts issued from the engineer's van and
    the old parts due back."""

    _inherit = "aftersales.ticket"

    visit_event_ids = fields.One2many(
        "aftersales.visit.event",
        "ticket_id",
        string="Check-ins",
        readonly=True,
        copy=False,
        groups="aftersales_service.group_aftersales_user",
    )
    photo_ids = fields.One2many(
        "aftersales.ticket.photo",
        "ticket_id",
        string="Site Photos",
        groups="aftersales_service.group_aftersales_user",
    )
    field_work_minutes = fields.Integer(
        string="Work Time (min)",
        readonly=True,
        copy=False,
        help="Minutes on site from the check-in to the check-out, less the pauses.",
    )
    field_checkin_flag = fields.Selection(
        FLAGS,
        string="Check-in Flag",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The check-in was far from the customer's address or had no location: the team "
        "leader looks at the engineer's reason.",
        groups="aftersales_service.group_aftersales_user",
    )
    field_checkin_distance = fields.Float(
        string="Check-in Distance (m)",
        digits=(12, 0),
        readonly=True,
        copy=False,
        groups="aftersales_service.group_aftersales_user",
    )
    field_checkin_reason = fields.Text(
        string="Check-in Reason",
        readonly=True,
        copy=False,
        groups="aftersales_service.group_aftersales_user",
    )
    field_state = fields.Selection(
        [
            ("planned", "Not Started"),
            ("on_site", "On Site"),
            ("paused", "Paused"),
            ("done", "Checked Out"),
        ],
        string="Visit",
        compute="_compute_field_state",
        groups="aftersales_service.group_aftersales_user",
    )

    @api.depends("visit_event_ids.kind", "visit_event_ids.event_date")
    def _compute_field_state(self):
        states = {"checkin": "on_site", "resume": "on_site", "pause": "paused", "checkout": "done"}
        for ticket in self:
            last = ticket.visit_event_ids.sorted(lambda e: (e.event_date, e.id))[-1:]
            ticket.field_state = states.get(last.kind, "planned")

    def _aftersales_system_fields(self):
        return super()._aftersales_system_fields() | {
            "field_work_minutes",
            "field_checkin_flag",
            "field_checkin_distance",
            "field_checkin_reason",
        }

    # ------------------------------------------------------------ the day

    @api.model
    def _field_visits_domain(self, user=None, day_end=None):
        """Open tickets of the engineer planned up to the end of today (the overdue ones
        too), or on site now."""
        user = user or self.env.user
        return [
            ("user_id", "=", user.id),
            ("is_closed", "=", False),
            "|",
            ("planned_visit_date", "<", day_end),
            ("arrival_date", "!=", False),
        ]

    @api.model
    def _field_day_bounds(self, tz_name):
        """The start and end of the engineer's today (in their timezone), in UTC."""
        tz = pytz.timezone(tz_name or "UTC")
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
        start = tz.localize(datetime.combine(today, time.min)).astimezone(pytz.utc)
        return start.replace(tzinfo=None), start.replace(tzinfo=None) + timedelta(days=1)

    @api.model
    def _field_visits(self, user=None):
        user = user or self.env.user
        day_end = self._field_day_bounds(user.tz)[1]
        visits = self.search(self._field_visits_domain(user, day_end))
        return visits.sorted(lambda t: (not t.planned_visit_date, t.planned_visit_date or 0, t.id))

    def _field_check_engineer(self):
        """The current user works this visit: its engineer, its team leader or a manager."""
        self.check_access("write")
        user = self.env.user
        manager = user.has_group("aftersales_service.group_aftersales_manager")
        for ticket in self:
            if not manager and user not in (ticket.user_id | ticket.team_id.leader_id):
                raise AccessError(
                    self.env._(
                        "Ticket %(ticket)s is the visit of %(engineer)s: only they, their team "
                        "leader or an after-sales manager record it.",
                        ticket=ticket.display_name,
                        engineer=ticket.user_id.name or "-",
                    )
                )
            if ticket.is_closed:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is closed: reopen it to record more work.",
                        ticket=ticket.display_name,
                    )
                )

    # ------------------------------------------------------------ check-in and check-out

    def _field_record_event(self, kind, when, location=None, reason=None):
        """Record a check-in, pause, resume or check-out at `when` (the phone's time) with
        `location` {latitude, longitude, accuracy} (None: the phone gave none)."""
        self.ensure_one()
        self._field_check_engineer()
        location = location or {}
        Event = self.env["aftersales.visit.event"].sudo()
        vals = Event._prepare_location_vals(
            self,
            kind,
            location.get("latitude"),
            location.get("longitude"),
            location.get("accuracy"),
        )
        if vals["flag"] and not (reason or "").strip():
            raise UserError(self._field_flag_message(vals))
        event = Event.create(
            dict(
                vals,
                ticket_id=self.id,
                user_id=self.env.user.id,
                kind=kind,
                event_date=when,
                reason=(reason or "").strip()[:2000] or False,
            )
        )
        self._field_sync_times()
        if kind == "checkin":
            self._set_stage_role("in_progress", from_roles=OPEN_ROLES_BEFORE_WORK)
            if event.flag:
                self._field_notify_leader(event)
        return event

    def _field_flag_message(self, vals):
        if vals["flag"] == "no_location":
            return self.env._(
                "The phone gave no location: say why (e.g. no GPS inside the plant hall) to "
                "check in."
            )
        return self.env._(
            "You are %(distance)s m from the customer's address (more than %(radius)s m): "
            "say why to check in.",
            distance=round(vals["distance"]),
            radius=self.company_id.aftersales_checkin_radius,
        )

    def _field_notify_leader(self, event):
        leader = self.team_id.leader_id
        if leader:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=leader.id,
                summary=self.env._("Check-in to verify"),
                note=plaintext2html(
                    self.env._(
                        "%(engineer)s checked in on %(ticket)s: %(flag)s. Reason: %(reason)s",
                        engineer=event.user_id.name,
                        ticket=self.display_name,
                        flag=dict(FLAGS)[event.flag],
                        reason=event.reason or "-",
                    )
                ),
            )

    def _field_sync_times(self):
        """Arrival, work start and end, work time and labour cost from the visit events, in
        the order they happened on the phone (not the order they reached the server)."""
        for ticket in self:
            events = ticket.visit_event_ids.sorted(lambda e: (e.event_date, e.id))
            checkins = events.filtered(lambda e: e.kind == "checkin")
            first = checkins[:1]
            minutes, running_since = 0.0, None
            for event in events:
                if event.kind in ("checkin", "resume") and running_since is None:
                    running_since = event.event_date
                elif event.kind in ("pause", "checkout") and running_since is not None:
                    minutes += (event.event_date - running_since).total_seconds() / 60
                    running_since = None
            last = events[-1:]
            vals = {
                "arrival_date": first.event_date or ticket.arrival_date,
                "work_start_date": first.event_date or ticket.work_start_date,
                "work_end_date": last.event_date if last.kind == "checkout" else False,
                "field_work_minutes": round(minutes),
                "field_checkin_flag": first.flag,
                "field_checkin_distance": first.distance,
                "field_checkin_reason": first.reason,
            }
            engineer = (last.user_id or ticket.user_id).sudo()
            if vals["work_end_date"] and engineer.aftersales_hourly_cost:
                vals["cost_labour"] = engineer.aftersales_hourly_cost * minutes / 60
            ticket._aftersales_system().write(vals)

    # ------------------------------------------------------------ photos

    def _field_add_photo(self, kind, data, when, note=None):
        self.ensure_one()
        self._field_check_engineer()
        if kind not in ("before", "after"):
            raise UserError(self.env._("A site photo is taken before or after the work."))
        return (
            self.env["aftersales.ticket.photo"]
            .sudo()
            .create(
                {
                    "ticket_id": self.id,
                    "kind": kind,
                    "image": data,
                    "taken_on": when,
                    "note": (note or "").strip()[:200] or False,
                    "user_id": self.env.user.id,
                }
            )
        )

    # ------------------------------------------------------------ parts from the van

    def _field_issue_from_van(self, product, quantity, when):
        """Issue `quantity` of `product` from the engineer's van to the ticket: a part line
        from the van and its done stock move (van → customer). Refused when the van holds
        less."""
        self.ensure_one()
        self._field_check_engineer()
        van = self.env.user._aftersales_van(self.company_id)
        if not van:
            raise UserError(
                self.env._(
                    "You have no van stock: ask your team leader to create your van (After-Sales › "
                    "Configuration › Service Teams › Create Vans)."
                )
            )
        uom = product.uom_id
        if uom.compare(quantity, 0) <= 0:
            raise UserError(self.env._("Enter a quantity of more than zero."))
        ticket = self.sudo()
        Quant = self.env["stock.quant"].sudo()
        Quant._aftersales_lock_for_reservation(product, van)
        available = Quant._get_available_quantity(product, van)
        if uom.compare(available, quantity) < 0:
            raise UserError(
                self.env._(
                    "Your van holds %(available)s %(uom)s of %(product)s, not %(quantity)s: "
                    "issue what is there, or ask for a replenishment.",
                    available=available,
                    uom=uom.name,
                    product=product.display_name,
                    quantity=quantity,
                )
            )
        line = (
            self.env["aftersales.part.line"]
            .sudo()
            .create(
                {
                    "ticket_id": ticket.id,
                    "product_id": product.id,
                    "product_uom_qty": quantity,
                    "source": "van",
                }
            )
        )
        picking = ticket._field_van_picking(van, line, when)
        moves = picking.move_ids.with_context(aftersales_skip_parts_sync=True)
        moves._action_confirm()
        moves._action_assign()
        if any(uom.compare(m.quantity, m.product_uom_qty) < 0 for m in moves):
            raise UserError(
                self.env._(
                    "%(product)s in your van is reserved for another transfer: ask the "
                    "warehouse.",
                    product=product.display_name,
                )
            )
        moves.picked = True
        picking.with_context(aftersales_skip_parts_sync=True)._action_done()
        picking.date_done = when
        line._field_old_parts_due(self.env.user)
        return line

    def _field_van_picking(self, van, line, when):
        warehouse = self._parts_warehouse()
        vals = self.env["stock.picking"]._aftersales_prepare_vals(
            self,
            "van_issue",
            warehouse.aftersales_parts_type_id,
            van,
            self._parts_customer_location(),
            self.partner_id,
            scheduled_date=when,
        )
        move = self.env["stock.move"]._aftersales_prepare_part_vals(
            line, "issue", line.product_uom_qty, vals
        )
        return (
            self.env["stock.picking"]
            .sudo()
            .with_company(self.company_id)
            .create(dict(vals, move_ids=[fields.Command.create(move)]))
        )

    def _on_closed(self):
        res = super()._on_closed()
        # every part replaced under warranty owes its old part (the van's were done on issue)
        self.sudo().part_line_ids.filtered(
            lambda line: line.state == "consumed"
        )._field_old_parts_due(None)
        return res

    # ------------------------------------------------------------ signature and closing

    def _field_sign(self, name, signature, work_done=None):
        self.ensure_one()
        self._field_check_engineer()
        if (work_done or "").strip():
            self.work_done = plaintext2html(work_done.strip()[:20000])
        return self._sign_service_report(name, signature)

    def _field_close(self, resolution):
        """Close the visit's ticket with the engineer's resolution; the close guards apply."""
        self.ensure_one()
        self._field_check_engineer()
        resolution = (resolution or "").strip()
        vals = {}
        if resolution and resolution != html2plaintext(self.resolution or "").strip():
            vals["resolution"] = plaintext2html(resolution[:20000])
        target = self._stage_of_role("closed")[self.id] or self._stage_of_role("resolved")[self.id]
        if not target:
            raise UserError(
                self.env._(
                    "Team %(team)s has no closing stage: close ticket %(ticket)s from the desk.",
                    team=self.team_id.name or "-",
                    ticket=self.display_name,
                )
            )
        vals["stage_id"] = target.id
        self.write(vals)
        return True

    # ------------------------------------------------------------ the team leader

    @api.model
    def _field_team_visits(self, leader):
        """Today's visits of the teams `leader` leads, by engineer."""
        teams = self.env["aftersales.team"].search([("leader_id", "=", leader.id)])
        visits = defaultdict(lambda: self.browse())
        for user in teams.member_ids - leader:
            visits[user] = self._field_visits(user)
        return visits

    def _field_overdue(self):
        """Whether the visit was planned before the engineer's today and nobody came yet."""
        self.ensure_one()
        start = self._field_day_bounds(self.user_id.tz or self.env.user.tz)[0]
        return bool(
            self.planned_visit_date and self.planned_visit_date < start and not self.arrival_date
        )

    def _field_deadline(self):
        """The deadline the phone shows for the visit (the SLA addon gives its promise's)."""
        self.ensure_one()
        return self.requested_date

    def action_field_open(self):
        """The visit as the engineer's phone shows it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/aftersales/field/visit/{self.id}",
            "target": "self",
        }

    def _field_work_time_text(self):
        """The work time as the service report prints it: 2 h 30 min."""
        self.ensure_one()
        hours, minutes = divmod(self.field_work_minutes, 60)
        if not hours:
            return self.env._("%(minutes)s min", minutes=minutes)
        return self.env._("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
