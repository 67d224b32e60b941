from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesWarrantyPolicy(models.Model):
    """保修政策: the 三包 windows (refund, exchange, repair) and what the repair covers."""

    _name = "aftersales.warranty.policy"
    _description = "Warranty Policy"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to use the policy in every company.",
    )
    description = fields.Text(translate=True)

    # ------------------------------------------------------------ windows (三包)
    refund_days = fields.Integer(
        string="Refund Period (days)",
        default=7,
        help="Days after the delivery date during which the customer may return the product "
        "for a refund (包退). The last day is included.",
    )
    exchange_days = fields.Integer(
        string="Exchange Period (days)",
        default=15,
        help="Days after the delivery date during which a faulty product is exchanged for a "
        "new one (包换). The last day is included.",
    )
    repair_months = fields.Integer(
        string="Repair Warranty (months)",
        default=12,
        help="Months after the delivery date during which repairs are free (包修). The day of "
        "the delivery date in the last month is included.",
    )

    # ------------------------------------------------------------ coverage
    cover_parts = fields.Boolean(string="Covers Parts", default=True)
    cover_labour = fields.Boolean(string="Covers Labour", default=True)
    cover_travel = fields.Boolean(string="Covers Travel", default=True)
    exclusions = fields.Text(
        translate=True,
        default=lambda self: self.env._(
            "Damage caused by misuse, accidents, unauthorised repair or modification, or use "
            "outside the documented operating conditions is not covered (人为损坏不在保修范围)."
        ),
        help="Printed on the warranty card and shown to the customer.",
    )
    exchange_warranty = fields.Selection(
        [
            ("restart", "Restarts on the replacement"),
            ("remainder", "Keeps the remaining period"),
        ],
        string="Warranty of an Exchanged Unit",
        required=True,
        default="restart",
        help="After a 三包 exchange, the warranty moves to the replacement serial number and "
        "either starts again from its delivery or keeps the dates of the original unit.",
    )

    product_tmpl_ids = fields.One2many(
        "product.template", "aftersales_warranty_policy_id", string="Products"
    )
    category_ids = fields.One2many(
        "product.category", "aftersales_warranty_policy_id", string="Product Categories"
    )
    warranty_count = fields.Integer(compute="_compute_warranty_count", string="Warranties")

    _periods_positive = models.Constraint(
        "CHECK(refund_days >= 0 AND exchange_days >= 0 AND repair_months >= 0)",
        "Warranty periods cannot be negative.",
    )

    def _compute_warranty_count(self):
        counts = self.env["aftersales.warranty"]._count_by("policy_id", self.ids)
        for policy in self:
            policy.warranty_count = counts.get(policy.id, 0)

    @api.constrains("refund_days", "exchange_days")
    def _check_windows_order(self):
        for policy in self:
            if policy.refund_days > policy.exchange_days:
                raise ValidationError(
                    self.env._(
                        "The refund period of %(policy)s (%(refund)s days) is longer than its "
                        "exchange period (%(exchange)s days): a product that may be refunded "
                        "may also be exchanged, so make the exchange period at least as long.",
                        policy=policy.display_name,
                        refund=policy.refund_days,
                        exchange=policy.exchange_days,
                    )
                )

    def action_view_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_for([("policy_id", "=", self.id)])
