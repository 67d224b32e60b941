from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def action_aftersales_print_nameplates(self):
        """Nameplate labels of the serial numbers of these deliveries."""
        lots = self.move_line_ids.lot_id
        if not lots:
            raise UserError(
                self.env._(
                    "These transfers have no serial numbers: nameplate labels are printed for "
                    "serial numbers only."
                )
            )
        return lots.action_aftersales_print_nameplates()
