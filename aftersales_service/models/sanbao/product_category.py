from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_depreciation_rate = fields.Float(
        string="Depreciation per Day (%)",
        digits=(16, 4),
        help="三包 rule 6: on the refund of a used product of this kind, this share of the "
        "price is deducted for each day of use (from the invoice date to the return, repair "
        "and waiting days not counted). Leave at 0 to use the parent category's rate.",
    )

    _aftersales_depreciation_rate_range = models.Constraint(
        "CHECK(aftersales_depreciation_rate >= 0 AND aftersales_depreciation_rate <= 100)",
        "The daily depreciation rate is a percentage between 0 and 100.",
    )

    def _aftersales_depreciation_rate(self):
        """The daily depreciation rate (%) of the category, else of its closest parent."""
        self.ensure_one()
        category = self
        while category:
            if category.aftersales_depreciation_rate:
                return category.aftersales_depreciation_rate
            category = category.parent_id
        return 0.0
