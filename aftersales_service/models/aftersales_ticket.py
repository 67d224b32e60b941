import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime, html2plaintext, plaintext2html

from .aftersales_ticket_type import PRIORITIES
from .survey_question import SCORED_DIMENSIONS

DEFAULT_REPEAT_WINDOW = 90


class AftersalesTicket(models.Model):
    """工单: one customer request, from intake to the signed service report."""

    _name = "aftersales.ticket"
    _description = "After-Sales Ticket"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "aftersales.smart.button.mixin",
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
    )
    planned_visit_date = fields.Datetime(string="Planned Visit", tracking=True)
    planned_visit_end = fields.Datetime()
    expected_date = fields.Datetime(string="Expected Completion", tracking=True)
    delay_reason = fields.Char(
        string="Reason of Delay",
        tracking=True,
        help="Shown to the customer when the expected completion moves later.",
    )

    # ------------------------------------------------------------ outcome
    resolution = fields.Html()
    root_cause = fields.Text()

    # ------------------------------------------------------------ repeat repairs
    repeat_of_id = fields.Many2one(
        "aftersales.ticket",
        compute="_compute_repeat_of_id",
        store=True,
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The earlier closed ticket on the same serial (or customer and product) with "
        "the same fault category, within the team's repeat window.",
    )
    is_repeat = fields.Boolean(
        string="Repeat Repair", compute="_compute_is_repeat", store=True, index=True
    )
    repeat_ticket_ids = fields.One2many(
        "aftersales.ticket", "repeat_of_id", string="Repeat Tickets", readonly=True
    )
    first_time_fix = fields.Boolean(
        compute="_compute_first_time_fix",
        store=True,
        help="A closed ticket that was not a repeat and whose fault did not come back "
        "within the repeat window.",
    )

    # ------------------------------------------------------------ service report
    report_required = fields.Boolean(related="type_id.report_required")
    signature_required = fields.Boolean(related="type_id.signature_required")
    arrival_date = fields.Datetime(string="On-site Arrival", tracking=True, copy=False)
    work_start_date = fields.Datetime(string="Work Started", copy=False)
    work_end_date = fields.Datetime(string="Work Finished", copy=False)
    work_done = fields.Html(copy=False)
    parts_summary = fields.Text(string="Parts Used", copy=False)
    signature = fields.Image(
        string="Customer Signature", max_width=1024, max_height=1024, copy=False, attachment=True
    )
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False)

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
            stages[False] = self.env["aftersales.ticket.stage"].search([("team_ids", "=", False)])
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

    @api.depends("stage_id.is_closed")
    def _compute_closed_date(self):
        now = fields.Datetime.now()
        for ticket in self:
            if not ticket.stage_id.is_closed:
                ticket.closed_date = False
            elif not ticket.closed_date:
                ticket.closed_date = now

    @api.depends("lot_id", "product_id", "commercial_partner_id", "fault_category_id", "company_id")
    def _compute_repeat_of_id(self):
        todo = self.filtered(
            lambda t: not t.is_closed
            and t.fault_category_id
            and (t.lot_id or (t.product_id and t.commercial_partner_id))
        )
        for ticket in self - todo:
            if not ticket.is_closed:
                ticket.repeat_of_id = False
        if not todo:
            return
        earlier = todo._find_earlier_tickets()
        for ticket in todo:
            ticket.repeat_of_id = next(
                (other for other in earlier if ticket._is_repeat_of(other)), False
            )

    def _repeat_reference_date(self):
        return self.create_date or fields.Datetime.now()

    def _repeat_window(self):
        days = self.team_id.repeat_window_days if self.team_id else DEFAULT_REPEAT_WINDOW
        return timedelta(days=days)

    def _find_earlier_tickets(self):
        """Closed tickets that may be repeated by one of `self`: one query for the batch."""
        oldest = min(t._repeat_reference_date() - t._repeat_window() for t in self)
        lots = self.lot_id
        with_product = self.filtered(lambda t: not t.lot_id)
        domain = [
            ("is_closed", "=", True),
            ("closed_date", ">=", oldest),
            ("fault_category_id", "in", self.fault_category_id.ids),
            ("company_id", "in", self.company_id.ids),
            ("id", "not in", [i for i in self.ids if isinstance(i, int)]),
        ]
        lot_domain = [("lot_id", "in", lots.ids)] if lots else []
        product_domain = (
            [
                ("product_id", "in", with_product.product_id.ids),
                ("commercial_partner_id", "in", with_product.commercial_partner_id.ids),
            ]
            if with_product
            else []
        )
        if lot_domain and product_domain:
            domain += ["|", *lot_domain, "&", *product_domain]
        else:
            domain += lot_domain or product_domain
        return self.sudo().search(domain, order="closed_date desc, id desc").sudo(False)

    def _is_repeat_of(self, other):
        if other.fault_category_id != self.fault_category_id or other.company_id != self.company_id:
            return False
        if self.lot_id:
            same_item = other.lot_id == self.lot_id
        else:
            same_item = (
                other.product_id == self.product_id
                and other.commercial_partner_id == self.commercial_partner_id
            )
        # closed within the window before this ticket was reported (or at any time since)
        return (
            same_item and other.closed_date >= self._repeat_reference_date() - self._repeat_window()
        )

    @api.depends("repeat_of_id")
    def _compute_is_repeat(self):
        for ticket in self:
            ticket.is_repeat = bool(ticket.repeat_of_id)

    @api.depends("is_closed", "is_repeat", "repeat_ticket_ids")
    def _compute_first_time_fix(self):
        for ticket in self:
            ticket.first_time_fix = (
                ticket.is_closed and not ticket.is_repeat and not ticket.repeat_ticket_ids
            )

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

    @api.constrains("stage_id", "resolution", "work_done", "signature")
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
        if self.report_required and not html2plaintext(self.work_done or "").strip():
            missing.append(self.env._("the service report (work done)"))
        if self.signature_required and not self.signature:
            missing.append(self.env._("the customer's signature on the service report"))
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
        assigned = tickets.filtered("user_id")
        assigned._log_dispatch(
            {t.id: {"team": False, "user": False} for t in assigned}, method="manual"
        )
        (tickets - assigned)._auto_assign()
        tickets._send_stage_template()
        return tickets

    def _send_stage_template(self):
        """Mail the customers the template of their ticket's stage, on creation.

        One mass mailing per template renders and sends the whole batch: the mails are
        logged on each ticket's chatter and answered into its thread.
        """
        tickets = self.filtered(lambda t: t.partner_id and t.stage_id.mail_template_id)
        for template, group in tickets.grouped(lambda t: t.stage_id.mail_template_id).items():
            group.message_mail_with_source(
                template,
                message_type="comment",
                auto_delete=False,
                auto_delete_keep_log=True,
                email_layout_xmlid="mail.mail_notification_light",
                reply_to_mode="update",
            )

    def _subscribe_customers(self):
        """Make each ticket's customer a follower of it (one insert per customer)."""
        customers = self.partner_id.filtered("partner_share").ids
        for partner, tickets in self.filtered("partner_id").grouped("partner_id").items():
            self.env["mail.followers"]._insert_followers(
                self._name, tickets.ids, partner.ids, customer_ids=customers
            )

    def write(self, vals):
        if self.env.context.get("aftersales_dispatching"):
            # internal write of the dispatch itself: no checks, no second log
            return super().write(vals)
        if "expected_date" in vals:
            self._check_delay_reason(vals)
        dispatch_change = {"team_id", "user_id"} & set(vals)
        before = {}
        if dispatch_change:
            before = {t.id: {"team": t.team_id, "user": t.user_id} for t in self}
            self._check_reassignment(vals)
        old_expected = {t.id: t.expected_date for t in self} if "expected_date" in vals else {}
        res = super().write(vals)
        if dispatch_change:
            changed = self.filtered(
                lambda t: t.team_id != before[t.id]["team"] or t.user_id != before[t.id]["user"]
            )
            reason = self.env.context.get("aftersales_dispatch_reason")
            changed._log_dispatch(before, method="reassign" if reason else "manual", reason=reason)
        if old_expected:
            self._notify_expected_date_change(old_expected)
        if "partner_id" in vals:
            self._subscribe_customers()
        return res

    def _check_delay_reason(self, vals):
        new = fields.Datetime.to_datetime(vals["expected_date"])
        reason = vals.get("delay_reason")
        for ticket in self:
            postponed = ticket.expected_date and new and new > ticket.expected_date
            if postponed and not reason:
                raise UserError(
                    self.env._(
                        "The expected completion of %(ticket)s moves later: give the reason "
                        "of the delay, the customer will see it.",
                        ticket=ticket.display_name,
                    )
                )

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

    def _notify_expected_date_change(self, old_expected):
        for ticket in self.filtered(lambda t: t.expected_date != old_expected.get(t.id)):
            old = old_expected.get(ticket.id)
            if not old or not ticket.partner_id:
                continue
            tz = ticket.partner_id.tz or self.env.user.tz or "UTC"
            lang = ticket.partner_id.lang
            body = self.with_context(lang=lang).env._(
                "The expected completion of your request %(number)s has changed from "
                "%(old)s to %(new)s. Reason: %(reason)s",
                number=ticket.number,
                old=format_datetime(ticket.with_context(lang=lang).env, old, tz=tz),
                new=format_datetime(
                    ticket.with_context(lang=lang).env, ticket.expected_date, tz=tz
                ),
                reason=ticket.delay_reason or "-",
            )
            ticket.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=ticket.partner_id.ids,
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
        """Give an engineer to the tickets without one, by their team's method."""
        todo = self.filtered(
            lambda t: not t.user_id and not t.is_closed and t.team_id.assignment_method != "manual"
        )
        for team in todo.team_id:
            tickets = todo.filtered(lambda t, team=team: t.team_id == team)
            picks = team._pick_engineers(len(tickets))
            before = {t.id: {"team": t.team_id, "user": t.user_id} for t in tickets}
            for ticket, user in zip(tickets, picks, strict=True):
                if user:
                    ticket.with_context(aftersales_dispatching=True).write({"user_id": user.id})
            tickets.filtered("user_id")._log_dispatch(before, method=team.assignment_method)

    def _log_dispatch(self, before, method, reason=False):
        """Write the dispatch records, schedule the engineers' activities, set dates."""
        if not self:
            return
        now = fields.Datetime.now()
        records, activities = [], []
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id(self._name)
        for ticket in self:
            old = before.get(ticket.id, {})
            records.append(
                {
                    "ticket_id": ticket.id,
                    "method": method,
                    "from_team_id": old.get("team") and old["team"].id,
                    "to_team_id": ticket.team_id.id,
                    "from_user_id": old.get("user") and old["user"].id,
                    "to_user_id": ticket.user_id.id,
                    "reason": reason,
                    "date": now,
                }
            )
            new_engineer = ticket.user_id and ticket.user_id != old.get("user")
            if new_engineer and not ticket.is_closed and activity_type:
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": ticket.id,
                        "activity_type_id": activity_type.id,
                        "user_id": ticket.user_id.id,
                        "summary": self.env._("Service ticket dispatched to you"),
                        "note": ticket.name,
                        "date_deadline": fields.Date.context_today(ticket),
                    }
                )
        self.env["aftersales.ticket.dispatch"].sudo().create(records)
        if activities:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activities
            )
        self._after_dispatch(now)

    def _after_dispatch(self, now):
        first = self.filtered(lambda t: t.user_id and not t.dispatched_date)
        if first:
            first.with_context(aftersales_dispatching=True).write({"dispatched_date": now})
        assigned = self.filtered("user_id")
        team_stages = assigned._team_stages()
        for ticket in assigned:
            stages = team_stages[ticket.team_id.id] if ticket.team_id else ticket.stage_id
            target = stages.filtered("is_dispatch_stage")[:1]
            if target and ticket.stage_id == stages[:1] and target != ticket.stage_id:
                ticket.with_context(aftersales_dispatching=True).write({"stage_id": target.id})

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

    def action_open_repeat_of(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.repeat_of_id.id,
            "view_mode": "form",
        }

    def action_print_report(self):
        return self.env.ref("aftersales_service.action_report_service_ticket").report_action(self)

    # ------------------------------------------------------------ service report signature

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Service Report %(number)s", number=self.number)

    def _has_to_be_signed(self):
        """The customer may sign: the type asks for it, the report is written, not signed yet."""
        self.ensure_one()
        return bool(
            self.signature_required
            and not self.signature
            and not self.is_closed
            and html2plaintext(self.work_done or "").strip()
        )

    def _sign_service_report(self, name, signature, author=None):
        """Store the customer's signature of the service report and log it in the chatter."""
        self.ensure_one()
        name = (name or "").strip()
        if not self._has_to_be_signed():
            raise UserError(
                self.env._(
                    "The service report of %(ticket)s cannot be signed: it is already signed, "
                    "not written yet, or its type needs no signature.",
                    ticket=self.display_name,
                )
            )
        if not name or not signature:
            raise UserError(self.env._("Give your name and draw your signature to sign."))
        self.write({"signature": signature, "signed_by": name, "signed_on": fields.Datetime.now()})
        self.message_post(
            body=self.env._("Service report signed by %(name)s.", name=name),
            author_id=(author or self.env.user.partner_id).id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    # ------------------------------------------------------------ mail

    def _track_template(self, changes):
        res = super()._track_template(changes)
        ticket = self[0]
        template = ticket.stage_id.mail_template_id
        if "stage_id" in changes and template and ticket.partner_id:
            res["stage_id"] = (
                template,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _notify_by_email_prepare_rendering_context(self, message, msg_vals=False, **kwargs):
        # the acknowledgements are sent in mass-mail mode, whose message has no record name yet:
        # the mail's header names the ticket all the same
        context = super()._notify_by_email_prepare_rendering_context(
            message, msg_vals=msg_vals, **kwargs
        )
        if not context.get("record_name") and len(self) == 1:
            context["record_name"] = context["record"].display_name
            context["subtitles"] = [context["record_name"]]
        return context

    def _track_subtype(self, initial_values):
        self.ensure_one()
        if "stage_id" in initial_values:
            return self.env.ref("aftersales_service.mt_ticket_stage")
        return super()._track_subtype(initial_values)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to a team's alias: a new ticket from the sender, channel email.

        The sender is the contact with the same address (case-insensitive) or a new contact
        named after the From display name; it becomes the author of the first message.
        Team and company come from the alias defaults (`custom_values`).
        """
        values = dict(custom_values or {})
        partner = self._mail_intake_partner(msg_dict)
        if partner and not msg_dict.get("author_id"):
            # the gateway posts the mail right after: show the new contact as its author
            msg_dict["author_id"] = partner.id
        channel = self.env["aftersales.channel"]._get_by_code("email")
        values.setdefault("name", msg_dict.get("subject") or self.env._("(no subject)"))
        values.setdefault("partner_id", partner.id)
        values.setdefault("channel_id", channel.id)
        values.setdefault("description", msg_dict.get("body"))
        # the contact fields are computed from the partner; the raw From only when unknown
        parse_dict = dict(msg_dict, email_from=False) if partner else msg_dict
        ticket = super().message_new(parse_dict, custom_values=values)
        ticket._subscribe_cc(msg_dict.get("cc"))
        return ticket

    @api.model
    def _mail_intake_partner(self, msg_dict):
        if msg_dict.get("author_id"):
            return self.env["res.partner"].browse(msg_dict["author_id"])
        return self.env["res.partner"]._find_or_create_from_email_for_ticket(
            msg_dict.get("email_from") or ""
        )

    def message_update(self, msg_dict, update_vals=None):
        res = super().message_update(msg_dict, update_vals=update_vals)
        self._subscribe_cc(msg_dict.get("cc"))
        return res

    def _subscribe_cc(self, cc):
        """Addresses in CC follow the ticket: matched to contacts, created when unknown.

        Mail aliases (the team's own address in a reply-all) never become contacts, and
        internal users are not subscribed by a customer's mail.
        """
        emails = list(self._mail_cc_sanitized_raw_dict(cc).values())
        if not emails:
            return
        for ticket in self:
            partners = ticket._partner_find_from_emails_single(emails, no_create=False)
            partners = partners.filtered(lambda p: not p.user_ids or p.partner_share)
            if partners:
                ticket.message_subscribe(partner_ids=partners.ids)

    # ---- warranty and coverage (三包)
    # Fields, computes and actions of the warranty work on a ticket (issue 4); the logic
    # on stock and accounting documents lives in aftersales.warranty.

    warranty_id = fields.Many2one(
        "aftersales.warranty",
        compute="_compute_warranty_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        domain="[('commercial_partner_id', '=?', commercial_partner_id)]",
        help="Found from the serial number, else the order line, else the customer's most "
        "recent active warranty on the product.",
    )
    warranty_state = fields.Selection(related="warranty_id.state", string="Warranty Status")
    warranty_end_date = fields.Date(related="warranty_id.end_date", string="Warranty End")
    warranty_claim_date = fields.Date(
        string="Claim Date",
        compute="_compute_warranty_claim_date",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        help="The day the customer reported the problem, in the customer's time zone: the "
        "三包 windows are checked against it.",
    )
    coverage = fields.Selection(
        [
            ("refund", "Refund window open"),
            ("exchange", "Exchange window open"),
            ("repair", "In repair warranty"),
            ("out", "Out of warranty"),
            ("excluded", "Excluded (misuse)"),
        ],
        string="Coverage Decision",
        compute="_compute_coverage",
        store=True,
        index=True,
        tracking=True,
    )
    warranty_excluded = fields.Boolean(
        string="Excluded from Warranty", readonly=True, copy=False, tracking=True
    )
    warranty_exclusion_reason = fields.Text(
        string="Exclusion Reason",
        copy=False,
        tracking=True,
        help="Why the warranty does not apply (misuse, 人为损坏): the customer is told.",
    )
    coverage_parts = fields.Boolean(string="Parts Covered", compute="_compute_coverage_items")
    coverage_labour = fields.Boolean(string="Labour Covered", compute="_compute_coverage_items")
    coverage_travel = fields.Boolean(string="Travel Covered", compute="_compute_coverage_items")
    coverage_action = fields.Selection(
        [("exchange", "Exchange"), ("refund", "Refund"), ("repair", "Free repair")],
        string="三包 Action",
        readonly=True,
        copy=False,
        tracking=True,
    )
    warranty_picking_ids = fields.One2many(
        "stock.picking", "aftersales_warranty_ticket_id", string="三包 Transfers", readonly=True
    )
    warranty_picking_count = fields.Integer(compute="_compute_warranty_picking_count")
    warranty_credit_note_id = fields.Many2one(
        "account.move", string="Credit Note", readonly=True, copy=False
    )
    quotation_id = fields.Many2one("sale.order", readonly=True, copy=False, index="btree_not_null")
    quotation_state = fields.Selection(related="quotation_id.state", string="Quotation Status")
    quotation_ref = fields.Char(related="quotation_id.name", string="Quotation Reference")
    can_warranty_exchange = fields.Boolean(compute="_compute_can_warranty_actions")
    can_warranty_refund = fields.Boolean(compute="_compute_can_warranty_actions")
    can_warranty_repair = fields.Boolean(compute="_compute_can_warranty_actions")
    can_create_quotation = fields.Boolean(compute="_compute_can_warranty_actions")

    @api.depends("lot_id", "sale_line_id", "product_id", "commercial_partner_id", "company_id")
    def _compute_warranty_id(self):
        found = self.env["aftersales.warranty"]._find_for_tickets(self)
        for ticket in self:
            ticket.warranty_id = found.get(ticket.id) or False

    @api.depends("partner_id", "company_id")
    def _compute_warranty_claim_date(self):
        Warranty = self.env["aftersales.warranty"]
        for ticket in self:
            if not ticket.warranty_claim_date:
                ticket.warranty_claim_date = Warranty._customer_today_for(
                    ticket.partner_id, ticket.company_id or self.env.company
                )

    @api.depends(
        "warranty_id.state",
        "warranty_id.refund_end_date",
        "warranty_id.exchange_end_date",
        "warranty_id.end_date",
        "warranty_claim_date",
        "warranty_excluded",
        "product_id",
    )
    def _compute_coverage(self):
        for ticket in self:
            if ticket.warranty_excluded:
                ticket.coverage = "excluded"
            elif ticket.warranty_id:
                ticket.coverage = ticket.warranty_id._get_window(ticket.warranty_claim_date)
            else:
                ticket.coverage = "out" if ticket.product_id else False

    @api.depends("coverage", "warranty_id.policy_id")
    def _compute_coverage_items(self):
        for ticket in self:
            policy = ticket.warranty_id.policy_id
            covered = ticket._is_in_warranty()
            ticket.coverage_parts = covered and policy.cover_parts
            ticket.coverage_labour = covered and policy.cover_labour
            ticket.coverage_travel = covered and policy.cover_travel

    def _compute_warranty_picking_count(self):
        for ticket in self:
            ticket.warranty_picking_count = len(ticket.sudo().warranty_picking_ids)

    @api.depends(
        "coverage", "coverage_action", "is_closed", "quotation_id.state", "warranty_id.picking_id"
    )
    def _compute_can_warranty_actions(self):
        for ticket in self:
            open_decision = not ticket.is_closed and not ticket.coverage_action
            delivered = bool(ticket.warranty_id.sudo().picking_id)
            coverage = ticket.coverage
            ticket.can_warranty_exchange = (
                open_decision and delivered and coverage in ("refund", "exchange")
            )
            ticket.can_warranty_refund = open_decision and delivered and coverage == "refund"
            ticket.can_warranty_repair = open_decision and ticket._is_in_warranty()
            partial = ticket._is_in_warranty() and not (
                ticket.coverage_parts and ticket.coverage_labour and ticket.coverage_travel
            )
            pending = ticket.quotation_id and ticket.quotation_id.sudo().state != "cancel"
            ticket.can_create_quotation = (
                not ticket.is_closed
                and not pending
                and ticket.coverage_action not in ("exchange", "refund")
                and (coverage in ("out", "excluded") or partial)
            )

    def _is_in_warranty(self):
        self.ensure_one()
        return self.coverage in ("refund", "exchange", "repair")

    @api.constrains("warranty_excluded", "warranty_exclusion_reason")
    def _check_exclusion_reason(self):
        for ticket in self:
            if ticket.warranty_excluded and not (ticket.warranty_exclusion_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s is excluded from the warranty without a reason: "
                        "write the reason, the customer will see it.",
                        ticket=ticket.display_name,
                    )
                )

    @api.onchange("warranty_id")
    def _onchange_warranty_id(self):
        warranty = self.warranty_id
        if not warranty:
            return
        if not self.partner_id:
            self.partner_id = warranty.partner_id
        if not self.product_id:
            self.product_id = warranty.product_id
        if not self.lot_id and warranty.lot_id:
            self.lot_id = warranty.lot_id
        if not self.sale_line_id and warranty.sale_line_id:
            self.sale_order_id = warranty.sale_order_id
            self.sale_line_id = warranty.sale_line_id

    def _check_warranty_action(self, allowed, action):
        self.ensure_one()
        if not allowed:
            decision = dict(self._fields["coverage"]._description_selection(self.env)).get(
                self.coverage, self.env._("none")
            )
            raise UserError(
                self.env._(
                    "%(action)s is not possible on ticket %(ticket)s: the coverage decision "
                    "is '%(decision)s'%(taken)s.",
                    action=action,
                    ticket=self.display_name,
                    decision=decision,
                    taken=(
                        self.env._(" and a 三包 action was already taken")
                        if self.coverage_action
                        else ""
                    ),
                )
            )
        self.check_access("write")

    def _notify_customer(self, body):
        if self.partner_id:
            self.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.partner_id.ids,
            )
        else:
            self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def action_warranty_exchange(self):
        """三包 exchange: a return of the faulty unit and a replacement delivery."""
        self.ensure_one()
        self._check_warranty_action(self.can_warranty_exchange, self.env._("An exchange"))
        warranty = self.warranty_id.sudo()
        ticket = self.sudo()
        returned = warranty._create_customer_return(ticket, "exchange_return", to_refund=False)
        replacement = warranty._create_replacement_delivery(ticket)
        self.coverage_action = "exchange"
        self.message_post(
            body=self.env._(
                "三包 exchange: return %(return)s and replacement delivery %(delivery)s created.",
                **{"return": returned.name, "delivery": replacement.name},
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._notify_customer(
            self.env._(
                "Your %(product)s will be exchanged under the 三包 policy: we collect the faulty "
                "unit and deliver a new one.",
                product=warranty.product_id.display_name,
            )
        )
        return True

    def action_warranty_refund(self):
        """三包 refund: a return of the unit and a draft credit note if it was invoiced."""
        self.ensure_one()
        self._check_warranty_action(self.can_warranty_refund, self.env._("A refund"))
        warranty = self.warranty_id.sudo()
        ticket = self.sudo()
        returned = warranty._create_customer_return(ticket, "refund_return", to_refund=True)
        credit_note = warranty._create_refund_credit_note(ticket)
        self.write({"coverage_action": "refund", "warranty_credit_note_id": credit_note.id})
        self.message_post(
            body=(
                self.env._(
                    "三包 refund: return %(return)s and draft credit note %(credit)s created.",
                    **{"return": returned.name, "credit": credit_note.display_name},
                )
                if credit_note
                else self.env._(
                    "三包 refund: return %(return)s created. The order was not invoiced: no "
                    "credit note is needed.",
                    **{"return": returned.name},
                )
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._notify_customer(
            self.env._(
                "Your %(product)s will be refunded under the 三包 policy: we collect it and "
                "refund the amount you paid.",
                product=warranty.product_id.display_name,
            )
        )
        return True

    def action_warranty_repair(self):
        """三包 repair: the ticket goes on as a free repair."""
        self.ensure_one()
        self._check_warranty_action(self.can_warranty_repair, self.env._("A free repair"))
        self.coverage_action = "repair"
        covered = [
            label
            for flag, label in (
                (self.coverage_parts, self.env._("parts")),
                (self.coverage_labour, self.env._("labour")),
                (self.coverage_travel, self.env._("travel")),
            )
            if flag
        ]
        self._notify_customer(
            self.env._(
                "Your request is repaired free of charge under warranty %(warranty)s "
                "(covered: %(covered)s).",
                warranty=self.warranty_id.number,
                covered=", ".join(covered) or "-",
            )
        )
        return True

    def action_exclude_from_warranty(self):
        """Record misuse (人为损坏): the warranty does not apply; the customer is told why."""
        for ticket in self:
            reason = (ticket.warranty_exclusion_reason or "").strip()
            if not reason:
                raise UserError(
                    self.env._(
                        "Write the exclusion reason of ticket %(ticket)s first (what was "
                        "found, why it is not covered): the customer will read it.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.coverage_action in ("exchange", "refund"):
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s was already exchanged or refunded under the "
                        "warranty: it cannot be excluded any more.",
                        ticket=ticket.display_name,
                    )
                )
            ticket.write({"warranty_excluded": True, "coverage_action": False})
            ticket._notify_customer(
                self.env._(
                    "Your request is not covered by the warranty. Reason: %(reason)s",
                    reason=reason,
                )
            )
        return True

    def action_cancel_warranty_exclusion(self):
        self.write({"warranty_excluded": False})
        for ticket in self:
            ticket.message_post(
                body=self.env._("The warranty exclusion was withdrawn."),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_create_quotation(self):
        """保修期外报价: a quotation for the customer, and the ticket waits for it."""
        self.ensure_one()
        if not self.can_create_quotation:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s needs no quotation: it is covered by the warranty, "
                    "closed, or already has an open quotation.",
                    ticket=self.display_name,
                )
            )
        self.check_access("write")
        order = (
            self.env["sale.order"]
            .sudo()
            .with_company(self.company_id)
            .create(self._prepare_quotation_vals())
        )
        self.quotation_id = order
        self._set_stage_by_xmlid("aftersales_service.stage_waiting_quotation")
        self.message_post(
            body=self.env._("Quotation %(order)s created.", order=order.name),
            subtype_xmlid="mail.mt_note",
        )
        if self.env.user.has_group("sales_team.group_sale_salesman"):
            return self.action_view_quotation()
        return True

    def action_view_quotation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.quotation_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_warranty_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("aftersales_warranty_ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _prepare_quotation_vals(self):
        self.ensure_one()
        lines = self._prepare_quotation_lines()
        if not lines:
            raise UserError(
                self.env._(
                    "There is nothing to quote on ticket %(ticket)s: set the labour and travel "
                    "service products on the team %(team)s or in the After-Sales settings.",
                    ticket=self.display_name,
                    team=self.team_id.display_name or "-",
                )
            )
        partner = self.partner_id or self.warranty_id.partner_id
        if not partner:
            raise UserError(
                self.env._("Set the customer of ticket %(ticket)s first.", ticket=self.display_name)
            )
        return {
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "origin": self.number,
            "aftersales_quoted_ticket_id": self.id,
            "order_line": [fields.Command.create(vals) for vals in lines],
        }

    def _prepare_quotation_lines(self):
        """Lines of the out-of-warranty quotation: parts, labour, travel (零配件、人员出差).

        Items the warranty covers (partial coverage) are priced at zero, with a note.
        """
        self.ensure_one()
        covered = {
            "parts": self.coverage_parts,
            "labour": self.coverage_labour,
            "travel": self.coverage_travel,
        }
        lines = []
        for vals in self._prepare_quotation_part_lines():
            lines.append(self._quotation_line_covered(vals) if covered["parts"] else vals)
        labour, travel = self._get_quotation_service_products()
        for kind, product in (("labour", labour), ("travel", travel)):
            if not product:
                continue
            vals = {"product_id": product.id, "product_uom_qty": 1.0}
            lines.append(self._quotation_line_covered(vals) if covered[kind] else vals)
        if lines and any(covered.values()):
            items = [
                label
                for kind, label in (
                    ("parts", self.env._("parts")),
                    ("labour", self.env._("labour")),
                    ("travel", self.env._("travel")),
                )
                if covered[kind]
            ]
            lines.append(
                {
                    "display_type": "line_note",
                    "name": self.env._(
                        "Covered by warranty %(warranty)s (until %(end)s): %(items)s. These "
                        "lines are priced at zero.",
                        warranty=self.warranty_id.number,
                        end=self.warranty_id.end_date,
                        items=", ".join(items),
                    ),
                }
            )
        return lines

    def _quotation_line_covered(self, vals):
        return dict(vals, price_unit=0.0, discount=0.0)

    def _prepare_quotation_part_lines(self):
        """Sale order line values of the parts to quote.

        The spare parts lines not covered by the warranty, at their sale price.
        """
        self.ensure_one()
        return self.part_line_ids._prepare_quotation_line_vals()

    def _get_quotation_service_products(self):
        """(labour product, travel product): the team's, else the company's."""
        self.ensure_one()
        company = self.company_id
        labour = self.team_id.labour_product_id or company.aftersales_labour_product_id
        travel = self.team_id.travel_product_id or company.aftersales_travel_product_id
        return labour, travel

    def _set_stage_by_xmlid(self, xmlid):
        """Move to the stage `xmlid` when the ticket's team uses it."""
        stage = self.env.ref(xmlid, raise_if_not_found=False)
        for ticket in self:
            stages = ticket.team_id._get_stages() if ticket.team_id else stage
            if stage and stage in stages and ticket.stage_id != stage:
                ticket.stage_id = stage

    def _on_quotation_confirmed(self):
        """The customer accepted the quotation: the work goes on."""
        waiting = self.env.ref(
            "aftersales_service.stage_waiting_quotation", raise_if_not_found=False
        )
        for ticket in self:
            if ticket.stage_id == waiting:
                ticket._set_stage_by_xmlid("aftersales_service.stage_in_progress")
            ticket.message_post(
                body=self.env._(
                    "Quotation %(order)s was confirmed: the work can go on.",
                    order=ticket.quotation_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            ticket._schedule_quotation_activity(self.env._("Quotation confirmed: plan the work"))

    def _on_quotation_cancelled(self):
        """The quotation was cancelled: the people on the ticket are told."""
        for ticket in self:
            ticket.message_post(
                body=self.env._(
                    "Quotation %(order)s was cancelled: agree the next step with the customer "
                    "(close the ticket or quote again).",
                    order=ticket.quotation_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            ticket._schedule_quotation_activity(self.env._("Quotation cancelled"))

    def _schedule_quotation_activity(self, summary):
        self.ensure_one()
        user = self.user_id or self.team_id.leader_id
        if user:
            self.activity_schedule("mail.mail_activity_data_todo", summary=summary, user_id=user.id)

    # ---- satisfaction, return visits and complaints
    # 满意度调查: the SERVQUAL survey sent on closing (survey_user_input.py scores the answer);
    # 回访: the return visit planned after closing and its outcome; 投诉分级处理: graded
    # complaints with a handling deadline (aftersales_complaint_grade.py); installation and
    # training tickets from sale orders, tickets of maintenance plans
    # (aftersales_maintenance_plan.py) and the service costs of a ticket. The closing hooks run
    # from the switchable automation rules of data/aftersales_satisfaction_data.xml.

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
    survey_low_score = fields.Boolean(string="Low Satisfaction", readonly=True, copy=False)

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
    return_visit_note = fields.Text(readonly=True, copy=False)
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

    # complaints (投诉分级处理)
    is_complaint = fields.Boolean(related="type_id.is_complaint", store=True, index=True)
    complaint_grade_id = fields.Many2one(
        "aftersales.complaint.grade",
        compute="_compute_complaint_grade_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
    )
    complaint_date = fields.Datetime(
        string="Complaint Received",
        compute="_compute_complaint_date",
        store=True,
        readonly=False,
        copy=False,
    )
    complaint_deadline = fields.Datetime(
        string="Handling Deadline",
        compute="_compute_complaint_deadline",
        store=True,
        copy=False,
        index="btree_not_null",
        help="Complaint received + the handling time limit of its grade.",
    )
    complaint_overdue = fields.Boolean(compute="_compute_complaint_overdue")
    complaint_escalated_date = fields.Datetime(
        string="Complaint Escalated",
        readonly=True,
        copy=False,
        help="Set once when the complaint is escalated, by the complaint job or the SLA "
        "escalation: a complaint is never escalated twice.",
    )
    corrective_action = fields.Text(
        help="What is changed so that the problem does not happen again (纠正措施)."
    )
    lessons_learned = fields.Text(help="What the team learned (经验教训), for the next time.")

    # installation, training and maintenance plans
    maintenance_plan_id = fields.Many2one(
        "aftersales.maintenance.plan", readonly=True, copy=False, index="btree_not_null"
    )
    maintenance_date = fields.Date(string="Scheduled Maintenance", readonly=True, copy=False)

    # service costs (R-8.3)
    cost_currency_id = fields.Many2one(related="company_id.currency_id", string="Cost Currency")
    cost_parts = fields.Monetary(string="Parts Cost", currency_field="cost_currency_id", copy=False)
    cost_labour = fields.Monetary(
        string="Labour Cost", currency_field="cost_currency_id", copy=False
    )
    cost_travel = fields.Monetary(
        string="Travel Cost", currency_field="cost_currency_id", copy=False
    )
    cost_total = fields.Monetary(
        string="Service Cost",
        currency_field="cost_currency_id",
        compute="_compute_cost_total",
        store=True,
    )

    _maintenance_date_uniq = models.UniqueIndex(
        "(maintenance_plan_id, maintenance_date) WHERE maintenance_plan_id IS NOT NULL",
        "A maintenance plan generates one ticket per date.",
    )
    # the KPI reports and the dashboard filter periods on these dates
    _kpi_create_date_idx = models.Index("(create_date)")
    _kpi_closed_date_idx = models.Index("(closed_date) WHERE closed_date IS NOT NULL")

    @api.depends("survey_user_input_id.state", "survey_user_input_id.access_token")
    def _compute_survey_url(self):
        for ticket in self:
            answer = ticket.survey_user_input_id
            ticket.survey_url = (
                f"{ticket.get_base_url()}{answer.get_start_url()}"
                if answer and answer.state != "done"
                else False
            )

    @api.depends("is_complaint")
    def _compute_complaint_grade_id(self):
        default = self.env["aftersales.complaint.grade"]
        if any(self.mapped("is_complaint")):
            default = default.search([], limit=1)
        for ticket in self:
            if not ticket.is_complaint:
                ticket.complaint_grade_id = False
            else:
                ticket.complaint_grade_id = ticket.complaint_grade_id or default

    @api.depends("is_complaint")
    def _compute_complaint_date(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.complaint_date = (ticket.complaint_date or now) if ticket.is_complaint else False

    @api.depends("complaint_date", "complaint_grade_id.time_limit_hours")
    def _compute_complaint_deadline(self):
        for ticket in self:
            grade = ticket.complaint_grade_id
            ticket.complaint_deadline = (
                ticket.complaint_date + timedelta(hours=grade.time_limit_hours)
                if grade and ticket.complaint_date
                else False
            )

    @api.depends("complaint_deadline", "is_closed")
    def _compute_complaint_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.complaint_overdue = bool(
                ticket.complaint_deadline
                and not ticket.is_closed
                and ticket.complaint_deadline < now
            )

    @api.depends("cost_parts", "cost_labour", "cost_travel")
    def _compute_cost_total(self):
        for ticket in self:
            ticket.cost_total = ticket.cost_parts + ticket.cost_labour + ticket.cost_travel

    @api.constrains("stage_id", "root_cause", "corrective_action", "lessons_learned")
    def _check_complaint_closing(self):
        for ticket in self.filtered(lambda t: t.is_closed and t.is_complaint):
            missing = []
            if not ticket.complaint_grade_id:
                missing.append(self.env._("a complaint grade"))
            if not (ticket.root_cause or "").strip():
                missing.append(self.env._("the root cause"))
            if not (ticket.corrective_action or "").strip():
                missing.append(self.env._("the corrective action"))
            if not (ticket.lessons_learned or "").strip():
                missing.append(self.env._("the lessons learned"))
            if missing:
                raise ValidationError(
                    self.env._(
                        "Complaint %(ticket)s cannot be closed yet. Missing: %(missing)s. "
                        "Record them on the Complaint tab, then close it again.",
                        ticket=ticket.display_name,
                        missing=", ".join(missing),
                    )
                )
            # constraints run as superuser: check the real user (the cron's is superuser)
            group = ticket.complaint_grade_id.owner_group_id
            user = self.env.user
            if group and not user._is_superuser() and group not in user.all_group_ids:
                raise ValidationError(
                    self.env._(
                        "Only members of %(group)s can close or change a closed %(grade)s "
                        "complaint such as %(ticket)s: ask one of them.",
                        group=group.display_name,
                        grade=ticket.complaint_grade_id.name,
                        ticket=ticket.display_name,
                    )
                )

    # -- settings

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

    @api.model
    def _installation_trigger(self):
        """When installation and training tickets are created: 'confirm' or 'delivery'."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("aftersales_service.installation_trigger")
        )
        return value if value in ("confirm", "delivery") else "confirm"

    def _aftersales_management(self):
        """The after-sales managers (internal, active) of the tickets' companies."""
        group = self.env.ref("aftersales_service.group_aftersales_manager")
        return group.sudo().all_user_ids.filtered(
            lambda u: u.active and not u.share and (u.company_ids & self.company_id)
        )

    # -- satisfaction survey

    def _send_satisfaction_survey(self, force=False):
        """Automation rule (closing): invite the customer to the satisfaction survey.

        Closed tickets of a type that asks for it (any closed ticket with `force`), with a
        customer, never twice: the customer gets a personal link by mail and in the portal.
        """
        survey = self._satisfaction_survey()
        todo = self.filtered(
            lambda t: t.is_closed
            and (force or t.survey_required)
            and t.partner_id
            and not t.survey_state
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
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.survey_user_input_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # -- return visit (回访)

    def _schedule_return_visit(self):
        """Automation rule (closing): the return visit of the ticket's type is planned.

        Due N days after closing (per ticket type), for the ticket's engineer (else the team
        leader) who gets an activity; the team sees it in Tickets › Return Visits.
        """
        todo = self.filtered(
            lambda t: t.is_closed
            and t.type_id.return_visit_required
            and t.return_visit_state != "planned"
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
        stages = (
            self.team_id._get_stages()
            if self.team_id
            else self.stage_id.search([("team_ids", "=", False)])
        )
        open_stages = stages.filtered(lambda s: not s.is_closed)
        in_progress = self.env.ref("aftersales_service.stage_in_progress", raise_if_not_found=False)
        target = (
            in_progress
            if in_progress in open_stages
            else open_stages.filtered("is_dispatch_stage")[:1] or open_stages[:1]
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
        target = self.followup_ticket_id or self.followup_origin_id
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": target.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # -- complaints (投诉分级处理)

    def _notify_complaint_graded(self):
        """Automation rule (grade set): the deadline is posted, management informed."""
        for ticket in self.filtered(lambda t: t.is_complaint and t.complaint_grade_id):
            grade = ticket.complaint_grade_id
            partners = (
                ticket._aftersales_management().partner_id
                if grade.inform_management
                else self.env["res.partner"]
            )
            ticket.message_post(
                body=self.env._(
                    "Complaint graded %(grade)s: to be handled by %(deadline)s; closing needs "
                    "%(group)s.",
                    grade=grade.name,
                    deadline=format_datetime(self.env, ticket.complaint_deadline),
                    group=grade.owner_group_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=partners.ids,
            )

    @api.model
    def _cron_escalate_complaints(self):
        """Hourly: escalate, once, the open complaints past their handling deadline."""
        overdue = self.sudo().search(
            [
                ("is_complaint", "=", True),
                ("is_closed", "=", False),
                ("complaint_deadline", "<", fields.Datetime.now()),
                ("complaint_escalated_date", "=", False),
            ]
        )
        return overdue._escalate_complaints()

    def _complaint_escalation_pending(self):
        """The complaints still to escalate. Hook: the SLA addon leaves out those it has
        already escalated (it sets complaint_escalated_date when it escalates a complaint)."""
        return self.filtered(lambda t: not t.complaint_escalated_date)

    def _escalate_complaints(self):
        """Escalate once: urgent priority, an activity for the team leader (else the
        engineer, else a manager) and, when the grade says so, the management informed."""
        todo = self._complaint_escalation_pending()
        todo.write({"complaint_escalated_date": fields.Datetime.now(), "priority": "3"})
        for ticket in todo:
            grade = ticket.complaint_grade_id
            management = ticket._aftersales_management()
            owner = ticket.team_id.leader_id or ticket.user_id or management[:1]
            partners = owner.partner_id
            if grade.inform_management:
                partners |= management.partner_id
            body = self.env._(
                "Complaint %(ticket)s (%(grade)s) passed its handling deadline of %(deadline)s "
                "and is escalated.",
                ticket=ticket.display_name,
                grade=grade.name,
                deadline=format_datetime(self.env, ticket.complaint_deadline),
            )
            ticket.message_post(body=body, subtype_xmlid="mail.mt_note", partner_ids=partners.ids)
            if owner:
                ticket.activity_schedule(
                    "aftersales_service.mail_activity_type_complaint_escalation",
                    summary=self.env._("Overdue complaint: handle it now"),
                    note=body,
                    user_id=owner.id,
                )
        return todo

    # -- installation and training tickets from sale orders

    @api.model
    def _setup_ticket_types(self):
        """{product flag: ticket type} of the tickets created for sold products."""
        Type = self.env["aftersales.ticket.type"].sudo()
        return {
            "aftersales_requires_installation": Type.search(
                [("code", "=", "installation")], limit=1
            ),
            "aftersales_includes_training": Type.search([("code", "=", "training")], limit=1),
        }

    @api.model
    def _create_setup_tickets(self, order_lines):
        """Installation (安装调试) and training tickets of confirmed order lines: one per line
        and kind, never twice."""
        types = self._setup_ticket_types()
        lines = order_lines.filtered(lambda ln: not ln.display_type and ln.product_id)
        # (line, type) pairs that have their ticket already
        done = {key[:2] for key in self._existing_setup_tickets(lines, types)}
        vals_list = []
        for line in lines:
            for flag, ticket_type in types.items():
                if not ticket_type or not line.product_id.product_tmpl_id[flag]:
                    continue
                if (line.id, ticket_type.id) in done:
                    continue
                done.add((line.id, ticket_type.id))
                vals_list.append(self._prepare_setup_ticket_vals(line, ticket_type))
        return self.sudo().create(vals_list) if vals_list else self.browse()

    @api.model
    def _create_setup_tickets_from_deliveries(self, move_lines):
        """Delivered products: with the 'delivery' setting, an installation ticket per
        delivered serial (per line without serials) and a training ticket per line; with the
        'confirm' setting, the serials go to the tickets made at confirmation."""
        types = self._setup_ticket_types()
        move_lines = move_lines.filtered(
            lambda ml: ml.state == "done"
            and ml.location_dest_id.usage == "customer"
            and ml.location_id.usage != "customer"
            and ml.move_id.sale_line_id
            and ml.quantity > 0
        )
        existing = self._existing_setup_tickets(move_lines.move_id.sale_line_id, types)
        create = self._installation_trigger() == "delivery"
        vals_list = []
        for move_line in move_lines:
            line = move_line.move_id.sale_line_id
            for flag, ticket_type in types.items():
                if not ticket_type or not line.product_id.product_tmpl_id[flag]:
                    continue
                per_serial = flag == "aftersales_requires_installation"
                lot = move_line.lot_id if per_serial else self.env["stock.lot"]
                if (line.id, ticket_type.id, lot.id or False) in existing:
                    continue
                unlinked = existing.get((line.id, ticket_type.id, False))
                if lot and unlinked:
                    # a ticket made at confirmation gets the first delivered serial
                    unlinked.sudo().lot_id = lot
                    del existing[(line.id, ticket_type.id, False)]
                    existing[(line.id, ticket_type.id, lot.id)] = unlinked
                elif create:
                    existing[(line.id, ticket_type.id, lot.id or False)] = self.browse()
                    vals_list.append(self._prepare_setup_ticket_vals(line, ticket_type, lot))
        return self.sudo().create(vals_list) if vals_list else self.browse()

    @api.model
    def _existing_setup_tickets(self, lines, types):
        """{(order line, type, serial or False): ticket} of the setup tickets already made."""
        tickets = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("sale_line_id", "in", lines.ids),
                    ("type_id", "in", [t.id for t in types.values() if t]),
                ],
                order="id",
            )
        )
        return {(t.sale_line_id.id, t.type_id.id, t.lot_id.id or False): t for t in tickets}

    @api.model
    def _prepare_setup_ticket_vals(self, line, ticket_type, lot=None):
        order = line.order_id
        return {
            "name": self.env._(
                "%(service)s: %(product)s (%(order)s)",
                service=ticket_type.name,
                product=line.product_id.display_name,
                order=order.name,
            ),
            "partner_id": (order.partner_shipping_id or order.partner_id).id,
            "company_id": order.company_id.id,
            "type_id": ticket_type.id,
            "product_id": line.product_id.id,
            "lot_id": lot.id if lot else False,
            "sale_order_id": order.id,
            "sale_line_id": line.id,
            "requested_date": order.commitment_date or False,
        }

    # ---- spare parts (备品备件)
    # Part lines of the ticket and their documents in Inventory: the parts transfer (reserve,
    # issue), consumption, unused and defective parts back, the return to the vendor, the
    # workshop repair and the quality escalation (issue 5). Stock documents are written as
    # superuser once the ticket itself is checked: engineers need no Inventory rights.

    part_line_ids = fields.One2many(
        "aftersales.part.line", "ticket_id", string="Spare Parts", copy=False
    )
    parts_warehouse_id = fields.Many2one(
        "stock.warehouse",
        compute="_compute_parts_warehouse_id",
        help="The team's spare parts warehouse, else the company's first warehouse.",
    )
    parts_picking_ids = fields.One2many(
        "stock.picking", "aftersales_ticket_id", string="Parts Transfers", readonly=True
    )
    parts_picking_count = fields.Integer(compute="_compute_parts_picking_count")
    parts_availability = fields.Selection(
        [
            ("to_reserve", "To Reserve"),
            ("waiting", "Waiting Parts"),
            ("reserved", "Reserved"),
            ("issued", "Issued"),
        ],
        compute="_compute_parts_availability",
        compute_sudo=True,
        help="Where the spare parts from company stock are: not reserved yet, waiting for "
        "stock, all reserved, or all issued.",
    )
    parts_previous_stage_id = fields.Many2one(
        "aftersales.ticket.stage",
        readonly=True,
        copy=False,
        help="The stage the ticket goes back to when its parts are all reserved.",
    )
    repair_order_id = fields.Many2one(
        "repair.order", string="Workshop Repair", readonly=True, copy=False, index="btree_not_null"
    )
    repair_state = fields.Selection(
        related="repair_order_id.state", string="Workshop Repair Status"
    )
    repair_ref = fields.Char(related="repair_order_id.name", string="Workshop Repair Reference")
    vendor_defect = fields.Boolean(
        string="Bought-in Component Defect",
        tracking=True,
        copy=False,
        help="The defect comes from a bought-in component (外协/配套件): the defective parts go "
        "back to the vendor and Purchasing handles the claim.",
    )
    defect_vendor_id = fields.Many2one(
        "res.partner",
        string="Component Vendor",
        tracking=True,
        copy=False,
        help="Vendor of the defective component; else the vendor of each part line.",
    )
    major_quality_issue = fields.Boolean(
        tracking=True,
        copy=False,
        help="A major quality problem (重大质量问题): the quality team gets an activity.",
    )
    quality_issue_note = fields.Text(string="Quality Issue", copy=False)

    @api.depends("team_id.warehouse_id", "company_id")
    def _compute_parts_warehouse_id(self):
        Warehouse = self.env["stock.warehouse"].sudo()
        defaults = {}
        for ticket in self:
            company = ticket.company_id or self.env.company
            warehouse = ticket.team_id.warehouse_id
            if not warehouse or warehouse.company_id != company:
                if company.id not in defaults:
                    defaults[company.id] = Warehouse.search(
                        [("company_id", "=", company.id)], limit=1
                    )
                warehouse = defaults[company.id]
            ticket.parts_warehouse_id = warehouse

    def _compute_parts_picking_count(self):
        counts = dict(
            self.env["stock.picking"]
            .sudo()
            ._read_group(
                [("aftersales_ticket_id", "in", self.ids)], ["aftersales_ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.parts_picking_count = counts.get(ticket._origin, 0)

    @api.depends("part_line_ids.state", "part_line_ids.source")
    def _compute_parts_availability(self):
        for ticket in self:
            lines = ticket.part_line_ids.filtered(lambda line: line.source == "stock")
            open_moves = lines._open_issue_moves().filtered(lambda m: m.state != "draft")
            if not lines:
                ticket.parts_availability = False
            elif all(line.state in ("issued", "consumed", "returned") for line in lines):
                ticket.parts_availability = "issued"
            elif any(move.state != "assigned" for move in open_moves):
                ticket.parts_availability = "waiting"
            elif all(line.state != "to_reserve" for line in lines):
                ticket.parts_availability = "reserved"
            else:
                ticket.parts_availability = "to_reserve"

    def _parts_check_editable(self):
        self.check_access("write")
        closed = self.filtered("is_closed")
        if closed:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is closed: its spare parts cannot move any more.",
                    ticket=closed[0].display_name,
                )
            )

    # ------------------------------------------------------------ reserve and issue

    def action_reserve_parts(self):
        """Reserve the parts from company stock in one transfer per ticket."""
        self._parts_check_editable()
        for ticket in self.sudo():
            if not ticket._parts_lines_to_issue():
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s has no spare parts from company stock to reserve: "
                        "add the part lines first.",
                        ticket=ticket.display_name,
                    )
                )
        self._reserve_parts()
        return True

    def _reserve_parts_on_dispatch(self):
        """Automation rule "reserve spare parts on dispatch"."""
        if self.env.context.get("aftersales_parts_stage_sync"):
            return
        todo = self.sudo().filtered(lambda t: not t.is_closed and t._parts_lines_to_issue())
        if todo:
            todo._reserve_parts()

    def _parts_lines_to_issue(self):
        return self.part_line_ids.filtered(
            lambda line: line.source == "stock"
            and not line.consumed
            and not any(m.aftersales_part_role == "repair" for m in line.move_ids)
        )

    def _reserve_parts(self):
        """Create or update the open parts transfer of each ticket, confirm it and reserve.

        One open transfer per ticket (origin: the ticket number): new lines become new moves,
        changed quantities change the open moves. Quants are locked first, so that two
        tickets never both reserve the last unit (see `_lock_stock_for_reservation`).
        """
        tickets = self.sudo().filtered(lambda t: not t.is_closed)
        Picking = self.env["stock.picking"].sudo()
        pickings = Picking
        new_pickings = []
        for ticket in tickets:
            lines = ticket._parts_lines_to_issue()
            if not lines:
                continue
            picking = ticket._parts_open_picking()
            target = ticket._parts_picking_target(picking)
            move_vals = []
            for line in lines:
                quantity = line._qty_to_request()
                sign = line.product_uom_id.compare(quantity, 0)
                if sign > 0:
                    move_vals.append(line._prepare_move_vals("issue", quantity, target))
                elif sign < 0:
                    line._reduce_open_issue_moves(-quantity)
            commands = [fields.Command.create(vals) for vals in move_vals]
            if picking:
                if commands:
                    picking.write({"move_ids": commands})
                pickings |= picking
            elif commands:
                new_pickings.append(dict(target, move_ids=commands))
        if new_pickings:
            pickings |= Picking.create(new_pickings)
        moves = pickings.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        if moves:
            self.env["aftersales.part.line"]._lock_stock_for_reservation(
                moves.product_id, moves.location_id
            )
            moves = moves.with_context(aftersales_skip_parts_sync=True)
            drafts = moves.filtered(lambda m: m.state == "draft")
            drafts._action_confirm()
            (moves - drafts).filtered(
                lambda m: m.state in ("confirmed", "waiting", "partially_available")
            )._action_assign()
        tickets._parts_sync_waiting_stage()

    def _parts_open_picking(self):
        self.ensure_one()
        return self.parts_picking_ids.filtered(
            lambda p: p.aftersales_role == "parts" and p.state not in ("done", "cancel")
        )[:1]

    def _parts_warehouse(self):
        self.ensure_one()
        warehouse = self.parts_warehouse_id
        if not warehouse.aftersales_parts_type_id or not warehouse.aftersales_spare_loc_id:
            raise UserError(
                self.env._(
                    "Warehouse %(warehouse)s has no spare parts location or after-sales "
                    "operation types: set them on the warehouse (Inventory > Configuration > "
                    "Warehouses), or choose the spare parts warehouse of team %(team)s.",
                    warehouse=warehouse.display_name or "-",
                    team=self.team_id.display_name or "-",
                )
            )
        return warehouse

    def _parts_customer_location(self):
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        return partner.property_stock_customer or self.env.ref("stock.stock_location_customers")

    def _parts_picking_target(self, picking=None):
        """Values of the parts transfer (its own when it exists) the moves follow."""
        self.ensure_one()
        if picking:
            return {
                "picking_type_id": picking.picking_type_id.id,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
                "partner_id": picking.partner_id.id,
                "origin": picking.origin,
            }
        warehouse = self._parts_warehouse()
        picking_type = warehouse.aftersales_parts_type_id
        return self._parts_prepare_picking_vals(
            "parts",
            picking_type,
            picking_type.default_location_src_id or warehouse.aftersales_spare_loc_id,
            self._parts_customer_location(),
            self.partner_id,
            move_type="one",
            scheduled_date=self.planned_visit_date or fields.Datetime.now(),
        )

    def _parts_prepare_picking_vals(
        self, role, picking_type, location, destination, partner, **extra
    ):
        self.ensure_one()
        return {
            "picking_type_id": picking_type.id,
            "location_id": location.id,
            "location_dest_id": destination.id,
            "partner_id": partner.id,
            "origin": self.number,
            "company_id": self.company_id.id,
            "aftersales_ticket_id": self.id,
            "aftersales_role": role,
            **extra,
        }

    def _parts_sync_waiting_stage(self):
        """Enter "Waiting parts" while parts are missing, leave it once all are reserved."""
        waiting = self.env.ref("aftersales_service.stage_waiting_parts", raise_if_not_found=False)
        if not waiting:
            return
        open_tickets = self.filtered(lambda t: not t.is_closed)
        team_stages = open_tickets._team_stages()
        for ticket in open_tickets:
            moves = ticket.part_line_ids.move_ids.filtered(
                lambda m: m.aftersales_part_role == "issue"
            )
            pending = moves.filtered(lambda m: m.state not in ("draft", "done", "cancel"))
            missing = any(move.state != "assigned" for move in pending)
            stages = team_stages[ticket.team_id.id] if ticket.team_id else waiting
            syncing = ticket.with_context(aftersales_parts_stage_sync=True)
            if missing and ticket.stage_id != waiting and waiting in stages:
                syncing.write(
                    {"parts_previous_stage_id": ticket.stage_id.id, "stage_id": waiting.id}
                )
            elif not missing and moves and ticket.stage_id == waiting:
                syncing.write(
                    {
                        "stage_id": ticket._parts_stage_after_waiting(stages).id,
                        "parts_previous_stage_id": False,
                    }
                )

    def _parts_stage_after_waiting(self, stages):
        previous = self.parts_previous_stage_id
        if previous and previous in stages and not previous.is_closed:
            return previous
        in_progress = self.env.ref("aftersales_service.stage_in_progress", raise_if_not_found=False)
        if in_progress in stages:
            return in_progress
        return stages.filtered("is_dispatch_stage")[:1] or stages[:1]

    def action_view_parts_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("aftersales_ticket_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------ consume and return

    def action_consume_parts(self):
        """The work is done: the issued parts not brought back are consumed."""
        self._parts_check_editable()
        if not self.sudo()._parts_lines_to_consume():
            raise UserError(
                self.env._(
                    "No issued spare parts to consume on %(tickets)s: the warehouse issues the "
                    "reserved parts first.",
                    tickets=", ".join(self.mapped("display_name")),
                )
            )
        self.sudo()._consume_parts()
        return True

    def _parts_lines_to_consume(self):
        return self.part_line_ids.filtered(
            lambda line: not line.consumed and (line.source != "stock" or line.qty_issued)
        )

    def _consume_parts(self):
        lines = self._parts_lines_to_consume()
        lines.with_context(aftersales_parts_internal=True).write({"consumed": True})
        self._parts_fill_summary()

    def _parts_fill_summary(self):
        """The service report lists the parts used: the consumed part lines."""
        for ticket in self:
            lines = ticket.part_line_ids.filtered(lambda line: line.state == "consumed")
            if lines:
                ticket.parts_summary = "\n".join(lines._summary_texts())

    def _parts_on_close(self):
        """Automation rule "spare parts on closing": consume, release what was not issued."""
        tickets = self.sudo()
        tickets._consume_parts()
        open_parts = tickets.parts_picking_ids.filtered(
            lambda p: p.aftersales_role == "parts" and p.state not in ("done", "cancel")
        )
        open_parts.with_context(aftersales_skip_parts_sync=True).action_cancel()

    def action_return_unused_parts(self):
        """Unused issued parts come back to the spare parts location (return transfer)."""
        self.ensure_one()
        self._parts_check_editable()
        ticket = self.sudo()
        lines = ticket.part_line_ids.filtered(lambda line: line._qty_unused_to_send() > 0)
        if not lines:
            raise UserError(
                self.env._(
                    "Enter the unused quantity of the issued parts the engineer brings back "
                    "first (Unused to Return on the part lines)."
                )
            )
        warehouse = ticket._parts_warehouse()
        picking_type = warehouse.aftersales_return_type_id
        issued = ticket.parts_picking_ids.filtered(
            lambda p: p.aftersales_role == "parts" and p.state == "done"
        )
        vals = ticket._parts_prepare_picking_vals(
            "return",
            picking_type,
            ticket._parts_customer_location(),
            picking_type.default_location_dest_id or warehouse.aftersales_spare_loc_id,
            ticket.partner_id,
            return_id=issued[-1:].id,
        )
        move_vals = []
        for line in lines:
            move = line.move_ids.filtered(
                lambda m: m.aftersales_part_role == "issue" and m.state == "done"
            )[-1:]
            values = line._prepare_move_vals("return", line._qty_unused_to_send(), vals)
            values["origin_returned_move_id"] = move.id
            move_vals.append(values)
        return ticket._parts_create_transfer(vals, move_vals)

    def action_receive_defective_parts(self):
        """Replaced defective parts are received into the defective parts location."""
        self.ensure_one()
        self._parts_check_editable()
        ticket = self.sudo()
        lines = ticket.part_line_ids.filtered(lambda line: line._qty_defective_to_send() > 0)
        if not lines:
            raise UserError(
                self.env._(
                    "Enter the quantity of replaced defective parts taken back first "
                    "(Defective Taken Back on the part lines)."
                )
            )
        warehouse = ticket._parts_warehouse()
        vals = ticket._parts_prepare_picking_vals(
            "defective",
            warehouse.aftersales_return_type_id,
            ticket._parts_customer_location(),
            warehouse.aftersales_defective_loc_id,
            ticket.partner_id,
        )
        move_vals = [
            line._prepare_move_vals("defective", line._qty_defective_to_send(), vals)
            for line in lines
        ]
        return ticket._parts_create_transfer(vals, move_vals)

    def action_return_to_vendor(self):
        """外协件质量问题: the defective bought-in parts go back to their vendor, Purchasing
        gets an activity to handle the claim."""
        self.ensure_one()
        self._parts_check_editable()
        ticket = self.sudo()
        if not ticket.vendor_defect:
            raise UserError(
                self.env._(
                    "Tick 'Bought-in Component Defect' on ticket %(ticket)s first: only "
                    "defects of bought-in components go back to a vendor.",
                    ticket=ticket.display_name,
                )
            )
        lines = ticket.part_line_ids.filtered(
            lambda line: line.return_to_vendor and line._qty_vendor_to_send() > 0
        )
        if not lines:
            raise UserError(
                self.env._(
                    "There are no defective parts to return to the vendor: enter the "
                    "defective quantity taken back on the part lines to return."
                )
            )
        without_vendor = lines.filtered(
            lambda line: not (ticket.defect_vendor_id or line.vendor_id)
        )
        if without_vendor:
            raise UserError(
                self.env._(
                    "Choose the vendor of the defective component %(part)s (on the ticket or "
                    "on the part line).",
                    part=without_vendor[0].product_id.display_name,
                )
            )
        warehouse = ticket._parts_warehouse()
        pickings = self.env["stock.picking"].sudo()
        for vendor in ticket.defect_vendor_id or lines.vendor_id:
            vendor_lines = lines.filtered(
                lambda line, vendor=vendor: (ticket.defect_vendor_id or line.vendor_id) == vendor
            )
            supplier_location = vendor.with_company(ticket.company_id).property_stock_supplier
            vals = ticket._parts_prepare_picking_vals(
                "vendor_return",
                warehouse.out_type_id,
                warehouse.aftersales_defective_loc_id,
                supplier_location or self.env.ref("stock.stock_location_suppliers"),
                vendor,
            )
            move_vals = [
                line._prepare_move_vals("vendor_return", line._qty_vendor_to_send(), vals)
                for line in vendor_lines
            ]
            pickings |= ticket._parts_create_transfer(vals, move_vals, open_action=False)
            ticket._parts_schedule_vendor_claim(pickings[-1:], vendor)
        return (
            pickings._get_aftersales_action()
            if self.env.user.has_group("stock.group_stock_user")
            else True
        )

    def _parts_create_transfer(self, vals, move_vals, open_action=True):
        self.ensure_one()
        picking = (
            self.env["stock.picking"]
            .sudo()
            .with_company(self.company_id)
            .create(dict(vals, move_ids=[fields.Command.create(v) for v in move_vals]))
        )
        picking.with_context(aftersales_skip_parts_sync=True).action_confirm()
        self.message_post(
            body=self.env._(
                "Transfer %(picking)s prepared: %(type)s.",
                picking=picking.name,
                type=picking.picking_type_id.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if open_action and self.env.user.has_group("stock.group_stock_user"):
            return picking._get_aftersales_action()
        return picking if not open_action else True

    def _parts_schedule_vendor_claim(self, picking, vendor):
        user = (
            self.company_id.aftersales_purchase_user_id or self.team_id.leader_id or self.env.user
        )
        picking.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._(
                "Vendor claim: defective parts of %(ticket)s to %(vendor)s",
                ticket=self.number,
                vendor=vendor.display_name,
            ),
            note=self.env._(
                "Defective bought-in components found on service ticket %(ticket)s: agree the "
                "return, replacement or credit with the vendor.",
                ticket=self.display_name,
            ),
            user_id=user.id,
        )

    # ------------------------------------------------------------ workshop and quality

    def action_send_to_workshop(self):
        """The product goes to the workshop: an Odoo repair order with the ticket's parts."""
        self.ensure_one()
        self._parts_check_editable()
        ticket = self.sudo()
        if ticket.repair_order_id and ticket.repair_order_id.state != "cancel":
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is already in workshop repair %(repair)s.",
                    ticket=ticket.display_name,
                    repair=ticket.repair_order_id.name,
                )
            )
        if not ticket.product_id or (ticket.product_id.tracking != "none" and not ticket.lot_id):
            raise UserError(
                self.env._(
                    "Set the product and its serial number on ticket %(ticket)s before sending "
                    "it to the workshop.",
                    ticket=ticket.display_name,
                )
            )
        warehouse = ticket.parts_warehouse_id
        repair_type = warehouse.repair_type_id
        if not repair_type:
            raise UserError(
                self.env._(
                    "Warehouse %(warehouse)s has no repair operation type: set one in "
                    "Inventory > Configuration > Warehouses.",
                    warehouse=warehouse.display_name or "-",
                )
            )
        repair = (
            self.env["repair.order"]
            .sudo()
            .with_company(ticket.company_id)
            .create(ticket._parts_prepare_repair_vals(repair_type))
        )
        ticket.repair_order_id = repair
        ticket._parts_sync_waiting_stage()
        ticket.message_post(
            body=self.env._("Sent to the workshop: repair order %(repair)s.", repair=repair.name),
            subtype_xmlid="mail.mt_note",
        )
        if self.env.user.has_group("stock.group_stock_user"):
            return self.action_view_repair_order()
        return True

    def _parts_prepare_repair_vals(self, repair_type):
        self.ensure_one()
        lines = self._parts_lines_to_issue().filtered(lambda line: not line.qty_issued)
        # the parts go with the product to the workshop: the site transfer releases them
        lines._open_issue_moves().with_context(aftersales_skip_parts_sync=True)._action_cancel()
        moves = [
            fields.Command.create(
                {
                    "product_id": line.product_id.id,
                    "product_uom_qty": line.product_uom_qty,
                    "product_uom": line.product_uom_id.id,
                    "repair_line_type": "add",
                    "company_id": self.company_id.id,
                    "aftersales_part_line_id": line.id,
                    "aftersales_part_role": "repair",
                }
            )
            for line in lines
        ]
        return {
            "product_id": self.product_id.id,
            "lot_id": self.lot_id.id,
            "partner_id": self.partner_id.id,
            "picking_type_id": repair_type.id,
            "location_id": (
                self.parts_warehouse_id.aftersales_spare_loc_id
                or repair_type.default_location_src_id
            ).id,
            "under_warranty": self._is_in_warranty(),
            "internal_notes": self.description,
            "company_id": self.company_id.id,
            "aftersales_ticket_id": self.id,
            "move_ids": moves,
        }

    def action_view_repair_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "repair.order",
            "res_id": self.repair_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _parts_log_repair_state(self, repair):
        states = dict(repair._fields["state"]._description_selection(self.env))
        for ticket in self:
            ticket.message_post(
                body=self.env._(
                    "Workshop repair %(repair)s: %(state)s.",
                    repair=repair.name,
                    state=states.get(repair.state, repair.state),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _parts_notify_quality_team(self):
        """Automation rule "major quality issue": an activity for each quality team member."""
        for ticket in self.filtered("major_quality_issue"):
            users = ticket.company_id.aftersales_quality_user_ids or ticket.team_id.leader_id
            for user in users:
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Major quality issue (重大质量问题): %(ticket)s", ticket=ticket.number
                    ),
                    note=ticket.quality_issue_note or ticket.name,
                    user_id=user.id,
                )

    # ------------------------------------------------------------ cancellation

    def action_cancel_parts(self):
        """Cancel the open parts transfers and the workshop repair not started: the
        reservations are released."""
        self._parts_check_editable()
        self.sudo()._cancel_parts()
        return True

    def _cancel_parts(self):
        pickings = self.parts_picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        pickings.with_context(aftersales_skip_parts_sync=True).action_cancel()
        repairs = self.repair_order_id.filtered(lambda r: r.state in ("draft", "confirmed"))
        if repairs:
            repairs.action_repair_cancel()
        self._parts_sync_waiting_stage()
        for ticket in self:
            if pickings.filtered(lambda p, ticket=ticket: p.aftersales_ticket_id == ticket):
                ticket.message_post(
                    body=self.env._("The open parts transfers were cancelled."),
                    subtype_xmlid="mail.mt_note",
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_cancel_parts(self):
        self.sudo()._cancel_parts()
