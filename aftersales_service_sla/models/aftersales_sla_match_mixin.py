from odoo import api, models


class AftersalesSlaMatchMixin(models.AbstractModel):
    """What the matching of new tickets to policies reads (policies, targets) is cached by
    each worker (`aftersales.sla.policy._match_rules`): any change of it clears the cache."""

    _name = "aftersales.sla.match.mixin"
    _description = "SLA Matching Data"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
