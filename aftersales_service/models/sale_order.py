from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_ticket_ids = fields.One2many(
        "aftersales.ticket", "sale_order_id", string="After-Sales Tickets"
    )
    aftersales_ticket_count = fields.Integer(
        string="Service Tickets", compute="_compute_aftersales_ticket_count"
    )

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
