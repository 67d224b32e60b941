from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_quality_user_ids = fields.Many2many(
        related="company_id.aftersales_quality_user_ids", readonly=False
    )
