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
    # ---- spare parts (备品备件)
    aftersales_purchase_user_id = fields.Many2one(
        "res.users",
        string="Purchasing Contact for Vendor Claims",
        domain=[("share", "=", False)],
        help="Gets an activity when defective bought-in parts are returned to their vendor "
        "(外协件质量问题由采购协调).",
    )
    aftersales_quality_user_ids = fields.Many2many(
        "res.users",
        "res_company_aftersales_quality_user_rel",
        "company_id",
        "user_id",
        string="Quality Team",
        domain=[("share", "=", False)],
        help="Each member gets an activity when a ticket is flagged as a major quality issue "
        "(重大质量问题).",
    )
