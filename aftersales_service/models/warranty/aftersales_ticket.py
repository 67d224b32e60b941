from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

COVERAGES = [
    ("refund", "Refund window open"),
    ("exchange", "Exchange window open"),
    ("repair", "In repair warranty"),
    ("out", "Out of warranty"),
    ("excluded", "Excluded (misuse)"),
]


class AftersalesTicket(models.Model):
    """三包: the warranty, its coverage decision and actions, and the out-of-warranty quotation
    of a ticket."""

    _inherit = "aftersales.ticket"

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
        COVERAGES,
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

    def _aftersales_system_fields(self):
        # the 三包 action and its documents: set by the warranty actions only (a second
        # exchange must never come from clearing the action by hand)
        return super()._aftersales_system_fields() | {
            "coverage_action",
            "warranty_excluded",
            "warranty_picking_ids",
            "warranty_credit_note_id",
            "quotation_id",
        }

    @api.depends("lot_id", "sale_line_id", "product_id", "commercial_partner_id", "company_id")
    def _compute_warranty_id(self):
        found = self._find_warranties()
        for ticket in self:
            ticket.warranty_id = found.get(ticket.id) or False

    def _find_warranties(self):
        """{ticket id: warranty} for `tickets`: by serial, else order line, else customer and
        product (the most recent active warranty). Three queries at most for the batch.

        Only a warranty of the ticket's commercial partner is taken: a ticket of one customer
        on another customer's serial has no warranty, and a ticket without a customer has
        none until the customer is set."""
        tickets = self
        Warranty = self.env["aftersales.warranty"].sudo()
        result = {}
        company_ids = tickets.company_id.ids
        lots = tickets.lot_id
        by_lot = (
            Warranty.search(
                [("lot_id", "in", lots.ids), ("company_id", "in", company_ids)],
                order="start_date desc, id desc",
            )
            if lots
            else Warranty
        )
        lines = tickets.filtered(lambda t: not t.lot_id).sale_line_id
        by_line = (
            Warranty.search(
                [("sale_line_id", "in", lines.ids), ("state", "!=", "void")],
                order="start_date desc, id desc",
            )
            if lines
            else Warranty
        )
        rest = tickets.filtered(
            lambda t: (
                not t.lot_id and not t.sale_line_id and t.product_id and t.commercial_partner_id
            )
        )
        by_customer = (
            Warranty.search(
                [
                    ("product_id", "in", rest.product_id.ids),
                    ("commercial_partner_id", "in", rest.commercial_partner_id.ids),
                    ("state", "=", "active"),
                    ("company_id", "in", company_ids),
                ],
                order="start_date desc, id desc",
            )
            if rest
            else Warranty
        )

        def best(warranties):
            live = warranties.filtered(lambda w: w.state == "active") or warranties.filtered(
                lambda w: w.state != "void"
            )
            return live[:1] or warranties[:1]

        for ticket in tickets:
            # only the customer's own warranty: a serial or an order line of another customer
            # (or a ticket whose customer is not known yet) gives no coverage
            own = (by_lot | by_line).filtered(
                lambda w, t=ticket: (
                    t.commercial_partner_id and w.commercial_partner_id == t.commercial_partner_id
                )
            )
            if ticket.lot_id:
                found = best(own.filtered(lambda w, t=ticket: w.lot_id == t.lot_id))
            elif ticket.sale_line_id:
                found = best(own.filtered(lambda w, t=ticket: w.sale_line_id == t.sale_line_id))
            else:
                found = by_customer.filtered(
                    lambda w, t=ticket: (
                        w.product_id == t.product_id
                        and w.commercial_partner_id == t.commercial_partner_id
                    )
                )[:1]
            result[ticket.id] = found.sudo(False)
        return result

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
        owner = self.warranty_id.sudo().commercial_partner_id
        if self.warranty_id and owner != self.commercial_partner_id:
            raise UserError(
                self.env._(
                    "%(action)s is not possible on ticket %(ticket)s: warranty %(warranty)s "
                    "belongs to %(owner)s, not to the ticket's customer %(customer)s. Choose "
                    "the customer's own warranty or correct the ticket's customer.",
                    action=action,
                    ticket=self.display_name,
                    warranty=self.warranty_id.sudo().number,
                    owner=owner.display_name,
                    customer=self.commercial_partner_id.display_name or self.env._("(no customer)"),
                )
            )
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
        self._aftersales_system().coverage_action = "exchange"
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
        self._aftersales_system().write(
            {"coverage_action": "refund", "warranty_credit_note_id": credit_note.id}
        )
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
        self._aftersales_system().coverage_action = "repair"
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
            ticket._aftersales_system().write({"warranty_excluded": True, "coverage_action": False})
            ticket._notify_customer(
                self.env._(
                    "Your request is not covered by the warranty. Reason: %(reason)s",
                    reason=reason,
                )
            )
        return True

    def action_cancel_warranty_exclusion(self):
        self._aftersales_system().write({"warranty_excluded": False})
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
        self._aftersales_system().quotation_id = order
        self._set_stage_role("waiting_quotation")
        self.message_post(
            body=self.env._("Quotation %(order)s created.", order=order.name),
            subtype_xmlid="mail.mt_note",
        )
        if self.env.user.has_group("sales_team.group_sale_salesman"):
            return self.action_view_quotation()
        return True

    def action_view_quotation(self):
        self.ensure_one()
        return self._action_open_record(self.quotation_id)

    def action_view_warranty_pickings(self):
        self.ensure_one()
        return self._action_view_pickings("aftersales_warranty_ticket_id")

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

    def _get_quotation_service_products(self):
        """(labour product, travel product): the team's, else the company's."""
        self.ensure_one()
        company = self.company_id
        labour = self.team_id.labour_product_id or company.aftersales_labour_product_id
        travel = self.team_id.travel_product_id or company.aftersales_travel_product_id
        return labour, travel

    def _on_quotation_confirmed(self):
        """The customer accepted the quotation: the work goes on."""
        self._set_stage_role("in_progress", from_roles=("waiting_quotation",))
        for ticket in self:
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
