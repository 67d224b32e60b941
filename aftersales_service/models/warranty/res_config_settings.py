from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_labour_product_id = fields.Many2one(
        related="company_id.aftersales_labour_product_id", readonly=False
    )
    aftersales_travel_product_id = fields.Many2one(
        related="company_id.aftersales_travel_product_id", readonly=False
    )
    aftersales_warranty_reminder_days = fields.Integer(
        related="company_id.aftersales_warranty_reminder_days", readonly=False
    )
    aftersales_warranty_renewal_product_id = fields.Many2one(
        related="company_id.aftersales_warranty_renewal_product_id", readonly=False
    )
    aftersales_warranty_on_delivery = fields.Boolean(
        related="company_id.aftersales_warranty_on_delivery", readonly=False
    )
