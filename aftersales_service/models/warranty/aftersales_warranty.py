from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import format_date

from .dates import customer_tz, local_date

WARRANTY_STATES = [("active", "Active"), ("expired", "Expired"), ("void", "Void")]

# the 三包 window a claim date falls in, best first
WINDOW_REFUND = "refund"
WINDOW_EXCHANGE = "exchange"
WINDOW_REPAIR = "repair"
WINDOW_OUT = "out"


class AftersalesWarranty(models.Model):
    """保修: the warranty of one delivered serial (or one delivered move line)."""

    _name = "aftersales.warranty"
    _description = "Warranty"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.smart.button.mixin",
        "aftersales.system.fields.mixin",
    ]
    _aftersales_action_xmlid = "aftersales_service.aftersales_warranty_action"
    _order = "start_date desc, id desc"
    _rec_names_search = ["number", "lot_id.name", "partner_id.name", "product_id.name"]

    # ------------------------------------------------------------ identity
    number = fields.Char(
        string="Warranty Number",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        string="Customer Company",
    )

    # ------------------------------------------------------------ what is covered
    product_id = fields.Many2one("product.product", required=True, index=True, tracking=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial/Lot Number",
        index=True,
        tracking=True,
        domain="[('product_id', '=', product_id)]",
    )
    replaced_lot_id = fields.Many2one(
        "stock.lot",
        string="Replaced Serial",
        readonly=True,
        copy=False,
        help="The serial number this warranty covered before a 三包 exchange.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit", tracking=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy",
        required=True,
        ondelete="restrict",
        tracking=True,
    )
    cover_parts = fields.Boolean(related="policy_id.cover_parts")
    cover_labour = fields.Boolean(related="policy_id.cover_labour")
    cover_travel = fields.Boolean(related="policy_id.cover_travel")
    exclusions = fields.Text(related="policy_id.exclusions")

    # ------------------------------------------------------------ origin
    sale_order_id = fields.Many2one("sale.order", index="btree_not_null")
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", index="btree_not_null")
    picking_id = fields.Many2one("stock.picking", string="Delivery", index="btree_not_null")
    move_id = fields.Many2one("stock.move", string="Stock Move", index="btree_not_null")
    move_line_id = fields.Many2one(
        "stock.move.line", string="Delivered Line", index="btree_not_null", copy=False
    )

    # ------------------------------------------------------------ dates
    start_date = fields.Date(
        required=True,
        tracking=True,
        default=fields.Date.context_today,
        help="The delivery date, in the customer's time zone.",
    )
    refund_end_date = fields.Date(
        string="Refund Until",
        compute="_compute_end_dates",
        store=True,
        help="Last day (included) on which the customer may return the product for a refund.",
    )
    exchange_end_date = fields.Date(
        string="Exchange Until",
        compute="_compute_end_dates",
        store=True,
        help="Last day (included) on which a faulty product is exchanged.",
    )
    repair_end_date = fields.Date(
        string="Repair Warranty Until",
        compute="_compute_end_dates",
        store=True,
        help="Last day (included) of the free repair period of the policy, before extensions.",
    )
    extension_ids = fields.One2many(
        "aftersales.warranty.extension", "warranty_id", string="Extensions"
    )
    extension_months = fields.Integer(
        string="Extended by (months)", compute="_compute_extension_months", store=True
    )
    end_date = fields.Date(
        string="Warranty End",
        compute="_compute_end_date",
        store=True,
        index=True,
        tracking=True,
        help="Last day (included) of the warranty, extensions included.",
    )
    state = fields.Selection(
        WARRANTY_STATES, default="active", required=True, readonly=True, index=True, tracking=True
    )
    void_reason = fields.Char(readonly=True, copy=False)
    void_date = fields.Date(readonly=True, copy=False)
    reminder_sent_date = fields.Datetime(
        string="Expiry Reminder Sent",
        readonly=True,
        copy=False,
        help="When the customer was reminded that this warranty ends soon.",
    )
    note = fields.Text(groups="aftersales_service.group_aftersales_user")

    # ------------------------------------------------------------ service
    ticket_ids = fields.One2many("aftersales.ticket", "warranty_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_count", string="Service Tickets")

    _move_line_uniq = models.UniqueIndex(
        "(move_line_id) WHERE move_line_id IS NOT NULL",
        "A delivered line has one warranty only.",
    )
    _number_company_uniq = models.Constraint(
        "UNIQUE(number, company_id)", "The warranty number must be unique per company."
    )
    _quantity_positive = models.Constraint(
        "CHECK(quantity >= 0)", "The quantity of a warranty cannot be negative."
    )
    _customer_product_idx = models.Index("(commercial_partner_id, product_id, start_date)")

    # ------------------------------------------------------------ computes

    @api.depends("start_date", "policy_id")
    def _compute_end_dates(self):
        """End dates of the 三包 windows: the last day is included.

        A period of N days ends N days after the delivery date (a 7-day refund period
        for a delivery on 1 March ends on 8 March); a period of N months ends on the same
        day N months later (12 months from 1 March 2026: 1 March 2027).
        """
        for warranty in self:
            start, policy = warranty.start_date, warranty.policy_id
            if not start or not policy:
                warranty.refund_end_date = warranty.exchange_end_date = False
                warranty.repair_end_date = False
                continue
            warranty.refund_end_date = (
                start + relativedelta(days=policy.refund_days) if policy.refund_days else False
            )
            warranty.exchange_end_date = (
                start + relativedelta(days=policy.exchange_days) if policy.exchange_days else False
            )
            warranty.repair_end_date = start + relativedelta(months=policy.repair_months)

    @api.depends("extension_ids.months")
    def _compute_extension_months(self):
        for warranty in self:
            warranty.extension_months = sum(warranty.extension_ids.mapped("months"))

    @api.depends("repair_end_date", "extension_months")
    def _compute_end_date(self):
        for warranty in self:
            end = warranty.repair_end_date
            warranty.end_date = end and end + relativedelta(months=warranty.extension_months)

    def _compute_ticket_count(self):
        counts = self.env["aftersales.ticket"]._count_by("warranty_id", self.ids)
        for warranty in self:
            warranty.ticket_count = counts.get(warranty.id, 0)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for warranty in self:
            warranty.access_url = f"/my/warranties/{warranty.id}"
        return res

    @api.depends("number", "product_id", "lot_id")
    def _compute_display_name(self):
        for warranty in self:
            parts = [warranty.number if warranty.number != "/" else False]
            parts.append(warranty.lot_id.name or warranty.product_id.display_name)
            warranty.display_name = " - ".join(p for p in parts if p) or warranty.number

    # ------------------------------------------------------------ constraints

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for warranty in self:
            if warranty.lot_id and warranty.lot_id.product_id != warranty.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s belongs to %(lot_product)s, not to %(product)s: "
                        "choose a serial number of the warranty's product.",
                        lot=warranty.lot_id.name,
                        lot_product=warranty.lot_id.product_id.display_name,
                        product=warranty.product_id.display_name,
                    )
                )

    # ------------------------------------------------------------ CRUD

    def _aftersales_system_fields(self):
        # the delivery that made the warranty, its state and its dates: recorded from the
        # delivery, the 三包 exchange and the extensions
        return super()._aftersales_system_fields() | {
            "start_date",
            "refund_end_date",
            "exchange_end_date",
            "repair_end_date",
            "extension_months",
            "end_date",
            "state",
            "void_reason",
            "void_date",
            "reminder_sent_date",
            "replaced_lot_id",
            "picking_id",
            "move_id",
            "move_line_id",
        }

    def _aftersales_typed_on_create(self):
        # a warranty recorded by hand (a unit delivered before the system) is given its
        # delivery: the start date, the delivery documents
        return {"start_date", "picking_id", "move_id", "move_line_id"}

    @api.model_create_multi
    def create(self, vals_list):
        self.env["ir.sequence"]._aftersales_number_vals(vals_list, self._sequence)
        warranties = super().create(vals_list)
        warranties._update_state()
        return warranties

    @api.model
    def _sequence(self, company):
        """The warranty sequence of `company`, else the shared one."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", "aftersales.warranty"), ("company_id", "in", [company.id, False])],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            raise UserError(
                self.env._(
                    "There is no sequence with the code aftersales.warranty for %(company)s: "
                    "create one under Settings › Technical › Sequences.",
                    company=company.name,
                )
            )
        return sequence

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_tickets(self):
        if self.ticket_ids:
            raise UserError(
                self.env._(
                    "Warranties with service tickets are part of the service history and "
                    "cannot be deleted: void them instead."
                )
            )

    # ------------------------------------------------------------ dates and windows

    def _customer_tz(self):
        self.ensure_one()
        return customer_tz(self.partner_id, self.company_id)

    def _customer_today(self):
        """Today in the customer's time zone."""
        self.ensure_one()
        return local_date(fields.Datetime.now(), self._customer_tz())

    @api.model
    def _customer_today_for(self, partner, company):
        """Today in the time zone of `partner` (a claim date)."""
        return local_date(fields.Datetime.now(), customer_tz(partner, company))

    def _get_window(self, day):
        """The 三包 window the claim date `day` falls in: refund, exchange, repair or out."""
        self.ensure_one()
        if self.state == "void" or not day:
            return WINDOW_OUT
        if self.refund_end_date and day <= self.refund_end_date:
            return WINDOW_REFUND
        if self.exchange_end_date and day <= self.exchange_end_date:
            return WINDOW_EXCHANGE
        if self.end_date and day <= self.end_date:
            return WINDOW_REPAIR
        return WINDOW_OUT

    def _update_state(self):
        """Active until the end date (included, customer's time zone), then expired."""
        changes = defaultdict(list)
        for warranty in self.filtered(lambda w: w.state != "void"):
            alive = warranty.end_date and warranty._customer_today() <= warranty.end_date
            state = "active" if alive else "expired"
            if state != warranty.state:
                changes[state].append(warranty.id)
        for state, ids in changes.items():
            self.browse(ids)._aftersales_system().write({"state": state})

    def _action_void(self, reason):
        today = fields.Date.context_today(self)
        self._aftersales_system().write(
            {"state": "void", "void_reason": reason, "void_date": today}
        )
        for warranty in self:
            warranty.message_post(
                body=self.env._("Warranty voided: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------ 三包 exchange

    def _transfer_to_replacement(self, move_line, ticket):
        """Move the warranty to the replacement serial delivered by a 三包 exchange."""
        self.ensure_one()
        old_lot = self.lot_id
        vals = {
            "lot_id": move_line.lot_id.id or old_lot.id,
            "replaced_lot_id": old_lot.id,
            "picking_id": move_line.picking_id.id,
            "move_id": move_line.move_id.id,
            "move_line_id": move_line.id,
            "state": "active",
        }
        if self.policy_id.exchange_warranty == "restart":
            vals["start_date"] = local_date(
                move_line.move_id.date or move_line.date, self._customer_tz()
            )
        self._aftersales_system().write(vals)
        self._update_state()
        message = self.env._(
            "三包 exchange (ticket %(ticket)s): serial %(old)s replaced by %(new)s; the "
            "warranty now ends on %(end)s.",
            ticket=ticket.number,
            old=old_lot.name or "-",
            new=self.lot_id.name or "-",
            end=format_date(self.env, self.end_date),
        )
        self.message_post(body=message, subtype_xmlid="mail.mt_note")
        ticket.message_post(body=message, subtype_xmlid="mail.mt_note")

    def _create_customer_return(self, ticket, role, to_refund):
        """A return picking of the covered unit from the customer (one unit)."""
        self.ensure_one()
        if not self.picking_id or not self.move_id or self.picking_id.state != "done":
            raise UserError(
                self.env._(
                    "Warranty %(warranty)s has no validated delivery to return: process the "
                    "return manually in Inventory.",
                    warranty=self.display_name,
                )
            )
        wizard = (
            self.env["stock.return.picking"]
            .sudo()
            .with_context(active_id=self.picking_id.id, active_model="stock.picking")
            .create({"picking_id": self.picking_id.id})
        )
        for line in wizard.product_return_moves:
            line.quantity = 1.0 if line.move_id == self.move_id else 0.0
            line.to_refund = to_refund
        picking = wizard._create_return()
        picking.write(
            {"aftersales_warranty_ticket_id": ticket.id, "aftersales_warranty_role": role}
        )
        if self.lot_id:
            picking._aftersales_set_returned_lot(self.lot_id)
        return picking

    def _create_replacement_delivery(self, ticket):
        """A delivery of one new unit to the customer, outside the sale order."""
        self.ensure_one()
        delivery = self.picking_id
        picking_type = delivery.picking_type_id
        source = picking_type.warehouse_id.lot_stock_id or picking_type.default_location_src_id
        destination = delivery.location_dest_id
        picking = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": delivery.partner_id.id or self.partner_id.id,
                    "origin": ticket.number,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": self.company_id.id,
                    "aftersales_warranty_ticket_id": ticket.id,
                    "aftersales_warranty_role": "exchange_delivery",
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "product_uom_qty": 1.0,
                                "product_uom": self.product_id.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                                "company_id": self.company_id.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    # ------------------------------------------------------------ 三包 refund

    def _create_refund_credit_note(self, ticket):
        """A draft credit note of one unit from the customer invoice of the order line.

        Returns an empty recordset when the order line was not invoiced.
        """
        self.ensure_one()
        invoice_lines = self.sale_line_id.sudo().invoice_lines.filtered(
            lambda line: line.move_id.move_type == "out_invoice" and line.move_id.state == "posted"
        )
        if not invoice_lines:
            return self.env["account.move"]
        invoice_line = invoice_lines.sorted("id")[-1]
        invoice = invoice_line.move_id
        quantity = self.product_id.uom_id._compute_quantity(1.0, invoice_line.product_uom_id)
        return (
            self.env["account.move"]
            .sudo()
            .with_company(invoice.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "company_id": invoice.company_id.id,
                    "journal_id": invoice.journal_id.id,
                    "currency_id": invoice.currency_id.id,
                    "reversed_entry_id": invoice.id,
                    "invoice_origin": invoice.invoice_origin,
                    "ref": self.env._(
                        "三包 refund of %(product)s %(serial)s (ticket %(ticket)s)",
                        product=self.product_id.display_name,
                        serial=self.lot_id.name or "",
                        ticket=ticket.number,
                    ),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": invoice_line.product_id.id,
                                "name": invoice_line.name,
                                "quantity": quantity,
                                "product_uom_id": invoice_line.product_uom_id.id,
                                "price_unit": invoice_line.price_unit,
                                "discount": invoice_line.discount,
                                "tax_ids": [Command.set(invoice_line.tax_ids.ids)],
                                "sale_line_ids": [Command.set(self.sale_line_id.ids)],
                            }
                        )
                    ],
                }
            )
        )

    # ------------------------------------------------------------ reminders and cron

    @api.model
    def _cron_update_states(self):
        """Expire the warranties whose last day has passed in the customer's time zone."""
        tomorrow_utc = fields.Date.today() + relativedelta(days=1)
        candidates = self.search(
            [
                "|",
                "&",
                ("state", "=", "active"),
                ("end_date", "<", tomorrow_utc),
                "&",
                ("state", "=", "expired"),
                ("end_date", ">=", fields.Date.today() - relativedelta(days=1)),
            ]
        )
        candidates._update_state()

    @api.model
    def _cron_send_expiry_reminders(self):
        """Mail the customers whose warranty ends within the company's reminder period.

        Each warranty is reminded once (again after an extension moves its end).
        """
        template = self.env.ref(
            "aftersales_service.mail_template_warranty_expiry", raise_if_not_found=False
        )
        if not template:
            return
        today = fields.Date.today()
        for company in self.env["res.company"].search([]):
            days = company.aftersales_warranty_reminder_days
            if days <= 0:
                continue
            warranties = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "active"),
                    ("reminder_sent_date", "=", False),
                    ("end_date", ">=", today),
                    ("end_date", "<=", today + relativedelta(days=days)),
                ]
            )
            warranties._send_expiry_reminder(template)

    def _send_expiry_reminder(self, template):
        now = fields.Datetime.now()
        for warranty in self.filtered("partner_id"):
            warranty.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
            )
        self._aftersales_system().write({"reminder_sent_date": now})

    def _get_renewal_product(self):
        """The extended-warranty product offered when this warranty ends."""
        self.ensure_one()
        product = self.company_id.aftersales_warranty_renewal_product_id
        if not product:
            product = self.env["product.product"].search(
                [
                    ("aftersales_warranty_extension_months", ">", 0),
                    ("sale_ok", "=", True),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                limit=1,
            )
        return product

    # ------------------------------------------------------------ actions

    def action_void(self):
        for warranty in self:
            if warranty.state == "void":
                continue
            warranty._action_void(self.env._("Voided by %(user)s", user=self.env.user.name))

    def action_view_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_for(
            [("warranty_id", "=", self.id)],
            {
                "default_warranty_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_product_id": self.product_id.id,
                "default_lot_id": self.lot_id.id,
                "default_sale_line_id": self.sale_line_id.id,
            },
        )

    def action_print_card(self):
        return self.env.ref("aftersales_service.action_report_warranty_card").report_action(self)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Warranty Card %(number)s", number=self.number)
