from odoo import fields, models


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
