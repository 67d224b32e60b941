import uuid
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, html2plaintext

from .aftersales_ticket_type import PRIORITIES


class AftersalesTicket(models.Model):
    """工单: one customer request, from intake to the signed service report."""

    _name = "aftersales.ticket"
    _description = "After-Sales Ticket"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "aftersales.smart.button.mixin",
        "aftersales.system.fields.mixin",
    ]
    _aftersales_action_xmlid = "aftersales_service.aftersales_ticket_action"
    _order = "priority desc, id desc"
    _rec_names_search = ["number", "name", "partner_id.name"]
    _mail_post_access = "read"
    _primary_email = "partner_email"

    # ------------------------------------------------------------ identity
    number = fields.Char(
        string="Ticket Number", readonly=True, copy=False, index="trigram", default="/"
    )
    name = fields.Char(string="Subject", required=True, tracking=True)
    description = fields.Html()
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    tag_ids = fields.Many2many("aftersales.ticket.tag", string="Tags")

    # ------------------------------------------------------------ customer
    partner_id = fields.Many2one("res.partner", string="Customer", tracking=True, index=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    partner_name = fields.Char(
        string="Contact Name", compute="_compute_partner_contact", store=True, readonly=False
    )
    partner_email = fields.Char(
        string="Contact Email", compute="_compute_partner_contact", store=True, readonly=False
    )
    partner_phone = fields.Char(
        string="Contact Phone", compute="_compute_partner_contact", store=True, readonly=False
    )
    customer_tier_id = fields.Many2one(
        related="commercial_partner_id.aftersales_tier_id", store=True, string="Customer Tier"
    )

    # ------------------------------------------------------------ classification
    type_id = fields.Many2one("aftersales.ticket.type", string="Ticket Type", tracking=True)
    fault_category_id = fields.Many2one("aftersales.fault.category", tracking=True, index=True)
    channel_id = fields.Many2one("aftersales.channel")
    priority = fields.Selection(
        PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
    )

    # ------------------------------------------------------------ product
    product_id = fields.Many2one("product.product", index=True, domain=[("type", "=", "consu")])
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial/Lot Number",
        index=True,
        domain="[('product_id', '=?', product_id)]",
    )
    sale_order_id = fields.Many2one("sale.order", index=True)
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        domain="[('order_id', '=', sale_order_id)]",
    )
    sale_order_ref = fields.Char(
        related="sale_order_id.name",
        string="Order Reference",
        help="The order number, shown to engineers who have no access to Sales.",
    )

    # ------------------------------------------------------------ dispatch
    team_id = fields.Many2one(
        "aftersales.team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Engineer",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
    )
    dispatched_date = fields.Datetime(readonly=True, copy=False)
    dispatch_ids = fields.One2many(
        "aftersales.ticket.dispatch", "ticket_id", string="Dispatch Records", readonly=True
    )
    stage_id = fields.Many2one(
        "aftersales.ticket.stage",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        copy=False,
        group_expand="_read_group_stage_ids",
        ondelete="restrict",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    closed_date = fields.Datetime(compute="_compute_closed_date", store=True, copy=False)

    # ------------------------------------------------------------ dates
    requested_date = fields.Datetime(
        string="Customer's Requested Date",
        help="The date by which the customer asks us to be on site (客户规定的时间).",
        copy=False,  # the customer's, for this request; a past one would fail the bounds
    )
    planned_visit_date = fields.Datetime(string="Planned Visit", tracking=True)
    planned_visit_end = fields.Datetime()
    expected_date = fields.Datetime(string="Expected Completion", tracking=True)

    # ------------------------------------------------------------ outcome
    resolution = fields.Html()
    root_cause = fields.Text(groups="aftersales_service.group_aftersales_user")

    # ------------------------------------------------------------ visit
    arrival_date = fields.Datetime(string="On-site Arrival", tracking=True, copy=False)
    work_start_date = fields.Datetime(string="Work Started", copy=False)
    work_end_date = fields.Datetime(string="Work Finished", copy=False)
    parts_summary = fields.Text(string="Parts Used", copy=False)

    _number_company_uniq = models.Constraint(
        "UNIQUE(number, company_id)", "The ticket number must be unique per company."
    )

    # ------------------------------------------------------------ computes

    @api.depends("partner_id")
    def _compute_partner_contact(self):
        for ticket in self:
            partner = ticket.partner_id
            ticket.partner_name = partner.name or ticket.partner_name
            ticket.partner_email = partner.email or ticket.partner_email
            ticket.partner_phone = partner.phone or ticket.partner_phone

    @api.depends("type_id")
    def _compute_priority(self):
        for ticket in self:
            ticket.priority = ticket.priority or ticket.type_id.default_priority or "1"

    @api.depends("type_id", "company_id")
    def _compute_team_id(self):
        for ticket in self:
            ticket.team_id = ticket.team_id or ticket.type_id.team_id or ticket._default_team()

    def _default_team(self):
        """A team of the current user in the ticket's company, else the company's first."""
        Team = self.env["aftersales.team"]
        company = self.company_id or self.env.company
        domain = [("company_id", "=", company.id)]
        return Team.search(domain + [("member_ids", "in", self.env.uid)], limit=1) or (
            Team.search(domain, limit=1)
        )

    def _team_stages(self):
        """The stages of the tickets' teams, by team id; False: the shared stages."""
        stages = {team.id: team._get_stages() for team in self.team_id}
        if not all(ticket.team_id for ticket in self):
            Stage = self.env["aftersales.ticket.stage"]
            stages[False] = Stage.browse(Stage._shared_stage_ids())
        return stages

    @api.depends("team_id")
    def _compute_stage_id(self):
        team_stages = self._team_stages()
        for ticket in self:
            stages = team_stages[ticket.team_id.id]
            if not ticket.stage_id or ticket.stage_id not in stages:
                ticket.stage_id = stages[:1]
            else:
                ticket.stage_id = ticket.stage_id

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        if team_id:
            return self.env["aftersales.team"].browse(team_id)._get_stages()
        return stages.search([("team_ids", "=", False)]) | stages

    def _stage_of_role(self, role):
        """{ticket id: the stage of `role` of the ticket's team (empty when it has none)}."""
        team_stages = self._team_stages()
        return {
            t.id: team_stages[t.team_id.id].filtered(lambda s: s.role == role)[:1] for t in self
        }

    def _set_stage_role(self, role, from_roles=None):
        """Move the tickets to their team's stage of `role`, one write per stage; tickets of
        a team without that stage stay. With `from_roles`, only the tickets in a stage of one
        of these roles move. Returns the tickets moved."""
        targets = self._stage_of_role(role)
        moves = defaultdict(list)
        for ticket in self:
            target = targets[ticket.id]
            if not target or target == ticket.stage_id:
                continue
            if from_roles is None or ticket.stage_id.role in from_roles:
                moves[target].append(ticket.id)
        moved = self.browse()
        for stage, ids in moves.items():
            self.browse(ids).write({"stage_id": stage.id})
            moved |= self.browse(ids)
        return moved

    @api.depends("stage_id.is_closed")
    def _compute_closed_date(self):
        now = fields.Datetime.now()
        for ticket in self:
            if not ticket.stage_id.is_closed:
                ticket.closed_date = False
            elif not ticket.closed_date:
                ticket.closed_date = now

    def _compute_access_url(self):
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    @api.depends("number", "name")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = (
                f"{ticket.number} {ticket.name}"
                if ticket.number and ticket.number != "/"
                else ticket.name
            )

    # ------------------------------------------------------------ constraints

    @api.constrains("stage_id", "resolution")
    def _check_close_requirements(self):
        for ticket in self.filtered("is_closed"):
            missing = ticket._missing_for_closing()
            if missing:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s cannot be closed yet. Missing: %(missing)s. "
                        "Fill it in, then move the ticket to %(stage)s again.",
                        ticket=ticket.display_name,
                        missing=", ".join(missing),
                        stage=ticket.stage_id.name,
                    )
                )

    def _missing_for_closing(self):
        self.ensure_one()
        missing = []
        if not html2plaintext(self.resolution or "").strip():
            missing.append(self.env._("a resolution"))
        return missing

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for ticket in self:
            if (
                ticket.lot_id
                and ticket.product_id
                and ticket.lot_id.product_id != ticket.product_id
            ):
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s belongs to %(lot_product)s, not to %(product)s: "
                        "choose a serial number of the ticket's product.",
                        lot=ticket.lot_id.name,
                        lot_product=ticket.lot_id.product_id.display_name,
                        product=ticket.product_id.display_name,
                    )
                )

    @api.constrains("planned_visit_date", "planned_visit_end")
    def _check_visit_dates(self):
        for ticket in self:
            if (
                ticket.planned_visit_date
                and ticket.planned_visit_end
                and ticket.planned_visit_end < ticket.planned_visit_date
            ):
                raise ValidationError(
                    self.env._(
                        "The planned visit of %(ticket)s ends before it starts: correct the "
                        "end of the visit.",
                        ticket=ticket.display_name,
                    )
                )

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id and not self.product_id:
            self.product_id = self.lot_id.product_id

    @api.onchange("sale_line_id")
    def _onchange_sale_line_id(self):
        if self.sale_line_id and not self.product_id:
            self.product_id = self.sale_line_id.product_id

    # ------------------------------------------------------------ CRUD

    def _aftersales_system_fields(self):
        # the arrival date is typed by the engineer on site today: it stays theirs (until a
        # recorded check-in replaces it, issue #14)
        return super()._aftersales_system_fields() | {
            "dispatched_date",
            "dispatch_ids",
            "closed_date",
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("partner_id") and vals.get("partner_email"):
                partner = self.env["res.partner"]._find_or_create_from_email_for_ticket(
                    vals["partner_email"], vals.get("partner_name")
                )
                vals["partner_id"] = partner.id
            if vals.get("lot_id") and not vals.get("product_id"):
                vals["product_id"] = self.env["stock.lot"].browse(vals["lot_id"]).product_id.id
            if vals.get("sale_line_id") and not vals.get("sale_order_id"):
                line = self.env["sale.order.line"].browse(vals["sale_line_id"])
                vals["sale_order_id"] = line.order_id.id
            # the portal link of the acknowledgement needs it: no write per ticket later
            vals.setdefault("access_token", str(uuid.uuid4()))
        # numbered per company (AS2026/00001)
        Sequence = self.env["ir.sequence"]
        Sequence._aftersales_number_vals(vals_list, Sequence._aftersales_ticket_sequence)
        tickets = super().create(vals_list)
        tickets._subscribe_customers()
        # the life cycle: the first stage is entered (closed already when imported closed)
        tickets._run_stage_hooks({})
        assigned = tickets.filtered("user_id")
        assigned._log_dispatch({t.id: {} for t in assigned}, method="manual")
        (tickets - assigned)._auto_assign()
        if assigned:
            assigned._on_dispatched()
        tickets._send_stage_template()
        return tickets

    def _send_stage_template(self):
        """Tell the customers their ticket was created, with their stage's mail template
        (the progress room answers: queued, rendered after the request)."""

    def _subscribe_customers(self):
        """Make each ticket's customer a follower of it (one insert per customer)."""
        subtypes = self._customer_subtype_ids()
        for partner, tickets in self.filtered("partner_id").grouped("partner_id").items():
            self.env["mail.followers"]._insert_followers(
                self._name, tickets.ids, partner.ids, subtypes={partner.id: subtypes}
            )

    def _customer_subtype_ids(self):
        """What a customer follows: the public default subtypes and the stage changes (R-3.5;
        not a default subtype: the staff following a ticket are not mailed each stage)."""
        public = self.env["mail.message.subtype"]._default_subtypes(self._name)[2]
        stage = self.env["ir.model.data"]._xmlid_to_res_id("aftersales_service.mt_ticket_stage")
        return public + [stage] if stage not in public else public

    def write(self, vals):
        # `aftersales_dispatching`: a write of the dispatch itself (no checks, no second log)
        dispatching = self.env.context.get("aftersales_dispatching")
        dispatch_change = not dispatching and {"team_id", "user_id"} & set(vals)
        before = {}
        if dispatch_change:
            before = {t.id: {"team": t.team_id, "user": t.user_id} for t in self}
            self._check_reassignment(vals)
        old_stages = {t.id: t.stage_id for t in self} if {"stage_id", "team_id"} & set(vals) else {}
        archived = self.filtered("active") if vals.get("active") is False else self.browse()
        res = super().write(vals)
        if dispatch_change:
            changed = self.filtered(
                lambda t: t.team_id != before[t.id]["team"] or t.user_id != before[t.id]["user"]
            )
            reason = self.env.context.get("aftersales_dispatch_reason")
            changed._log_dispatch(before, method="reassign" if reason else "manual", reason=reason)
            if changed:
                changed._on_dispatched()
        if "partner_id" in vals:
            self._subscribe_customers()
        if old_stages:
            self._run_stage_hooks(old_stages)
        if archived:
            archived._on_archived()
        return res

    # ------------------------------------------------------------ life cycle
    # Features override these hooks (and call super()); each is called once per batch.

    def _run_stage_hooks(self, old_stages):
        """Call the hooks of the tickets whose stage changed from `old_stages` {id: stage}."""
        no_stage = self.env["aftersales.ticket.stage"]
        entered = self.filtered(lambda t: t.stage_id != old_stages.get(t.id, no_stage))
        if not entered:
            return
        entered._on_stage_entered()
        was_closed = {t.id: old_stages.get(t.id, no_stage).is_closed for t in entered}
        closed = entered.filtered(lambda t: t.is_closed and not was_closed[t.id])
        if closed:
            closed._on_closed()
        reopened = entered.filtered(lambda t: not t.is_closed and was_closed[t.id])
        if reopened:
            reopened._on_reopened()

    def _on_stage_entered(self):
        """The tickets entered their current stage (on creation too)."""

    def _on_dispatched(self):
        """The tickets got an engineer or a team (first dispatch or reassignment): the first
        dispatch date is set and new tickets move to their team's dispatched stage."""
        if not self:
            return
        dispatching = self.with_context(aftersales_dispatching=True)
        dispatching.filtered(
            lambda t: t.user_id and not t.dispatched_date
        )._aftersales_system().write({"dispatched_date": fields.Datetime.now()})
        dispatching.filtered("user_id")._set_stage_role("dispatched", from_roles=("new",))

    def _on_closed(self):
        """The tickets entered a closing stage."""

    def _on_reopened(self):
        """The tickets left a closing stage for an open one."""

    def _on_archived(self):
        """The tickets were archived (cancelled)."""

    # hooks between features: one feature answers, another asks

    def _is_in_warranty(self):
        """Whether the warranty covers the ticket's work (the warranty feature decides)."""
        self.ensure_one()
        return False

    def _repeat_any_fault_days(self):
        """Days after a closed ticket within which a new ticket on the same serial is a
        repeat repair whatever its fault (the 三包 rule book answers; 0: same fault only)."""
        self.ensure_one()
        return 0

    def _prepare_quotation_part_lines(self):
        """Sale order line values of the parts a quotation of the ticket charges (the parts
        feature adds its lines)."""
        self.ensure_one()
        return []

    def _add_parts_used_by(self, tickets):
        """Add the spare parts `tickets` used to this ticket's part lines; the number of
        lines added (the parts feature answers; the similar tickets ask)."""
        self.ensure_one()
        return 0

    def _check_reassignment(self, vals):
        if self.env.context.get("aftersales_dispatch_reason") or self.env.su:
            return
        for ticket in self:
            new_user = vals.get("user_id", ticket.user_id.id) or False
            new_team = vals.get("team_id", ticket.team_id.id) or False
            changes = new_user != (ticket.user_id.id or False) or new_team != (
                ticket.team_id.id or False
            )
            if ticket.user_id and changes:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is already dispatched to %(engineer)s. Use the "
                        "Reassign button to change its team or engineer and give the reason.",
                        ticket=ticket.display_name,
                        engineer=ticket.user_id.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if any(ticket.is_closed for ticket in self):
            raise UserError(
                self.env._(
                    "Closed tickets are part of the service history and cannot be deleted: "
                    "archive them instead."
                )
            )

    # ------------------------------------------------------------ dispatch

    def _auto_assign(self):
        """Give an engineer to the tickets without one, by their team's method: one write per
        engineer picked, one dispatch log and one `_on_dispatched` for the batch."""
        todo = self.filtered(
            lambda t: (
                not t.user_id
                and not t.is_closed
                and t.team_id
                and t.team_id.assignment_method != "manual"
            )
        )
        dispatched = self.browse()
        for team, tickets in todo.grouped("team_id").items():
            picks = team._pick_engineers(len(tickets))
            by_user = defaultdict(list)
            for ticket, user in zip(tickets, picks, strict=True):
                if user:
                    by_user[user].append(ticket.id)
            before = {t.id: {"team": team, "user": t.user_id} for t in tickets}
            assigned = self.browse()
            for user, ids in by_user.items():
                assigned |= self.browse(ids)
                self.browse(ids).with_context(aftersales_dispatching=True).write(
                    {"user_id": user.id}
                )
            assigned._log_dispatch(before, method=team.assignment_method)
            dispatched |= assigned
        if dispatched:
            dispatched._on_dispatched()
        return dispatched

    def _log_dispatch(self, before, method, reason=False):
        """The dispatch records (派遣记录) and the new engineers' activities.

        `before`: {ticket id: {"team": team, "user": user}} before the change.
        """
        self.env["aftersales.ticket.dispatch"]._log(self, before, method, reason)

    # ------------------------------------------------------------ actions

    def action_assign(self):
        """Dispatch the selected tickets with their team's assignment method."""
        unassigned = self.filtered(lambda t: not t.user_id)
        if not unassigned:
            raise UserError(
                self.env._("These tickets already have an engineer: use Reassign instead.")
            )
        manual = unassigned.filtered(lambda t: t.team_id.assignment_method == "manual")
        if manual == unassigned:
            raise UserError(
                self.env._(
                    "The team of these tickets assigns engineers by hand: choose the engineer "
                    "on the ticket, or set an automatic assignment method on the team."
                )
            )
        unassigned._auto_assign()
        return True

    def action_reassign(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reassign Tickets"),
            "res_model": "aftersales.ticket.reassign",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def _aftersales_management(self):
        """The after-sales managers (internal, active) of the tickets' companies."""
        group = self.env.ref("aftersales_service.group_aftersales_manager")
        return group.sudo().all_user_ids.filtered(
            lambda u: u.active and not u.share and (u.company_ids & self.company_id)
        )

    def _lock_for_update(self):
        """Lock the tickets' rows until the transaction ends, for a feature about to look for
        what the tickets already have (e.g. their open parts transfer) and add to it.

        A concurrent transaction holding the lock fails at once (NOWAIT), and one that
        changed the tickets after this transaction began fails too: both are concurrency
        errors that Odoo retries. The rows are marked as changed, so that the next one sees
        this transaction's work or fails in the same way.
        """
        if not self.ids:
            return
        self.flush_recordset()
        query = """UPDATE aftersales_ticket SET write_date = write_date
                    WHERE id IN (SELECT id FROM aftersales_ticket WHERE id IN %s
                                  ORDER BY id FOR NO KEY UPDATE NOWAIT)"""
        # a concurrency error here is expected and retried, not a bad query
        self.env.cr.execute(SQL(query, tuple(self.ids)), log_exceptions=False)
