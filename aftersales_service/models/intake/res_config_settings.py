from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_requested_date_days = fields.Integer(
        related="company_id.aftersales_requested_date_days", readonly=False
    )
    aftersales_mail_authserv_id = fields.Char(
        related="company_id.aftersales_mail_authserv_id", readonly=False
    )
