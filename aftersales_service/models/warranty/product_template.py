from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_warranty_policy_id = fields.Many2one(
        "aftersales.warranty.policy",
        string="Warranty Policy",
        help="三包 policy of the product: warranties are created when it is delivered. "
        "Leave empty to use the policy of the product category.",
    )
    aftersales_warranty_extension_months = fields.Integer(
        string="Extends Warranty by (months)",
        help="For an extended-warranty service: when a sale order with this product is "
        "confirmed, the warranty chosen on the line (or those of the same order) is "
        "extended by this many months.",
    )

    def _aftersales_get_warranty_policy(self):
        """The product's own warranty policy, else its category's (or a parent's)."""
        self.ensure_one()
        if self.aftersales_warranty_policy_id.active:
            return self.aftersales_warranty_policy_id
        return self.categ_id._aftersales_get_warranty_policy()
