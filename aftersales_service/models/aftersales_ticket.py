from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime, html2plaintext

from .aftersales_ticket_type import PRIORITIES

DEFAULT_REPEAT_WINDOW = 90


class AftersalesTicket(models.Model):
    """工单: one customer request, from intake to the signed service report."""

    _name = "aftersales.ticket"
    _description = "After-Sales Ticket"
    _inherit = ["portal.mixin", "mail.thread.cc", "mail.activity.mixin"]
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

    @api.depends("team_id")
    def _compute_stage_id(self):
        shared = self.env["aftersales.ticket.stage"]
        if not all(self.team_id):
            shared = shared.search([("team_ids", "=", False)])
        for ticket in self:
            stages = ticket.team_id._get_stages() if ticket.team_id else shared
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
        self._assign_numbers(vals_list)
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
        """Mail the customer the template of the ticket's stage (on creation)."""
        for ticket in self.filtered(lambda t: t.partner_id and t.stage_id.mail_template_id):
            ticket.message_post_with_source(
                ticket.stage_id.mail_template_id,
                subtype_xmlid="mail.mt_note",
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _assign_numbers(self, vals_list):
        """Number the new tickets with their company's own sequence (AS2026/00001)."""
        sequences = {}
        for vals in vals_list:
            if vals.get("number", "/") != "/":
                continue
            company_id = vals.get("company_id") or self.env.company.id
            if company_id not in sequences:
                company = self.env["res.company"].browse(company_id)
                sequences[company_id] = self.env["ir.sequence"]._aftersales_ticket_sequence(company)
            vals["number"] = sequences[company_id].next_by_id()

    def _subscribe_customers(self):
        for ticket in self.filtered("partner_id"):
            if ticket.partner_id not in ticket.message_partner_ids:
                ticket.message_subscribe(partner_ids=ticket.partner_id.ids)

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
        for ticket in self.filtered("user_id"):
            stages = ticket.team_id._get_stages() if ticket.team_id else ticket.stage_id
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

    def _creation_subtype(self):
        return self.env.ref("aftersales_service.mt_ticket_new")

    def _track_subtype(self, initial_values):
        self.ensure_one()
        if "stage_id" in initial_values:
            return self.env.ref("aftersales_service.mt_ticket_stage")
        return super()._track_subtype(initial_values)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to a team's alias: a new ticket from the sender, channel email."""
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from") or ""
        partner = self.env["res.partner"]
        if msg_dict.get("author_id"):
            partner = partner.browse(msg_dict["author_id"])
        if not partner and email_from:
            partner = partner._find_or_create_from_email_for_ticket(email_from)
        channel = self.env["aftersales.channel"]._get_by_code("email")
        values.setdefault("name", msg_dict.get("subject") or self.env._("(no subject)"))
        values.setdefault("partner_id", partner.id)
        values.setdefault("channel_id", channel.id)
        values.setdefault("description", msg_dict.get("body"))
        ticket = super().message_new(msg_dict, custom_values=values)
        ticket._subscribe_cc(msg_dict.get("cc"))
        return ticket

    def message_update(self, msg_dict, update_vals=None):
        res = super().message_update(msg_dict, update_vals=update_vals)
        self._subscribe_cc(msg_dict.get("cc"))
        return res

    def _subscribe_cc(self, cc):
        """Addresses in CC follow the ticket: matched to contacts, created when unknown."""
        if not cc:
            return
        partners = self.env["res.partner"]
        for email in self._mail_cc_sanitized_raw_dict(cc).values():
            partners |= partners._find_or_create_from_email_for_ticket(email)
        partners = partners.filtered(lambda p: not p.user_ids or p.partner_share)
        if partners:
            self.message_subscribe(partner_ids=partners.ids)

    # ------------------------------------------------------------ smart buttons of other models

    @api.model
    def _count_by(self, field_name, ids):
        """{id: number of tickets} for the records `ids` of the many2one `field_name`."""
        groups = self._read_group([(field_name, "in", ids)], [field_name], ["__count"])
        return {record.id: count for record, count in groups}

    @api.model
    def _action_for(self, domain, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action["domain"] = domain
        action["context"] = context or {}
        return action
