from odoo import fields, models


class AftersalesCustomerTier(models.Model):
    _name = "aftersales.customer.tier"
    _description = "After-Sales Customer Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used by integrations, e.g. STRATEGIC.")
    sequence = fields.Integer(default=10, help="Lower sequence means a higher service level.")
    color = fields.Integer()
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    _code_uniq = models.Constraint("UNIQUE(code)", "The code of a customer tier must be unique.")

    def _compute_partner_count(self):
        groups = self.env["res.partner"]._read_group(
            [("aftersales_tier_id", "in", self.ids)], ["aftersales_tier_id"], ["__count"]
        )
        counts = {tier.id: count for tier, count in groups}
        for tier in self:
            tier.partner_count = counts.get(tier.id, 0)
