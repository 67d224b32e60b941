from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_role = fields.Selection(
        selection_add=[
            ("van_issue", "Parts issued from a van"),
            ("van_refill", "Van replenishment"),
        ],
        ondelete={"van_issue": "set null", "van_refill": "set null"},
    )
