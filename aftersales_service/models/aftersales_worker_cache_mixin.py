from odoo import api, models


class AftersalesWorkerCacheMixin(models.AbstractModel):
    """Records that each worker caches (ormcache): any change of them clears the caches of
    every worker. For data that changes seldom: stages, SLA policies, calendars."""

    _name = "aftersales.worker.cache.mixin"
    _description = "Data Cached by Each Worker"

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
