from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_survey_on_close = fields.Boolean(
        string="Send the Survey on Closing",
        default=True,
        help="When a ticket of a type that asks for it closes, the customer receives the "
        "satisfaction survey by email and in the portal.",
    )
