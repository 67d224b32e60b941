"""Working-time deadline engine.

Pure functions on integer seconds. A :class:`WorkTimeline` holds the working intervals of one
calendar as sorted epoch seconds with running sums, fetched window by window through a
``fetch(lo, hi)`` callable (for Odoo calendars: one ``resource.calendar._work_intervals_batch``
call, so public holidays and make-up working days are included) and extended on demand.
:class:`WorkTimeEngine` keeps one timeline per calendar, shared by every ticket of a batch.

Two questions are answered, in whole seconds:

* :meth:`WorkTimeEngine.add_working_seconds` – the *earliest* instant at which ``seconds`` of
  working time have elapsed after ``start`` (a deadline ending exactly at the end of a work block
  is that end, not the start of the next block);
* :meth:`WorkTimeEngine.working_seconds_between` – the working time between two instants.

``calendar`` may be falsy: the clock then runs 24×7.

Every question is bounded: a span longer than :data:`MAX_HORIZON` raises
:class:`SpanTooLong` (callers turn it into a user error), and
:meth:`WorkTimeEngine.working_seconds_capped` answers display questions (time left) by
counting at most a given span, so that their cost does not grow with the deadline.
"""

import bisect
import calendar as pycalendar
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1)
DAY = 86400
#: first window fetched after the latest start of a batch, before the durations are known
MIN_WINDOW = 21 * DAY
#: a calendar without working time this far ahead gives no deadline (instead of looping)
MAX_HORIZON = 5 * 366 * DAY
#: time left is counted this far ahead at most (a display value: "more than ... h")
REMAINING_HORIZON = 92 * DAY


class SpanTooLong(ValueError):
    """A working-time question over more than :data:`MAX_HORIZON`: refused, never computed."""

    def __init__(self, start, end):
        super().__init__(
            f"working-time span of {end - start} s exceeds the horizon {MAX_HORIZON} s"
        )
        self.start = start
        self.end = end


def check_span(start, end):
    """Raise :class:`SpanTooLong` when ``end`` is more than the horizon after ``start``."""
    if end - start > MAX_HORIZON:
        raise SpanTooLong(start, end)


def to_seconds(value):
    """Epoch seconds of a datetime (naive values are UTC, as Odoo stores them)."""
    if isinstance(value, int):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return pycalendar.timegm(value.timetuple())


def to_datetime(seconds):
    """Naive UTC datetime (Odoo's storage format) of epoch seconds."""
    return EPOCH + timedelta(seconds=seconds)


def to_aware(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc)


class WorkTimeline:
    """Working intervals of one calendar between ``lo`` and ``hi`` (epoch seconds).

    ``starts``/``ends`` are the sorted, disjoint intervals; ``cum_end[i]`` is the working time
    from the first interval to the end of interval ``i``. ``fetch=None`` means 24×7.
    """

    __slots__ = ("cum_end", "ends", "fetch", "fetches", "hi", "lo", "starts")

    def __init__(self, fetch=None):
        self.fetch = fetch
        self.lo = self.hi = None
        self.starts, self.ends, self.cum_end = [], [], []
        self.fetches = 0

    @property
    def always(self):
        return self.fetch is None

    # ------------------------------------------------------------ cache management

    def _load(self, lo, hi):
        self.fetches += 1
        clipped = ((max(s, lo), min(e, hi)) for s, e in self.fetch(lo, hi))
        return sorted((s, e) for s, e in clipped if e > s)

    def _rebuild(self, intervals):
        self.starts = [s for s, _e in intervals]
        self.ends = [e for _s, e in intervals]
        total, cum = 0, []
        for s, e in intervals:
            total += e - s
            cum.append(total)
        self.cum_end = cum

    def ensure(self, lo, hi):
        """Make sure the intervals between ``lo`` and ``hi`` are loaded.

        The loaded window never spans more than twice the horizon (a batch may mix clocks
        started up to one horizon apart): beyond it, :class:`SpanTooLong`.
        """
        if self.always:
            return
        low = lo if self.lo is None else min(lo, self.lo)
        high = hi if self.hi is None else max(hi, self.hi)
        if high - low > 2 * MAX_HORIZON:
            raise SpanTooLong(low, high)
        if self.lo is None:
            self._rebuild(self._load(lo, hi))
            self.lo, self.hi = lo, hi
            return
        if lo < self.lo:
            before = self._load(lo, self.lo)
            self._rebuild(before + list(zip(self.starts, self.ends, strict=True)))
            self.lo = lo
        if hi > self.hi:
            after = self._load(self.hi, hi)
            total = self.cum_end[-1] if self.cum_end else 0
            for s, e in after:
                total += e - s
                self.starts.append(s)
                self.ends.append(e)
                self.cum_end.append(total)
            self.hi = hi

    # ------------------------------------------------------------ queries

    def _worked(self, t):
        """Working time from the first loaded interval to ``t`` (``t`` must be loaded)."""
        i = bisect.bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.cum_end[i] - (end - t if t < end else 0)

    def between(self, start, end):
        """Working seconds between ``start`` and ``end`` (0 when ``end <= start``)."""
        if end <= start:
            return 0
        check_span(start, end)
        if self.always:
            return end - start
        self.ensure(start, end)
        return self._worked(end) - self._worked(start)

    def add(self, start, seconds, hint=None):
        """Earliest instant at which ``seconds`` of working time have elapsed after ``start``.

        ``None`` when the calendar has no such working time within :data:`MAX_HORIZON`.
        """
        if seconds < 0:
            raise ValueError("seconds must be positive")
        check_span(0, seconds)
        if seconds == 0:
            return start
        if self.always:
            return start + seconds
        span = min(hint or max(MIN_WINDOW, seconds * 5), MAX_HORIZON)
        self.ensure(start, start + span)
        target = self._worked(start) + seconds
        while True:
            j = bisect.bisect_left(self.cum_end, target)
            if j < len(self.cum_end):
                return self.ends[j] - (self.cum_end[j] - target)
            if self.hi - start >= MAX_HORIZON:
                return None
            self.ensure(self.lo, min(start + MAX_HORIZON, self.hi + max(self.hi - start, DAY)))


