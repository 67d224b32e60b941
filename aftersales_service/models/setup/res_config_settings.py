from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_setup_tickets = fields.Boolean(
        related="company_id.aftersales_setup_tickets", readonly=False
    )
    aftersales_installation_trigger = fields.Selection(
        [("confirm", "On order confirmation"), ("delivery", "On delivery")],
        string="Create Installation Tickets",
        config_parameter="aftersales_service.installation_trigger",
        default="confirm",
        help="On confirmation: one ticket per order line (serials added at delivery). On "
        "delivery: one installation ticket per delivered serial number.",
    )
