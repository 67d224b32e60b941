from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_setup_tickets = fields.Boolean(
        string="Installation, Training and Maintenance Tickets",
        default=True,
        help="Sold products that require installation or include training get their "
        "tickets, and delivered products with a maintenance interval get a maintenance plan.",
    )
