from collections import defaultdict
from datetime import datetime, timedelta

from pytz import timezone

from odoo import fields, models, tools
from odoo.tools.date_utils import float_to_time
from odoo.tools.intervals import Intervals

from ..tools.sla_engine import WorkTimeEngine, to_aware

_ONE_DAY = timedelta(days=1)
_DAY_SECONDS = 86400


class ResourceCalendar(models.Model):
    # the working time of each day is cached by each worker (see _aftersales_day_intervals)
    _name = "resource.calendar"
    _inherit = ["resource.calendar", "aftersales.sla.match.mixin"]

    aftersales_workday_ids = fields.One2many(
        "aftersales.calendar.workday",
        "calendar_id",
        string="Make-up Working Days",
        help="Days off in the weekly schedule that are worked (调休上班), e.g. a Saturday "
        "before a long public holiday. Each works like the weekday chosen on it.",
    )

    # ------------------------------------------------------------ make-up working days

    def _attendance_intervals_batch(
        self, start_dt, end_dt, resources=None, domain=None, tz=None, lunch=False
    ):
        result = super()._attendance_intervals_batch(
            start_dt, end_dt, resources=resources, domain=domain, tz=tz, lunch=lunch
        )
        if lunch or self.flexible_hours or not self.aftersales_workday_ids:
            return result
        first, last = start_dt.date(), end_dt.date()
        workdays = self.aftersales_workday_ids.filtered(
            lambda d: first - _ONE_DAY <= d.date <= last + _ONE_DAY
        )
        if not workdays:
            return result
        attendances = self.attendance_ids.filtered(
            lambda a: not a.display_type and a.day_period != "lunch"
        )
        if domain:
            attendances = attendances.filtered_domain(domain)
        resources_list = [*(resources or []), self.env["resource.resource"]]
        extra_per_tz = defaultdict(list)
        for resource in resources_list:
            zone = tz or timezone((resource or self).tz or "UTC")
            if zone not in extra_per_tz:
                extra_per_tz[zone] = self._aftersales_workday_intervals(
                    workdays, attendances, zone, start_dt, end_dt
                )
            extra = extra_per_tz[zone]
            if extra and resource.id in result:
                result[resource.id] = Intervals([*result[resource.id], *extra], keep_distinct=True)
        return result

    def _aftersales_workday_intervals(self, workdays, attendances, zone, start_dt, end_dt):
        """Intervals of the make-up days: the attendances of the weekday each works as."""
        Attendance = self.env["resource.calendar.attendance"]
        low, high = start_dt.astimezone(zone), end_dt.astimezone(zone)
        intervals = []
        for workday in workdays:
            week_type = Attendance.get_week_type(workday.date)
            for attendance in attendances:
                if attendance.dayofweek != workday.dayofweek:
                    continue
                if self.two_weeks_calendar and int(attendance.week_type) != week_type:
                    continue
                begin = zone.localize(
                    datetime.combine(workday.date, float_to_time(attendance.hour_from))
                )
                stop = zone.localize(
                    datetime.combine(workday.date, float_to_time(attendance.hour_to))
                )
                begin, stop = max(begin, low), min(stop, high)
                if begin < stop:
                    intervals.append((begin, stop, attendance))
        return intervals

    # ------------------------------------------------------------ SLA engine

    def _aftersales_fetch_intervals(self, lo, hi):
        """Working intervals between two epoch seconds, as epoch-second pairs: those of the
        UTC days the span covers, each computed once by each worker."""
        self.ensure_one()
        first = lo - lo % _DAY_SECONDS
        days = range(first, hi, _DAY_SECONDS)
        return [interval for day in days for interval in self._aftersales_day_intervals(day)]

    @tools.ormcache("self.id", "day")
    def _aftersales_day_intervals(self, day):
        """The working intervals of the UTC day starting at epoch second `day`: one
        `_work_intervals_batch` call (attendances minus the public holidays, plus the make-up
        working days). Kept until a calendar, an attendance, a public holiday or a make-up
        day changes (aftersales.sla.match.mixin)."""
        intervals = self.sudo()._work_intervals_batch(to_aware(day), to_aware(day + _DAY_SECONDS))
        return tuple(
            (round(start.timestamp()), round(stop.timestamp()))
            for start, stop, _meta in intervals[False]
        )

    def _aftersales_engine(self):
        """A deadline engine whose per-calendar caches live as long as the engine."""
        return WorkTimeEngine(lambda calendar: calendar._aftersales_fetch_intervals)
