from odoo import api, models


class AftersalesSlaMatchMixin(models.AbstractModel):
    """What each worker caches for the promises: the matching of new tickets to policies
    (policies, targets: `aftersales.sla.policy._match_rules`) and the working time of the
    calendars' days (calendars, attendances, make-up days:
    `resource.calendar._aftersales_day_intervals`). Any change of it clears the cache."""

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
