from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_purchase_user_id = fields.Many2one(
        related="company_id.aftersales_purchase_user_id", readonly=False
    )
    aftersales_reserve_parts_on_dispatch = fields.Boolean(
        related="company_id.aftersales_reserve_parts_on_dispatch", readonly=False
    )
