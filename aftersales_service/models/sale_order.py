from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_ticket_ids = fields.One2many(
        "aftersales.ticket", "sale_order_id", string="After-Sales Tickets"
    )
    aftersales_ticket_count = fields.Integer(
        string="Service Tickets", compute="_compute_aftersales_ticket_count"
    )
    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty", "sale_order_id", string="Warranty Records"
    )
    aftersales_warranty_count = fields.Integer(
        string="Warranties", compute="_compute_aftersales_warranty_count"
    )
    aftersales_quoted_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Quoted Service Ticket",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The service ticket this out-of-warranty quotation was made for.",
    )

    def _aftersales_create_setup_tickets(self):
        """Automation rule (order confirmed): installation and training tickets, when the
        setting creates them on confirmation."""
        Ticket = self.env["aftersales.ticket"].sudo()
        if Ticket._installation_trigger() == "confirm":
            Ticket._create_setup_tickets(self.order_line)

    def _compute_aftersales_ticket_count(self):
        counts = self.env["aftersales.ticket"]._count_by("sale_order_id", self.ids)
        for order in self:
            order.aftersales_ticket_count = counts.get(order.id, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_for(
            [("sale_order_id", "=", self.id)],
            {"default_sale_order_id": self.id, "default_partner_id": self.partner_id.id},
        )

    def _compute_aftersales_warranty_count(self):
        counts = self.env["aftersales.warranty"]._count_by("sale_order_id", self.ids)
        for order in self:
            order.aftersales_warranty_count = counts.get(order.id, 0)

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_for([("sale_order_id", "=", self.id)])

    def action_view_aftersales_quoted_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "res_id": self.aftersales_quoted_ticket_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_aftersales_request_service(self):
        """A new service ticket for this order, prefilled with the customer and product."""
        self.ensure_one()
        context = {
            "default_partner_id": self.partner_id.id,
            "default_sale_order_id": self.id,
            "default_company_id": self.company_id.id,
        }
        warranties = self.aftersales_warranty_ids.filtered(lambda w: w.state != "void")
        lines = self.order_line.filtered(
            lambda line: line.product_id.type == "consu" and not line.display_type
        )
        if len(warranties) == 1:
            context.update(
                default_warranty_id=warranties.id,
                default_product_id=warranties.product_id.id,
                default_lot_id=warranties.lot_id.id,
                default_sale_line_id=warranties.sale_line_id.id,
            )
        elif len(lines) == 1:
            context.update(default_product_id=lines.product_id.id, default_sale_line_id=lines.id)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Service"),
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    def _action_confirm(self):
        res = super()._action_confirm()
        self.order_line._aftersales_apply_warranty_extensions()
        return res

    def _aftersales_on_quotation_confirmed(self):
        """Automation rule (Sales): a confirmed out-of-warranty quotation moves its ticket on."""
        self.sudo().aftersales_quoted_ticket_id.filtered(
            lambda ticket: ticket.quotation_id in self
        )._on_quotation_confirmed()

    def _aftersales_on_quotation_cancelled(self):
        """Automation rule (Sales): the ticket of a cancelled quotation is informed."""
        self.sudo().aftersales_quoted_ticket_id.filtered(
            lambda ticket: ticket.quotation_id in self
        )._on_quotation_cancelled()
