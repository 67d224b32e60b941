"""B1: SLA deadlines of 10,000 tickets x 3 targets, batch engine vs resource.calendar.plan_hours.

Usage:
    python3 tests/benchmarks/b1_sla_engine.py --db DB [--config .run/odoo.conf]
        [--tickets 10000] [--oracle N]

DB is a database where aftersales_service_sla is installed (e.g. one made by /tmp/fast.sh or
`make run`). Everything happens in one transaction that is rolled back: a calendar Mon-Fri
08:30-12:00 + 13:30-18:00 (Asia/Shanghai, a lunch break) with 15 public holidays, ticket
creation instants spread over 2026, three targets each (4, 16 and 40 working hours).

1. Our engine, through `aftersales.ticket.sla._compute_deadline_batch` (the method the ticket
   timers use): one `_work_intervals_batch` fetch per calendar, then a walk in integer seconds.
2. A loop of `resource.calendar.plan_hours(hours, start, compute_leaves=True)`, one call per
   ticket and target (the oracle; `--oracle N` limits it to the first N deadlines).

Checks: each deadline of ours carries exactly its working time, plan_hours' deadlines carry the
same working time, and the instants are identical except where plan_hours returns the start of
the next work block for a deadline that ends a block (counted and printed). Prints the times,
the SQL queries and the speed ratio.
"""

import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import Meter, odoo_env, parser

HOLIDAYS = [
    date(2026, 1, 1),
    date(2026, 1, 2),
    date(2026, 2, 16),
    date(2026, 2, 17),
    date(2026, 2, 18),
    date(2026, 2, 19),
    date(2026, 2, 20),
    date(2026, 4, 6),
    date(2026, 5, 1),
    date(2026, 5, 4),
    date(2026, 6, 19),
    date(2026, 9, 25),
    date(2026, 10, 1),
    date(2026, 10, 2),
    date(2026, 10, 5),
]
TARGETS_HOURS = (4, 16, 40)


def make_calendar(env):
    from odoo.fields import Command

    blocks = [(8.5, 12.0, "morning"), (13.5, 18.0, "afternoon")]
    calendar = env["resource.calendar"].create(
        {
            "name": "B1 Shanghai, lunch break, 15 holidays",
            "tz": "Asia/Shanghai",
            "company_id": False,
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": f"{day} {start}",
                        "dayofweek": str(day),
                        "hour_from": start,
                        "hour_to": end,
                        "day_period": period,
                    }
                )
                for day in range(5)
                for start, end, period in blocks
            ],
        }
    )
    env["resource.calendar.leaves"].create(
        [
            {
                "name": f"Holiday {day}",
                "calendar_id": calendar.id,
                "date_from": datetime.combine(day, datetime.min.time()) - timedelta(hours=8),
                "date_to": datetime.combine(day, datetime.min.time()) + timedelta(hours=16),
            }
            for day in HOLIDAYS
        ]
    )
    return calendar


def main():
    args_parser = parser(__doc__)
    args_parser.add_argument("--tickets", type=int, default=10000)
    args_parser.add_argument("--oracle", type=int, default=0, help="limit the plan_hours loop")
    args = args_parser.parse_args()
    rnd = random.Random(6)
    with odoo_env(args) as env:
        from odoo.addons.aftersales_service_sla.tools.sla_engine import (
            to_seconds,
        )

        calendar = make_calendar(env)
        env.flush_all()
        starts = [
            datetime(2026, 1, 1) + timedelta(seconds=rnd.randrange(0, 330 * 86400))
            for _i in range(args.tickets)
        ]
        requests = [(calendar, start, hours * 3600) for start in starts for hours in TARGETS_HOURS]
        Timer = env["aftersales.ticket.sla"]
        env.invalidate_all()
        with Meter(env) as ours_meter:
            ours = Timer._compute_deadline_batch(requests)
        count = args.oracle or len(requests)
        with Meter(env) as oracle_meter:
            theirs = [
                calendar.plan_hours(seconds / 3600, start, compute_leaves=True)
                for _calendar, start, seconds in requests[:count]
            ]
        engine = calendar._aftersales_engine()
        started = time.perf_counter()
        mismatched_time = divergent = 0
        for (_calendar, start, seconds), mine, raw in zip(requests, ours, theirs, strict=False):
            other = raw.replace(microsecond=0) + timedelta(seconds=round(raw.microsecond / 1e6))
            assert engine.working_seconds_between(calendar, start, mine) == seconds
            if engine.working_seconds_between(calendar, start, other) != seconds:
                mismatched_time += 1
            if mine != other:
                divergent += 1
                assert mine < other and engine.working_seconds_between(calendar, mine, other) == 0
        check_time = time.perf_counter() - started
        sample = rnd.sample(range(count), min(300, count))
        for index in sample:
            _calendar, start, seconds = requests[index]
            hours = calendar.get_work_hours_count(start, ours[index])
            assert abs(hours * 3600 - seconds) < 0.01, (start, seconds, ours[index], hours)
        span = max(to_seconds(d) for d in ours) - min(to_seconds(s) for s in starts)

    per_ours = ours_meter.seconds / len(requests)
    per_oracle = oracle_meter.seconds / count
    print("B1 - SLA deadline engine vs resource.calendar.plan_hours")
    print(f"  calendar: Mon-Fri 08:30-12:00 + 13:30-18:00 Asia/Shanghai, {len(HOLIDAYS)} holidays")
    print(
        f"  deadlines: {args.tickets} tickets x {len(TARGETS_HOURS)} targets = {len(requests)}"
        f" (span {span / 86400:.0f} days)"
    )
    print(
        f"  ours  (_compute_deadline_batch): {ours_meter.seconds:.3f} s, "
        f"{ours_meter.queries} SQL queries, {per_ours * 1e6:.1f} us per deadline"
    )
    print(
        f"  plan_hours loop ({count} calls):   {oracle_meter.seconds:.1f} s, "
        f"{oracle_meter.queries} SQL queries, {per_oracle * 1e3:.2f} ms per deadline"
    )
    print(f"  ratio (time per deadline): {per_oracle / per_ours:.0f}x")
    print(
        f"  same working time: {count - mismatched_time}/{count}; identical instants: "
        f"{count - divergent}/{count}; plan_hours one block late: {divergent}"
    )
    print(
        f"  oracle get_work_hours_count agrees on a sample of {len(sample)}; "
        f"checks took {check_time:.1f} s"
    )


if __name__ == "__main__":
    main()
