from odoo import models


class ResourceCalendarLeaves(models.Model):
    """A public holiday (a leave of no resource) changes the working days each worker keeps
    (see resource.calendar); a person's time off does not."""

    _name = "resource.calendar.leaves"
    _inherit = ["resource.calendar.leaves", "aftersales.worker.cache.mixin"]

    def _worker_cached(self):
        return self.filtered(lambda leave: not leave.resource_id)
