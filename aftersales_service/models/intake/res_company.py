from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_requested_date_days = fields.Integer(
        string="Requested Date Horizon (days)",
        default=365,
        help="How far ahead customers may ask for a visit (the requested date of a ticket, "
        "from the portal, the API, mail or an import).",
    )

    _aftersales_requested_date_days_range = models.Constraint(
        "CHECK(aftersales_requested_date_days BETWEEN 1 AND 1095)",
        "The requested date horizon is between 1 and 1095 days (three years).",
    )
