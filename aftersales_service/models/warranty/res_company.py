from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_labour_product_id = fields.Many2one(
        "product.product",
        string="Service Labour Product",
        domain=[("type", "=", "service")],
        help="Labour line of out-of-warranty quotations, unless the team has its own.",
    )
    aftersales_travel_product_id = fields.Many2one(
        "product.product",
        string="Service Travel Product",
        domain=[("type", "=", "service")],
        help="Travel line (人员出差) of out-of-warranty quotations, unless the team has its own.",
    )
    aftersales_warranty_reminder_days = fields.Integer(
        string="Warranty Expiry Reminder (days)",
        default=30,
        help="Customers are reminded this many days before their warranty ends, with a "
        "renewal offer. 0 disables the reminders.",
    )
    aftersales_warranty_renewal_product_id = fields.Many2one(
        "product.product",
        string="Warranty Renewal Product",
        domain=[("aftersales_warranty_extension_months", ">", 0)],
        help="Extended-warranty product offered in the expiry reminder.",
    )
    aftersales_warranty_on_delivery = fields.Boolean(
        string="Warranties on Delivery",
        default=True,
        help="Validated deliveries of sale orders create the warranties of the delivered "
        "products that have a warranty policy (one per serial number).",
    )
