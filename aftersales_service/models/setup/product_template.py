from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .aftersales_maintenance_plan import MAX_INTERVAL


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_requires_installation = fields.Boolean(
        string="Requires Installation",
        help="An installation and commissioning ticket (安装调试) is created for each unit sold "
        "(on confirmation or delivery, see Settings).",
    )
    aftersales_includes_training = fields.Boolean(
        string="Includes Training",
        help="A user training ticket is created for each order line of this product.",
    )
    aftersales_maintenance_interval = fields.Integer(
        string="Maintenance Every (months)",
        help="When a unit is delivered, a maintenance plan is created for its serial number: "
        "a ticket every this many months. 0: no plan.",
    )
    aftersales_maintenance_type = fields.Selection(
        [("maintenance", "Periodic Maintenance"), ("inspection", "Inspection")],
        string="Maintenance Kind",
        default="maintenance",
    )

    @api.constrains("aftersales_maintenance_interval")
    def _check_aftersales_maintenance_interval(self):
        limit = MAX_INTERVAL["month"]
        for template in self:
            if not 0 <= template.aftersales_maintenance_interval <= limit:
                raise ValidationError(
                    self.env._(
                        "%(product)s is maintained every %(months)s months: choose from 1 to "
                        "%(limit)s months, or 0 for no maintenance plan.",
                        product=template.display_name,
                        months=template.aftersales_maintenance_interval,
                        limit=limit,
                    )
                )
