from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    aftersales_warranty_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy",
        help="三包 policy of the products of this category (and of its sub-categories) that "
        "have no policy of their own.",
    )

    def _aftersales_get_warranty_policy(self):
        """The policy of the category, else of the nearest parent category that has one."""
        category = self
        while category:
            if category.aftersales_warranty_policy_id.active:
                return category.aftersales_warranty_policy_id
            category = category.parent_id
        return self.env["aftersales.warranty.policy"]
