from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_checkin_radius = fields.Integer(
        related="company_id.aftersales_checkin_radius", readonly=False
    )
    aftersales_old_part_days = fields.Integer(
        related="company_id.aftersales_old_part_days", readonly=False
    )
