from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

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
