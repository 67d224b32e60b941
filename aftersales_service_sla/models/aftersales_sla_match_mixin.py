from odoo import models


class AftersalesSlaMatchMixin(models.AbstractModel):
    """What each worker caches for the promises: the matching of new tickets to policies
    (policies, targets: `aftersales.sla.policy._match_rules`) and the working time of the
    calendars' days (calendars, attendances, make-up days:
    `resource.calendar._aftersales_day_intervals`). Any change of it clears the cache."""

    _name = "aftersales.sla.match.mixin"
    _inherit = ["aftersales.worker.cache.mixin"]
    _description = "SLA Matching Data"
