from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    aftersales_hourly_cost = fields.Float(
        string="Engineer Hourly Cost",
        digits="Product Price",
        groups="aftersales_service.group_aftersales_manager",
        help="Labour cost of one hour of this engineer's work on site: the work time recorded "
        "on the phone (arrival to departure, less the pauses) costs this much per hour.",
    )
    aftersales_van_location_ids = fields.One2many(
        "stock.location",
        "aftersales_van_user_id",
        string="Van Stock",
        groups="base.group_user",
    )

    def _aftersales_van(self, company=None):
        """The engineer's van location (车载库存) in `company`, or an empty recordset."""
        self.ensure_one()
        company = company or self.env.company
        return (
            self.env["stock.location"]
            .sudo()
            .search(
                [("aftersales_van_user_id", "=", self.id), ("company_id", "=", company.id)],
                limit=1,
            )
        )
