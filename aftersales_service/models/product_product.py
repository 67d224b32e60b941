from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    aftersales_ticket_count = fields.Integer(
        string="Service Tickets",
        compute="_compute_aftersales_ticket_count",
        groups="aftersales_service.group_aftersales_user",
    )

    def _compute_aftersales_ticket_count(self):
        counts = self.env["aftersales.ticket"]._count_by("product_id", self.ids)
        for product in self:
            product.aftersales_ticket_count = counts.get(product.id, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_for(
            [("product_id", "=", self.id)], {"default_product_id": self.id}
        )
