from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        res = super().write(vals)
        if "aftersales_tier_id" in vals:
            tickets = (
                self.env["aftersales.ticket"]
                .sudo()
                .search(
                    [
                        ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                        ("is_closed", "=", False),
                    ]
                )
            )
            if tickets:
                engine = self.env["aftersales.ticket.sla"]._engine()
                tickets._sla_rematch({"customer_tier_id"}, engine)
                tickets._sla_sync(engine)
        return res
