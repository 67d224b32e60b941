from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_ticket_ids = fields.One2many(
        "aftersales.ticket",
        "sale_order_id",
        string="After-Sales Tickets",
        groups="aftersales_service.group_aftersales_user",
    )
    aftersales_ticket_count = fields.Integer(
        string="Service Tickets",
        compute="_compute_aftersales_ticket_count",
        groups="aftersales_service.group_aftersales_user",
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

    def action_aftersales_request_service(self):
        """A new service ticket for this order, prefilled with the customer and product."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Service"),
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._aftersales_request_service_context(),
        }

    def _aftersales_request_service_context(self):
        """Defaults of the ticket requested from this order; features add theirs."""
        self.ensure_one()
        context = {
            "default_partner_id": self.partner_id.id,
            "default_sale_order_id": self.id,
            "default_company_id": self.company_id.id,
        }
        lines = self.order_line.filtered(
            lambda line: line.product_id.type == "consu" and not line.display_type
        )
        if len(lines) == 1:
            context.update(default_product_id=lines.product_id.id, default_sale_line_id=lines.id)
        return context
