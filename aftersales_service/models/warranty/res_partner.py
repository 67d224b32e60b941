from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_warranty_count = fields.Integer(
        string="Warranties",
        compute="_compute_aftersales_warranty_count",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )

    def _compute_aftersales_warranty_count(self):
        counts = self.env["aftersales.warranty"]._count_by(
            "commercial_partner_id", self.commercial_partner_id.ids
        )
        for partner in self:
            partner.aftersales_warranty_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_for(
            [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        )
