"""B3: the SLA escalation cron with 200,000 running timers of which 1% are due.

Usage:
    python3 tests/benchmarks/b3_escalation_cron.py --db DB [--config .run/odoo.conf]
        [--total 200000] [--small 20000] [--percent 1]

DB is a database where aftersales_service_sla is installed. Each scenario runs in a transaction
that is rolled back: tickets and their running timers are inserted in bulk with SQL (one timer a
ticket, on a 24x7 first-response target with an escalation level at 50%), the due ones with their
level, breach and next action in the past, the others next week. The cron's method
(`aftersales.ticket.sla._cron_escalate`, in its batches; a savepoint each outside a cron where
the cron commits each) then processes them: fires the level (a note on the ticket), marks the
breach, plans the next action.

Scenarios: the small table with 1% due, the big table with 1% due, and the big table with the
small table's number of due timers. The time follows the due timers, not the table size: the
due timers are found through the partial index on next_action_date (the plan is printed).
"""

import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import odoo_env, parser

CRON_BATCH = 100  # aftersales_ticket_sla_escalation.CRON_BATCH


def setup(env, total, due):
    from odoo.fields import Command

    policy = env["aftersales.sla.policy"].create(
        {
            "name": "B3 cron benchmark",
            "time_mode": "24x7",
            "company_id": False,
            "target_ids": [
                Command.create(
                    {
                        "kind": "first_response",
                        "time_hours": 8,
                        "warning_percent": 0,
                        "escalation_ids": [
                            Command.create({"percent": 50, "action": "notify_engineer"})
                        ],
                    }
                )
            ],
        }
    )
    target = policy.target_ids
    env.flush_all()
    cr = env.cr
    company = env.company.id
    now = datetime.now().replace(microsecond=0)
    cr.execute(
        """INSERT INTO aftersales_ticket (name, company_id, number, active, priority,
                                          create_uid, create_date, write_uid, write_date)
           SELECT 'B3 ticket ' || n, %s, 'B3/' || n, TRUE, '1', 1, %s, 1, %s
             FROM generate_series(1, %s) AS n
        RETURNING id""",
        [company, now, now, total],
    )
    ticket_ids = [row[0] for row in cr.fetchall()]
    # the first `due` timers started ten hours ago: the 50% level, the deadline are past
    cr.execute(
        """INSERT INTO aftersales_ticket_sla
                (ticket_id, company_id, name, kind, target_id, policy_id, status, exemption_state,
                 start_date, clock_start, target_seconds, allowed_seconds, used_seconds,
                 paused_seconds, deadline, next_action_date, is_breached, warned,
                 create_uid, create_date, write_uid, write_date)
           SELECT t.id, %(company)s, 'First Response (B3)', 'first_response', %(target)s,
                  %(policy)s, 'running', 'none',
                  CASE WHEN t.n <= %(due)s THEN %(old)s ELSE %(now)s END,
                  CASE WHEN t.n <= %(due)s THEN %(old)s ELSE %(now)s END,
                  28800, 28800, 0, 0,
                  CASE WHEN t.n <= %(due)s THEN %(old)s ELSE %(now)s END + interval '8 hours',
                  CASE WHEN t.n <= %(due)s THEN %(old)s ELSE %(now)s END + interval '4 hours',
                  FALSE, FALSE, 1, %(now)s, 1, %(now)s
             FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS t(id, n)""",
        {
            "company": company,
            "target": target.id,
            "policy": policy.id,
            "due": due,
            "old": now - timedelta(hours=10),
            "now": now,
            "ids": ticket_ids,
        },
    )
    cr.execute("ANALYZE aftersales_ticket")
    cr.execute("ANALYZE aftersales_ticket_sla")
    env.invalidate_all()
    return now


def run(env, now):
    Timer = env["aftersales.ticket.sla"]
    cr = env.cr
    cr.execute(
        "EXPLAIN ANALYZE SELECT id FROM aftersales_ticket_sla WHERE next_action_date <= %s "
        "ORDER BY next_action_date, id LIMIT 500 FOR UPDATE SKIP LOCKED",
        [now],
    )
    plan = [row[0] for row in cr.fetchall()]
    queries = cr.sql_log_count
    started = time.perf_counter()
    processed = Timer._cron_escalate()
    env.flush_all()
    seconds = time.perf_counter() - started
    cr.execute(
        "SELECT count(*) FROM aftersales_sla_escalation_log l "
        "JOIN aftersales_ticket_sla s ON s.id = l.timer_id WHERE s.name = 'First Response (B3)'"
    )
    fired = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*) FROM aftersales_ticket_sla WHERE name = 'First Response (B3)' "
        "AND is_breached"
    )
    breached = cr.fetchone()[0]
    return {
        "processed": processed,
        "seconds": seconds,
        "queries": cr.sql_log_count - queries,
        "fired": fired,
        "breached": breached,
        "plan": plan,
    }


def main():
    args_parser = parser(__doc__)
    args_parser.add_argument("--total", type=int, default=200000)
    args_parser.add_argument("--small", type=int, default=20000)
    args_parser.add_argument("--percent", type=float, default=1.0)
    args = args_parser.parse_args()
    scenarios = [
        (args.small, int(args.small * args.percent / 100)),
        (args.total, int(args.total * args.percent / 100)),
        (args.total, int(args.small * args.percent / 100)),
    ]
    results = []
    for total, due in scenarios:
        with odoo_env(args) as env:
            started = time.perf_counter()
            now = setup(env, total, due)
            setup_seconds = time.perf_counter() - started
            result = run(env, now)
            result.update(total=total, due=due, setup=setup_seconds)
            results.append(result)
    print(f"B3 - SLA escalation cron (batches of {CRON_BATCH}, as the cron runs)")
    for result in results:
        index_line = next(
            (line.strip() for line in result["plan"] if "Index" in line), "no index scan"
        )
        print(
            f"  {result['total']:>7} running timers, {result['due']:>5} due: "
            f"{result['seconds']:.2f} s ({result['seconds'] / max(result['due'], 1) * 1e3:.1f} ms "
            f"per due timer), {result['queries']} queries; fired {result['fired']}, "
            f"breached {result['breached']}, processed {result['processed']} "
            f"(bulk insert {result['setup']:.1f} s)"
        )
        print(f"      due query: {index_line}")
        planning = [line.strip() for line in result["plan"] if "Execution Time" in line]
        if planning:
            print(f"      {planning[0]}")


if __name__ == "__main__":
    main()
