from odoo import api, fields, models
from odoo.exceptions import UserError

from .aftersales_sla_policy import COMPENSATION_TYPES

STATES = [
    ("proposed", "Proposed"),
    ("approved", "Approved"),
    ("applied", "Applied"),
    ("cancelled", "Cancelled"),
]


class AftersalesCompensation(models.Model):
    """赔偿: what the customer gets when a promise is missed through our fault."""

    _name = "aftersales.compensation"
    _description = "After-Sales SLA Compensation"
    _inherit = ["mail.thread"]
    _order = "id desc"

    ticket_id = fields.Many2one(
        "aftersales.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    timer_id = fields.Many2one(
        "aftersales.ticket.sla", string="Missed Promise", ondelete="set null", readonly=True
    )
    policy_id = fields.Many2one("aftersales.sla.policy", ondelete="set null", readonly=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id", store=True, string="Customer"
    )
    compensation_type = fields.Selection(
        COMPENSATION_TYPES, string="Compensation", required=True, tracking=True
    )
    percent = fields.Float(string="Discount (%)", tracking=True)
    amount = fields.Monetary(
        tracking=True,
        help="The credit, or the discount once applied to the order.",
    )
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    state = fields.Selection(
        STATES, required=True, default="proposed", tracking=True, readonly=True, index=True
    )
    note = fields.Text()
    approved_by_id = fields.Many2one("res.users", readonly=True)
    approved_date = fields.Datetime(readonly=True)
    applied_date = fields.Datetime(readonly=True)
    sale_order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    sale_line_id = fields.Many2one("sale.order.line", string="Discount Line", readonly=True)
    voucher_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Free Visit Ticket", readonly=True
    )

    @api.depends("ticket_id.number", "compensation_type")
    def _compute_display_name(self):
        types = dict(self._fields["compensation_type"]._description_selection(self.env))
        for compensation in self:
            compensation.display_name = self.env._(
                "%(type)s for %(ticket)s",
                type=types.get(compensation.compensation_type, ""),
                ticket=compensation.ticket_id.number or "",
            )

    # ------------------------------------------------------------ workflow

    def _check_manager(self):
        if not self.env.user.has_group("aftersales_service.group_aftersales_manager"):
            raise UserError(
                self.env._("Only an after-sales manager can approve or apply a compensation.")
            )

    def _check_state(self, states, verb):
        for compensation in self:
            if compensation.state not in states:
                raise UserError(
                    self.env._(
                        "%(compensation)s is %(state)s: it cannot be %(verb)s.",
                        compensation=compensation.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            compensation.state
                        ],
                        verb=verb,
                    )
                )

    def action_approve(self):
        self._check_manager()
        self._check_state(("proposed",), self.env._("approved"))
        self.write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_cancel(self):
        self._check_manager()
        self._check_state(("proposed", "approved"), self.env._("cancelled"))
        self.write({"state": "cancelled"})
        return True

    def action_apply(self):
        """Give the compensation: a discount line on the order, or a free visit ticket."""
        self._check_manager()
        self._check_state(("approved",), self.env._("applied"))
        for compensation in self:
            getattr(compensation, f"_apply_{compensation.compensation_type}")()
            compensation.write({"state": "applied", "applied_date": fields.Datetime.now()})
            compensation.ticket_id.message_post(
                body=self.env._(
                    "Compensation applied: %(compensation)s.",
                    compensation=compensation.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------ applying

    def _get_order(self):
        self.ensure_one()
        order = self.ticket_id.sale_order_id.sudo()
        if not order:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s has no quotation or sale order: link the order of the "
                    "service to the ticket, then apply the compensation.",
                    ticket=self.ticket_id.display_name,
                )
            )
        if order.state == "cancel" or order.locked:
            raise UserError(
                self.env._(
                    "Order %(order)s is cancelled or locked: unlock it to add the " "compensation.",
                    order=order.name,
                )
            )
        return order

    def _service_lines(self, order):
        product = self._compensation_product()
        return order.order_line.filtered(
            lambda line: not line.display_type
            and not line.is_downpayment
            and line.product_id.type == "service"
            and line.product_id != product
            and line.price_subtotal > 0
        )

    @api.model
    def _compensation_product(self):
        return self.env.ref("aftersales_service_sla.product_sla_compensation").sudo()

    def _apply_percent(self):
        order = self._get_order()
        lines = self._service_lines(order)
        base = sum(lines.mapped("price_subtotal"))
        if not base:
            raise UserError(
                self.env._(
                    "Order %(order)s has no service fee to discount: add the service line "
                    "first, or compensate with a fixed credit.",
                    order=order.name,
                )
            )
        amount = order.currency_id.round(base * self.percent / 100)
        label = self.env._(
            "SLA compensation: %(percent)s%% off the service fee (ticket %(ticket)s)",
            percent=f"{self.percent:g}",
            ticket=self.ticket_id.number,
        )
        self._add_order_line(order, amount, label, lines)

    def _apply_credit(self):
        order = self._get_order()
        label = self.env._(
            "SLA compensation: credit (ticket %(ticket)s)", ticket=self.ticket_id.number
        )
        # the credit is kept in its own currency (the company's): the order may be in another
        amount = self.currency_id._convert(
            self.amount,
            order.currency_id,
            order.company_id,
            order.date_order or fields.Date.context_today(self),
        )
        self._add_order_line(order, amount, label, self._service_lines(order))

    def _add_order_line(self, order, amount, label, service_lines):
        taxes = service_lines.tax_ids
        same_taxes = all(line.tax_ids == taxes for line in service_lines)
        line = (
            self.env["sale.order.line"]
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "product_id": self._compensation_product().id,
                    "name": label,
                    "product_uom_qty": 1.0,
                    "price_unit": -amount,
                    "tax_ids": [fields.Command.set(taxes.ids if same_taxes else [])],
                    "sequence": max(order.order_line.mapped("sequence") or [0]) + 1,
                }
            )
        )
        self.write(
            {
                "amount": amount,
                "currency_id": order.currency_id.id,
                "sale_order_id": order.id,
                "sale_line_id": line.id,
            }
        )

    def _apply_free_visit(self):
        ticket = self.ticket_id
        voucher = (
            self.env["aftersales.ticket"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Free maintenance visit (compensation for %(ticket)s)",
                        ticket=ticket.number,
                    ),
                    "partner_id": ticket.partner_id.id,
                    "company_id": ticket.company_id.id,
                    "team_id": ticket.team_id.id,
                    "type_id": self.env.ref("aftersales_service.type_maintenance").id,
                    "product_id": ticket.product_id.id,
                    "lot_id": ticket.lot_id.id,
                    "sla_voucher_of_id": self.id,
                }
            )
        )
        self.write({"voucher_ticket_id": voucher.id})
