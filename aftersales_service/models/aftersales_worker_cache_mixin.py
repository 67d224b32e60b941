from odoo import api, models


class AftersalesWorkerCacheMixin(models.AbstractModel):
    """Records that each worker caches (ormcache): a change of them clears the caches of
    every worker. For data that changes seldom: stages, SLA policies, calendars.

    A model whose cached part is narrower says which: `_worker_cache_fields` (only a write
    of these fields counts; None: any) and `_worker_cached()` (only these records count)."""

    _name = "aftersales.worker.cache.mixin"
    _description = "Data Cached by Each Worker"

    _worker_cache_fields = None

    def _worker_cached(self):
        """Those of these records that the workers' caches hold: all by default."""
        return self

    def _worker_cache_touched(self, vals):
        fields = self._worker_cache_fields
        return fields is None or not fields.isdisjoint(vals)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        touched = any(self._worker_cache_touched(vals) for vals in vals_list)
        if touched and records._worker_cached():
            self.env.registry.clear_cache()
        return records

    def write(self, vals):
        touched = self._worker_cache_touched(vals)
        cached_before = touched and self._worker_cached()
        res = super().write(vals)
        if touched and (cached_before or self._worker_cached()):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        cached = self._worker_cached()
        res = super().unlink()
        if cached:
            self.env.registry.clear_cache()
        return res
