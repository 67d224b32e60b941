from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """A public holiday (a leave of no resource) changes the working days each worker keeps
    (see resource.calendar); a person's time off does not."""

    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        if leaves._aftersales_public_holidays():
            self.env.registry.clear_cache()
        return leaves

    def write(self, vals):
        public_before = self._aftersales_public_holidays()
        res = super().write(vals)
        if public_before or self._aftersales_public_holidays():
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        public = self._aftersales_public_holidays()
        res = super().unlink()
        if public:
            self.env.registry.clear_cache()
        return res

    def _aftersales_public_holidays(self):
        return self.filtered(lambda leave: not leave.resource_id)
