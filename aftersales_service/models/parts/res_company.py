from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_purchase_user_id = fields.Many2one(
        "res.users",
        string="Purchasing Contact for Vendor Claims",
        domain=[("share", "=", False)],
        help="Gets an activity when defective bought-in parts are returned to their vendor "
        "(外协件质量问题由采购协调).",
    )
    aftersales_reserve_parts_on_dispatch = fields.Boolean(
        string="Reserve Parts on Dispatch",
        default=True,
        help="When a ticket enters its dispatched stage, its spare parts from company stock "
        "are reserved in one transfer; missing parts put it in the waiting-parts stage.",
    )
