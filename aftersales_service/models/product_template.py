from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_ticket_count = fields.Integer(
        string="Service Tickets", compute="_compute_aftersales_ticket_count"
    )
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

    # ---- installation, training and maintenance plans
    aftersales_requires_installation = fields.Boolean(
        string="Requires Installation",
        help="An installation and commissioning ticket (安装调试) is created for each unit sold "
        "(on confirmation or delivery, see Settings).",
    )
    aftersales_includes_training = fields.Boolean(
        string="Includes Training",
        help="A user training ticket is created for each order line of this product.",
    )
    aftersales_maintenance_interval = fields.Integer(
        string="Maintenance Every (months)",
        help="When a unit is delivered, a maintenance plan is created for its serial number: "
        "a ticket every this many months. 0: no plan.",
    )
    aftersales_maintenance_type = fields.Selection(
        [("maintenance", "Periodic Maintenance"), ("inspection", "Inspection")],
        string="Maintenance Kind",
        default="maintenance",
    )

    def _compute_aftersales_ticket_count(self):
        for template in self:
            template.aftersales_ticket_count = sum(
                template.product_variant_ids.mapped("aftersales_ticket_count")
            )

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_for(
            [("product_id.product_tmpl_id", "=", self.id)]
        )

    def _aftersales_get_warranty_policy(self):
        """The product's own warranty policy, else its category's (or a parent's)."""
        self.ensure_one()
        if self.aftersales_warranty_policy_id.active:
            return self.aftersales_warranty_policy_id
        return self.categ_id._aftersales_get_warranty_policy()
