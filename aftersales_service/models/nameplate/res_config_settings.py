from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_service_phone = fields.Char(
        related="company_id.aftersales_service_phone", readonly=False
    )
    aftersales_qr_reports_per_hour = fields.Integer(
        related="company_id.aftersales_qr_reports_per_hour", readonly=False
    )
