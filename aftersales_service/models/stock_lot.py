from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    aftersales_ticket_count = fields.Integer(
        string="Service Tickets",
        compute="_compute_aftersales_ticket_count",
        groups="aftersales_service.group_aftersales_user",
    )

    def _compute_aftersales_ticket_count(self):
        counts = self.env["aftersales.ticket"]._count_by("lot_id", self.ids)
        for lot in self:
            lot.aftersales_ticket_count = counts.get(lot.id, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_for(
            [("lot_id", "=", self.id)],
            {"default_lot_id": self.id, "default_product_id": self.product_id.id},
        )
