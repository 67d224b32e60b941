from odoo import models


class ResourceCalendarAttendance(models.Model):
    # the working time of each day is cached by each worker (see resource.calendar)
    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "aftersales.sla.match.mixin"]
