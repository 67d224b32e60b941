"""The deadline engine against brute force and against Odoo's own calendar methods.

Odoo's `resource.calendar` is the oracle: `get_work_hours_count` / `get_work_duration_data`
for the working time, `plan_hours` for the deadlines. The working time must always agree; the
deadlines must be identical except where `plan_hours` itself is off (see
`test_plan_hours_divergence`).
"""

import sys
from collections import namedtuple
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from ..tools.sla_engine import (
    MAX_HORIZON,
    WorkTimeEngine,
    WorkTimeline,
    to_datetime,
    to_seconds,
)
from ..tools.sla_planning import checkpoints, plan_clocks
from .common import attendances

try:
    # Hypothesis reads the constants of every "local" module it has not seen, and the whole Odoo
    # source counts as local here: that costs half a minute once per process. Mark the modules
    # already loaded as seen (the constants of the code under test are not needed).
    from hypothesis.internal.conjecture import providers as _providers

    _providers._seen_modules.update(id(module) for module in list(sys.modules.values()))
    _providers._sys_modules_len = len(sys.modules)
except (ImportError, AttributeError):  # pragma: no cover - other Hypothesis versions
    _providers = None

HYPOTHESIS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def whole_seconds(value):
    return value.replace(microsecond=0)


def starts(low=datetime(2025, 12, 1), high=datetime(2027, 11, 30)):
    """Any second, or a start on a half hour (on the edges of the work blocks)."""
    anytime = st.datetimes(min_value=low, max_value=high).map(whole_seconds)
    aligned = anytime.map(lambda d: d.replace(minute=30 * (d.minute // 30), second=0))
    return st.one_of(anytime, aligned)


#: up to six weeks of working time; multiples of half an hour end exactly on block edges
DURATIONS = st.one_of(
    st.integers(min_value=1, max_value=6 * 5 * 8 * 3600),
    st.integers(min_value=1, max_value=480).map(lambda k: k * 1800),
)


def holidays(calendar, days, tz_offset=8):
    """Public holidays (whole local days) as calendar leaves."""
    return [
        {
            "name": f"Holiday {day}",
            "calendar_id": calendar.id,
            "date_from": datetime.combine(day, datetime.min.time()) - timedelta(hours=tz_offset),
            "date_to": datetime.combine(day, datetime.max.time()).replace(microsecond=0)
            - timedelta(hours=tz_offset),
        }
        for day in days
    ]


# ------------------------------------------------------------------ pure engine


def brute_between(intervals, start, end):
    return sum(max(0, min(e, end) - max(s, start)) for s, e in intervals)


def brute_add(intervals, start, seconds):
    """Earliest t with `seconds` of working time in [start, t], scanning the intervals."""
    left = seconds
    for s, e in intervals:
        begin = max(s, start)
        if e <= begin:
            continue
        if e - begin >= left:
            return begin + left
        left -= e - begin
    return None


interval_lists = st.lists(
    st.tuples(st.integers(0, 50), st.integers(1, 40)), min_size=0, max_size=30
).map(
    lambda gaps: [
        (sum(g + w for g, w in gaps[:i]) + gaps[i][0], sum(g + w for g, w in gaps[: i + 1]))
        for i in range(len(gaps))
    ]
)


@tagged("post_install", "-at_install")
class TestWorkTimeline(TransactionCase):
    """The timeline walk against a brute-force scan, on random integer intervals."""

    @staticmethod
    def timeline(intervals, calls):
        def fetch(lo, hi):
            calls.append((lo, hi))
            return [(s, e) for s, e in intervals if e > lo and s < hi]

        return WorkTimeline(fetch)

    @HYPOTHESIS
    @given(interval_lists, st.integers(0, 2000), st.integers(0, 600), st.integers(0, 2000))
    def test_add_and_between(self, intervals, start, seconds, end):
        calls = []
        timeline = self.timeline(intervals, calls)
        self.assertEqual(
            timeline.between(start, end), brute_between(intervals, start, end) if end > start else 0
        )
        expected = brute_add(intervals, start, seconds) if seconds else start
        if expected is None:
            return
        result = timeline.add(start, seconds, hint=7)
        self.assertEqual(result, expected)
        if seconds:
            self.assertEqual(timeline.between(start, result), seconds)
            self.assertLess(timeline.between(start, result - 1), seconds, "earliest instant")

    def test_extends_windows_and_stops_without_working_time(self):
        calls = []
        timeline = self.timeline([(0, 10), (10**7, 10**7 + 10)], calls)
        self.assertEqual(timeline.add(0, 15, hint=100), 10**7 + 5)
        self.assertGreater(len(calls), 2, "the window grew until the time was found")
        self.assertLess(len(calls), 20, "by doubling, not step by step")
        empty = self.timeline([], [])
        self.assertIsNone(empty.add(0, 1), "no working time at all: no deadline, no endless loop")
        self.assertGreaterEqual(empty.hi - empty.lo, MAX_HORIZON)

    def test_24x7(self):
        timeline = WorkTimeline()
        self.assertEqual(timeline.add(100, 3600), 3700)
        self.assertEqual(timeline.between(100, 3700), 3600)
        self.assertEqual(timeline.between(3700, 100), 0)

    def test_conversions(self):
        value = datetime(2026, 3, 29, 1, 30, 5)
        self.assertEqual(to_datetime(to_seconds(value)), value)


# ------------------------------------------------------------------ planning of the clocks


@tagged("post_install", "-at_install")
class TestSlaPlanning(TransactionCase):
    """Checkpoints and plans of running clocks (tools.sla_planning), without the ORM."""

    START = datetime(2026, 3, 2, 8)  # a multiple of two hours in epoch seconds

    def at(self, seconds):
        return self.START + timedelta(seconds=seconds)

    def clock(self, **values):
        return {
            "calendar": False,
            "clock_start": self.START,
            "used": 1800,
            "target_seconds": 7200,
            "floor": False,
            "warning_percent": 50,
            "warned": False,
            "levels": [SimpleNamespace(percent=150)],
            "is_breached": False,
            "warning_date": False,
        } | values

    def test_checkpoints(self):
        level = SimpleNamespace(percent=150)
        self.assertEqual(
            checkpoints(7200, 1800, 50, False, [level]),
            [("deadline", None, 5400), ("warning", None, 1800), ("level", level, 9000)],
        )
        self.assertEqual(
            checkpoints(7200, 9000, 50, True, []),
            [("deadline", None, 0)],
            "warned and no level left: the deadline only, already passed",
        )

    def test_plan_clocks(self):
        plain, later_floor, breached = plan_clocks(
            WorkTimeEngine(None),
            [
                self.clock(),
                self.clock(floor=self.at(10800)),
                self.clock(is_breached=True, warned=True, levels=[], warning_date=self.at(60)),
            ],
        )
        self.assertEqual(
            plain,
            {
                "allowed_seconds": 7200,
                "deadline": self.at(5400),
                "warning_date": self.at(1800),
                "next_action_date": self.at(1800),
            },
        )
        self.assertEqual(
            later_floor,
            {
                "allowed_seconds": 12600,
                "deadline": self.at(10800),
                "warning_date": self.at(4500),
                "next_action_date": self.at(4500),
            },
            "the customer's later date extends the allowed time up to it",
        )
        self.assertEqual(
            breached,
            {
                "allowed_seconds": 7200,
                "deadline": self.at(5400),
                "warning_date": self.at(60),
                "next_action_date": False,
            },
            "a breached, warned clock without levels left has nothing to fire",
        )

    def test_deadlines_on_several_calendars(self):
        """In request order, one fetch per calendar (one working hour in two on `halves`)."""
        halves = namedtuple("Calendar", "id")(7)

        def factory(calendar):
            return lambda lo, hi: [(s, s + 3600) for s in range(lo - lo % 7200, hi, 7200)]

        engine = WorkTimeEngine(factory)
        deadlines = engine.add_working_seconds_multi(
            [(halves, self.START, 3600), (False, self.START, 3600), (halves, self.START, 7200)]
        )
        self.assertEqual(deadlines, [self.at(3600), self.at(3600), self.at(10800)])
        self.assertEqual(engine.timeline(halves).fetches, 1)


# ------------------------------------------------------------------ Odoo calendars as oracle


@tagged("post_install", "-at_install")
class TestEngineOracle(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Calendar = cls.env["resource.calendar"]
        # Shanghai, lunch break, 15 public holidays (a Spring Festival week among them) and two
        # make-up working Saturdays
        cls.shanghai = Calendar.create(
            {
                "name": "Shanghai, lunch break and holidays",
                "tz": "Asia/Shanghai",
                "company_id": False,
                "attendance_ids": attendances([(8.5, 12.0), (13.5, 18.0)]),
            }
        )
        days = [date(2026, 2, 16) + timedelta(days=i) for i in range(7)] + [
            date(2026, 1, 1),
            date(2026, 4, 6),
            date(2026, 5, 1),
            date(2026, 6, 19),
            date(2026, 9, 25),
            date(2026, 10, 1),
            date(2026, 10, 2),
            date(2027, 1, 1),
        ]
        cls.env["resource.calendar.leaves"].create(holidays(cls.shanghai, days))
        cls.shanghai.aftersales_workday_ids = [
            Command.create({"name": "Make-up", "date": date(2026, 2, 14), "dayofweek": "0"}),
            Command.create({"name": "Make-up", "date": date(2026, 2, 28), "dayofweek": "0"}),
        ]
        # Paris: a night shift across the DST changes (Sundays included), two day blocks
        cls.paris = Calendar.create(
            {
                "name": "Paris, night shift",
                "tz": "Europe/Paris",
                "company_id": False,
                "attendance_ids": attendances([(0.5, 5.5)], days=range(7))
                + attendances([(9.0, 12.5), (14.0, 17.75)])[1:],
            }
        )
        cls.plain = Calendar.create(
            {
                "name": "Shanghai office without holidays",
                "tz": "Asia/Shanghai",
                "company_id": False,
                "attendance_ids": attendances([(8.5, 12.0), (13.5, 18.0)]),
            }
        )

    def setUp(self):
        super().setUp()
        self.engine = self.env["resource.calendar"]._aftersales_engine()

    # ------------------------------------------------------------ helpers

    def check_against_plan_hours(self, calendar, start, seconds):
        deadline = self.engine.add_working_seconds(calendar, start, seconds)
        self.assertEqual(self.engine.working_seconds_between(calendar, start, deadline), seconds)
        oracle_hours = calendar.get_work_hours_count(start, deadline)
        self.assertAlmostEqual(oracle_hours * 3600, seconds, delta=0.01)
        theirs = calendar.plan_hours(seconds / 3600, start, compute_leaves=True)
        theirs = whole_seconds(theirs + timedelta(microseconds=500_000))
        if theirs != deadline:
            # only where plan_hours is off: it skipped to the next block, no work in between,
            # and ours ends a work block exactly
            self.assertLess(deadline, theirs)
            self.assertEqual(calendar.get_work_hours_count(deadline, theirs), 0)
            self.assertEqual(
                self.engine.working_seconds_between(
                    calendar, deadline - timedelta(seconds=1), deadline
                ),
                1,
            )
        return deadline

    # ------------------------------------------------------------ properties

    @HYPOTHESIS
    @given(starts(), DURATIONS)
    def test_deadlines_lunch_and_holidays(self, start, seconds):
        self.check_against_plan_hours(self.shanghai, start, seconds)

    @HYPOTHESIS
    @given(starts(datetime(2026, 3, 1), datetime(2026, 11, 15)), DURATIONS)
    def test_deadlines_dst(self, start, seconds):
        self.check_against_plan_hours(self.paris, start, seconds)

    @HYPOTHESIS
    @given(starts(), st.integers(min_value=0, max_value=70 * 86400))
    def test_working_time_between(self, start, span):
        end = start + timedelta(seconds=span)
        for calendar in (self.shanghai, self.paris):
            ours = self.engine.working_seconds_between(calendar, start, end)
            self.assertEqual(ours, round(calendar.get_work_hours_count(start, end) * 3600))
        duration = self.shanghai.get_work_duration_data(start, end)
        self.assertAlmostEqual(
            self.engine.working_seconds_between(self.shanghai, start, end),
            duration["hours"] * 3600,
            delta=0.01,
        )

    def test_batch_equals_single(self):
        requests = [
            (datetime(2026, 2, 10, 3, 0) + timedelta(hours=7 * i), 3600 * (1 + i % 50))
            for i in range(300)
        ]
        engine = self.env["resource.calendar"]._aftersales_engine()
        batch = engine.add_working_seconds_batch(self.shanghai, requests)
        timeline = engine.timeline(self.shanghai)
        self.assertLessEqual(timeline.fetches, 2, "one fetch (maybe one extension) per batch")
        single = [self.engine.add_working_seconds(self.shanghai, s, n) for s, n in requests]
        self.assertEqual(batch, single)

    # ------------------------------------------------------------ documented cases

    def test_lunch_break_holiday_and_make_up_day(self):
        # Friday 13 February 2026, 17:00 Shanghai; 4 working hours
        start = datetime(2026, 2, 13, 9, 0)
        deadline = self.engine.add_working_seconds(self.shanghai, start, 4 * 3600)
        # 1 h on Friday, then the make-up Saturday 14 February: 08:30-11:30 local
        self.assertEqual(deadline, datetime(2026, 2, 14, 3, 30))
        # Spring Festival week off: from Sunday 15 February, 8 h go to Monday 23 February
        monday = self.engine.add_working_seconds(
            self.shanghai, datetime(2026, 2, 15, 0, 0), 8 * 3600
        )
        self.assertEqual(monday, datetime(2026, 2, 23, 10, 0), "18:00 local on 23 February")
        self.assertEqual(
            self.shanghai.get_work_hours_count(datetime(2026, 2, 14), datetime(2026, 2, 15)),
            8.0,
            "Odoo's own methods see the make-up day too",
        )

    def test_day_cache_follows_the_calendar(self):
        """Each worker keeps the working intervals of a day: a new public holiday, a changed
        attendance or a new make-up day is seen by the next engine; a person's time off (a
        leave of a resource) leaves the calendar's days as they are."""
        start, hours = datetime(2026, 3, 9, 1, 0), 8 * 3600  # Monday 9 March 09:00 local

        def deadline():
            return (
                self.env["resource.calendar"]
                ._aftersales_engine()
                .add_working_seconds(self.plain, start, hours)
            )

        self.assertEqual(deadline(), datetime(2026, 3, 10, 1, 0), "Tuesday 09:00 local")
        resource = self.env["resource.resource"].create(
            {"name": "Engineer on leave", "calendar_id": self.plain.id}
        )
        with patch.object(type(self.env.registry), "clear_cache") as clear:
            self.env["resource.calendar.leaves"].create(
                holidays(self.plain, [date(2026, 3, 9)])[0] | {"resource_id": resource.id}
            )
        clear.assert_not_called()
        self.assertEqual(deadline(), datetime(2026, 3, 10, 1, 0))
        leave = self.env["resource.calendar.leaves"].create(
            holidays(self.plain, [date(2026, 3, 9)])
        )
        self.assertEqual(deadline(), datetime(2026, 3, 10, 10, 0), "Tuesday 18:00 local")
        leave.unlink()
        self.assertEqual(deadline(), datetime(2026, 3, 10, 1, 0))
        self.plain.attendance_ids.filtered(lambda a: a.dayofweek == "0").unlink()
        self.assertEqual(deadline(), datetime(2026, 3, 10, 10, 0), "Mondays off")
        self.plain.aftersales_workday_ids = [
            Command.create({"name": "Make-up", "date": date(2026, 3, 9), "dayofweek": "1"})
        ]
        self.assertEqual(deadline(), datetime(2026, 3, 10, 1, 0), "worked as a Tuesday")

    def test_dst_night_shift(self):
        # the night of the spring change: 00:30-05:30 local is only 4 real hours
        day = datetime(2026, 3, 28, 22, 0)  # Sunday 29 March 00:00 CET
        seconds = self.engine.working_seconds_between(self.paris, day, day + timedelta(hours=6))
        self.assertEqual(seconds, 4 * 3600)
        autumn = datetime(2026, 10, 24, 22, 0)  # Sunday 25 October 00:00 CEST
        seconds = self.engine.working_seconds_between(
            self.paris, autumn, autumn + timedelta(hours=8)
        )
        self.assertEqual(seconds, 6 * 3600, "and 6 real hours on the autumn change")

    def test_plan_hours_divergence(self):
        """plan_hours subtracts float hours window after window (14-day windows, which split
        the work blocks at the start's time of day): the residue can exceed the last block, and
        it then returns the start of the next block. 82.85 working hours from Thursday 26 March
        2026 15:08:46 Shanghai end exactly at 18:00 on Thursday 9 April; plan_hours answers
        08:30 on Friday 10 April."""
        start = datetime(2026, 3, 26, 7, 8, 46)
        seconds = 298274
        theirs = self.plain.plan_hours(seconds / 3600, start, compute_leaves=True)
        self.assertEqual(whole_seconds(theirs), datetime(2026, 4, 10, 0, 30))
        ours = self.check_against_plan_hours(self.plain, start, seconds)
        self.assertEqual(ours, datetime(2026, 4, 9, 10, 0), "the earliest instant: 18:00")

    def test_multi_week_duration(self):
        start = datetime(2026, 9, 1, 1, 0)
        ours = self.check_against_plan_hours(self.shanghai, start, 200 * 3600)
        # 25 working days of 8 h, minus the National Day holidays (1-2 October)
        # 25 working days of 8 h less half an hour on the first day; three holidays in between
        self.assertEqual(ours, datetime(2026, 10, 9, 1, 0), "09:00 on Friday 9 October")

    def test_calendar_without_working_time(self):
        empty = self.env["resource.calendar"].create(
            {"name": "No attendance", "attendance_ids": [Command.clear()]}
        )
        self.assertIsNone(self.engine.add_working_seconds(empty, datetime(2026, 1, 1), 60))
