"""The deadline engine refuses spans beyond its horizon and bounds what it displays.

A requested date or a deadline 170 years away once kept a server thread in the calendar
computation for minutes. These tests count the work (the calendar windows fetched and the
intervals produced), never the time it takes.
"""

from datetime import datetime, timedelta
from types import SimpleNamespace

from odoo.tests import TransactionCase, tagged

from ..tools.sla_engine import (
    DAY,
    MAX_HORIZON,
    REMAINING_HORIZON,
    SpanTooLong,
    WorkTimeEngine,
    WorkTimeline,
    to_seconds,
)
from ..tools.sla_planning import plan_clocks

START = datetime(2026, 3, 2, 1, 0)  # a Monday, 09:00 in Shanghai
FAR = START + timedelta(days=170 * 365)


class CountingCalendar:
    """A calendar of eight working hours a day that counts the work asked of it."""

    id = 1

    def __init__(self):
        self.windows = []
        self.intervals = 0

    def fetch(self, lo, hi):
        self.windows.append((lo, hi))
        first = lo - lo % DAY
        result = [(day + 3600, day + 9 * 3600) for day in range(first, hi, DAY)]
        self.intervals += len(result)
        return result


def engine_of(calendar):
    return WorkTimeEngine(lambda _calendar: calendar.fetch)


@tagged("post_install", "-at_install")
class TestSlaHorizon(TransactionCase):
    def test_spans_beyond_the_horizon_are_refused(self):
        calendar = CountingCalendar()
        engine = engine_of(calendar)
        with self.assertRaises(SpanTooLong):
            engine.working_seconds_between(calendar, START, FAR)
        with self.assertRaises(SpanTooLong):
            engine.working_seconds_between_batch(calendar, [(START, FAR)])
        with self.assertRaises(SpanTooLong):
            engine.add_working_seconds(calendar, START, MAX_HORIZON + 1)
        with self.assertRaises(SpanTooLong):
            engine.add_working_seconds_multi([(calendar, START, MAX_HORIZON + 1)])
        with self.assertRaises(SpanTooLong, msg="24x7 clocks are bounded too"):
            WorkTimeEngine(None).working_seconds_between(False, START, FAR)
        self.assertEqual(calendar.intervals, 0, "refused before any calendar work")

    def test_loaded_window_is_bounded(self):
        calendar = CountingCalendar()
        timeline = WorkTimeline(calendar.fetch)
        start = to_seconds(START)
        timeline.between(start, start + DAY)
        with self.assertRaises(SpanTooLong):
            timeline.ensure(start, start + 2 * MAX_HORIZON + DAY)

    def test_time_left_costs_the_same_for_any_deadline(self):
        near, far = CountingCalendar(), CountingCalendar()
        seconds_near, capped_near = engine_of(near).working_seconds_capped(
            near, START, START + timedelta(days=400)
        )
        seconds_far, capped_far = engine_of(far).working_seconds_capped(far, START, FAR)
        self.assertTrue(capped_near and capped_far, "both beyond the display horizon")
        self.assertEqual(seconds_near, seconds_far)
        self.assertEqual(near.intervals, far.intervals, "same work for 400 days or 170 years")
        self.assertLessEqual(far.intervals, REMAINING_HORIZON // DAY + 1)
        small, capped = engine_of(CountingCalendar()).working_seconds_capped(
            CountingCalendar(), START, START + timedelta(days=1)
        )
        self.assertFalse(capped)
        self.assertEqual(small, 8 * 3600)

    def test_far_requested_date_is_the_deadline_with_bounded_work(self):
        calendar = CountingCalendar()
        clock = {
            "calendar": calendar,
            "clock_start": START,
            "used": 0,
            "target_seconds": 8 * 3600,
            "floor": FAR,
            "warning_percent": 80,
            "warned": False,
            "levels": [SimpleNamespace(percent=150)],
            "is_breached": False,
            "warning_date": False,
        }
        (plan,) = plan_clocks(engine_of(calendar), [clock])
        self.assertEqual(plan["deadline"], FAR)
        self.assertLessEqual(
            sum(hi - lo for lo, hi in calendar.windows),
            2 * MAX_HORIZON,
            "the calendar was read over the horizon at most, not over 170 years",
        )