class WorkTimeEngine:
    """Per-calendar timelines shared by a batch of tickets.

    ``fetch_factory(calendar)`` returns the ``fetch(lo, hi)`` callable of a calendar; calendars
    are keyed by ``calendar.id`` (a falsy calendar is 24×7).
    """

    def __init__(self, fetch_factory):
        self.fetch_factory = fetch_factory
        self.timelines = {}

    def timeline(self, calendar):
        key = calendar.id if calendar else False
        timeline = self.timelines.get(key)
        if timeline is None:
            timeline = WorkTimeline(self.fetch_factory(calendar) if calendar else None)
            self.timelines[key] = timeline
        return timeline

    # ------------------------------------------------------------ one instant

    def add_working_seconds(self, calendar, start, seconds):
        """Deadline (naive UTC datetime) ``seconds`` of working time after ``start``."""
        result = self.timeline(calendar).add(to_seconds(start), int(seconds))
        return None if result is None else to_datetime(result)

    def working_seconds_between(self, calendar, start, end):
        return self.timeline(calendar).between(to_seconds(start), to_seconds(end))

    def working_seconds_capped(self, calendar, start, end, cap=REMAINING_HORIZON):
        """``(seconds, capped)``: the working time between ``start`` and ``end`` counted over
        at most ``cap`` seconds, and whether ``end`` lies beyond that (then the time is
        "more than" the seconds returned). Its cost does not depend on ``end``."""
        lo, hi = to_seconds(start), to_seconds(end)
        capped = hi - lo > cap
        return self.timeline(calendar).between(lo, min(hi, lo + cap)), capped

    # ------------------------------------------------------------ batches

    def add_working_seconds_batch(self, calendar, requests):
        """Deadlines of ``[(start, seconds), ...]`` on one calendar: one fetch for the batch."""
        pairs = [(to_seconds(start), int(seconds)) for start, seconds in requests]
        for _start, seconds in pairs:
            check_span(0, seconds)
        timeline = self.timeline(calendar)
        if pairs and not timeline.always:
            lo = min(s for s, _n in pairs)
            hi = max(s + min(max(MIN_WINDOW, n * 5), MAX_HORIZON) for s, n in pairs)
            timeline.ensure(lo, hi)
        result = []
        for start, seconds in pairs:
            deadline = timeline.add(start, seconds, hint=DAY)
            result.append(None if deadline is None else to_datetime(deadline))
        return result

    def add_working_seconds_multi(self, requests):
        """Deadlines of ``[(calendar, start, seconds), ...]`` on any calendars, in order.

        Grouped per calendar: one :meth:`add_working_seconds_batch` (one fetch) per calendar.
        """
        per_calendar = {}
        for index, (calendar, start, seconds) in enumerate(requests):
            per_calendar.setdefault(calendar, []).append((index, start, seconds))
        result = [None] * len(requests)
        for calendar, items in per_calendar.items():
            deadlines = self.add_working_seconds_batch(
                calendar, [(start, seconds) for _i, start, seconds in items]
            )
            for (index, _start, _seconds), deadline in zip(items, deadlines, strict=True):
                result[index] = deadline
        return result

    def working_seconds_between_batch(self, calendar, requests):
        """Working seconds of ``[(start, end), ...]`` on one calendar."""
        pairs = [(to_seconds(start), to_seconds(end)) for start, end in requests]
        timeline = self.timeline(calendar)
        pairs_ok = [(s, e) for s, e in pairs if e > s]
        for s, e in pairs_ok:
            check_span(s, e)
        if pairs_ok and not timeline.always:
            timeline.ensure(min(s for s, _e in pairs_ok), max(e for _s, e in pairs_ok))
        return [timeline.between(s, e) for s, e in pairs]
