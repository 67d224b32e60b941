from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_checkin_radius = fields.Integer(
        string="Check-in Radius (m)",
        default=500,
        help="A check-in farther than this from the customer's address coordinates is flagged "
        "for the team leader, with the engineer's reason.",
    )
    aftersales_old_part_days = fields.Integer(
        string="Old Parts Due After (days)",
        default=7,
        help="Replaced parts under warranty not brought back to the defective parts location "
        "after this many days are listed as overdue (旧件返还).",
    )

    @api.constrains("aftersales_checkin_radius", "aftersales_old_part_days")
    def _check_aftersales_field_settings(self):
        for company in self:
            if company.aftersales_checkin_radius <= 0 or company.aftersales_old_part_days <= 0:
                raise ValidationError(
                    self.env._(
                        "The check-in radius and the days to bring old parts back must be more "
                        "than 0."
                    )
                )
