from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        res = super()._action_confirm()
        Ticket = self.env["aftersales.ticket"].sudo()
        if Ticket._installation_trigger() == "confirm":
            orders = self.filtered("company_id.aftersales_setup_tickets")
            Ticket._create_setup_tickets(orders.order_line)
        return res
