from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self._aftersales_setup_from_delivery()
        return res

    def _aftersales_setup_from_delivery(self):
        """Validated deliveries: installation tickets (or the serials of those made at
        confirmation) and maintenance plans of the delivered products, when the company
        creates setup tickets."""
        done = self.filtered(lambda p: p.state == "done" and p.company_id.aftersales_setup_tickets)
        if not done:
            return
        move_lines = done.move_line_ids
        self.env["aftersales.ticket"].sudo()._create_setup_tickets_from_deliveries(move_lines)
        self.env["aftersales.maintenance.plan"].sudo()._create_from_deliveries(move_lines)
