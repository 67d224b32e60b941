from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    aftersales_ticket_count = fields.Integer(
        string="Service Tickets",
        compute="_compute_aftersales_ticket_count",
        groups="aftersales_service.group_aftersales_user",
    )

    # ---- installation, training and maintenance plans
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
