#!/usr/bin/env python3
"""Benchmark B6: the KPI reports of after-sales on 1,000,000 tickets.

Inserts the tickets with SQL (a few seconds, no ORM), then times the main grouping of each
report as the pivot and graph views ask for it (``_read_group`` through the ORM, record rules
included), and the manager dashboard. Everything is rolled back at the end unless ``--keep``.

Not a test (pytest collects ``test_*.py`` only). Run it on a database where the addons are
installed, e.g.:

    python3 tests/benchmarks/b6_kpi.py --db aftersales
    python3 tests/benchmarks/b6_kpi.py --db h5db --tickets 200000 --conf .run/odoo.conf
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

ENGINEERS = 60
TEAMS = 8
PRODUCTS = 40


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database with aftersales_service installed")
    parser.add_argument("--conf", default=str(REPO / ".run" / "odoo.conf"), help="Odoo config")
    parser.add_argument("--tickets", type=int, default=1_000_000, help="tickets to insert")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each grouping")
    parser.add_argument("--keep", action="store_true", help="commit the generated tickets")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the tickets of an earlier --keep run instead of inserting new ones",
    )
    return parser.parse_args()


def setup_reference_data(env):
    """Engineers in teams, products with faults: what the tickets point to."""
    group = env.ref("aftersales_service.group_aftersales_user")
    users = env["res.users"].create(
        [
            {
                "name": f"B6 Engineer {index:03d}",
                "login": f"b6_engineer_{index:03d}",
                "group_ids": [(4, group.id)],
            }
            for index in range(ENGINEERS)
        ]
    )
    teams = env["aftersales.team"].create(
        [
            {
                "name": f"B6 Team {index}",
                "member_ids": [(6, 0, users[index::TEAMS].ids)],
                "leader_id": users[index].id,
            }
            for index in range(TEAMS)
        ]
    )
    products = env["product.product"].create(
        [{"name": f"B6 Machine {index:02d}", "type": "consu"} for index in range(PRODUCTS)]
    )
    return users, teams, products


def insert_tickets(env, count, users, teams, products):
    types = env["aftersales.ticket.type"].search([]).ids
    faults = env["aftersales.fault.category"].search([]).ids
    tiers = env["aftersales.customer.tier"].search([]).ids
    grades = env["aftersales.complaint.grade"].search([]).ids
    complaint_type = env.ref("aftersales_service.type_complaint").id
    closed = env.ref("aftersales_service.stage_closed").id
    in_progress = env.ref("aftersales_service.stage_in_progress").id
    partner = env["res.partner"].create({"name": "B6 Customer", "is_company": True}).id
    team_of_user = {u.id: teams[i % TEAMS].id for i, u in enumerate(users)}
    env.cr.execute("CREATE TEMP TABLE b6_engineer (n int, user_id int, team_id int) ON COMMIT DROP")
    env.cr.execute(
        "INSERT INTO b6_engineer VALUES "
        + ",".join(
            env.cr.mogrify("(%s, %s, %s)", (n, uid, team_of_user[uid])).decode()
            for n, uid in enumerate(users.ids)
        )
    )
    env.cr.execute(
        """
        INSERT INTO aftersales_ticket (
            number, name, company_id, active, partner_id, commercial_partner_id,
            customer_tier_id, type_id, fault_category_id, product_id, team_id, user_id,
            stage_id, is_closed, priority, create_date, write_date, create_uid, write_uid,
            dispatched_date, closed_date, first_time_fix, is_repeat, is_complaint,
            complaint_grade_id, survey_state, survey_answer_date,
            score_tangibles, score_reliability, score_responsiveness, score_assurance,
            score_empathy, score_overall, cost_parts, cost_labour, cost_travel, cost_total
        )
        SELECT 'B6/' || g, 'B6 ticket ' || g, %(company)s, TRUE, %(partner)s, %(partner)s,
               (%(tiers)s)[1 + g %% cardinality(%(tiers)s)],
               CASE WHEN g %% 33 = 0 THEN %(complaint_type)s
                    ELSE (%(types)s)[1 + g %% cardinality(%(types)s)] END,
               (%(faults)s)[1 + (g / 7) %% cardinality(%(faults)s)],
               (%(products)s)[1 + (g / 3) %% cardinality(%(products)s)],
               e.team_id, e.user_id,
               CASE WHEN g %% 10 = 0 THEN %(in_progress)s ELSE %(closed)s END,
               g %% 10 <> 0, (g %% 4)::varchar, created, created, 1, 1,
               created + (g %% 48) * interval '1 hour',
               CASE WHEN g %% 10 <> 0 THEN created + (4 + g %% 200) * interval '1 hour' END,
               g %% 10 <> 0 AND g %% 9 <> 0, g %% 9 = 0, g %% 33 = 0,
               CASE WHEN g %% 33 = 0 THEN (%(grades)s)[1 + g %% cardinality(%(grades)s)] END,
               CASE WHEN g %% 10 <> 0 AND g %% 3 = 0 THEN 'done' END,
               CASE WHEN g %% 10 <> 0 AND g %% 3 = 0 THEN created + interval '3 days' END,
               CASE WHEN g %% 3 = 0 THEN 25 * (1 + g %% 4) END,
               CASE WHEN g %% 3 = 0 THEN 25 * (1 + (g / 2) %% 4) END,
               CASE WHEN g %% 3 = 0 THEN 25 * ((g / 3) %% 5) END,
               CASE WHEN g %% 3 = 0 THEN 25 * (1 + (g / 5) %% 4) END,
               CASE WHEN g %% 3 = 0 THEN 25 * ((g / 7) %% 5) END,
               CASE WHEN g %% 3 = 0 THEN 25 * (1 + (g / 11) %% 4) END,
               (g %% 50) * 20, (g %% 8) * 100, (g %% 3) * 150,
               (g %% 50) * 20 + (g %% 8) * 100 + (g %% 3) * 150
          FROM generate_series(1, %(count)s) AS g
          JOIN b6_engineer e ON e.n = g %% %(engineers)s
         CROSS JOIN LATERAL (
               SELECT now() - ((g %% 730) * interval '1 day') - ((g %% 24) * interval '1 hour')
                      AS created
         ) AS d
        """,
        {
            "company": env.company.id,
            "partner": partner,
            "tiers": tiers,
            "types": types,
            "faults": faults,
            "products": products.ids,
            "complaint_type": complaint_type,
            "grades": grades,
            "closed": closed,
            "in_progress": in_progress,
            "count": count,
            "engineers": len(users),
        },
    )
    env.cr.execute("ANALYZE aftersales_ticket")


def timed(label, function, repeat):
    durations = []
    result = None
    for _index in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    groups = len(result) if isinstance(result, list) else "-"
    print(
        f"  {label:<58} best {min(durations) * 1000:8.1f} ms   "
        f"median {statistics.median(durations) * 1000:8.1f} ms   groups {groups}"
    )
    return result


def run_reports(env, repeat, engineer):
    Kpi = env["aftersales.kpi.report"]
    Satisfaction = env["aftersales.satisfaction.report"]
    since = env.cr.now() - timedelta(days=90)
    print("Reports (manager, all rows):")
    timed(
        "Engineer performance: by engineer",
        lambda: Kpi._read_group(
            [],
            ["user_id"],
            [
                "closed_count:sum",
                "response_hours:avg",
                "resolution_hours:avg",
                "first_time_fix_rate:avg",
                "repeat_count:sum",
                "score_overall:avg",
            ],
        ),
        repeat,
    )
    timed(
        "Satisfaction trend: by month and dimension",
        lambda: Satisfaction._read_group([], ["date:month", "dimension"], ["score:avg"]),
        repeat,
    )
    timed(
        "Satisfaction: by team and dimension",
        lambda: Satisfaction._read_group([], ["team_id", "dimension"], ["score:avg"]),
        repeat,
    )
    timed(
        "Faults per product: by product and fault category",
        lambda: Kpi._read_group([], ["product_tmpl_id", "fault_category_id"], ["ticket_count:sum"]),
        repeat,
    )
    timed(
        "Complaint rate: by team and quarter",
        lambda: Kpi._read_group(
            [], ["team_id", "date:quarter"], ["ticket_count:sum", "complaint_rate:avg"]
        ),
        repeat,
    )
    timed(
        "Service costs: closed tickets by type",
        lambda: Kpi._read_group(
            [("is_closed", "=", True)],
            ["type_id"],
            ["cost_parts:sum", "cost_labour:sum", "cost_travel:sum", "cost_per_ticket:avg"],
        ),
        repeat,
    )
    timed(
        "Engineer performance: last 90 days by engineer",
        lambda: Kpi._read_group(
            [("date", ">=", since)],
            ["user_id"],
            ["closed_count:sum", "resolution_hours:avg"],
        ),
        repeat,
    )
    Dashboard = env["aftersales.kpi.dashboard"]

    def dashboard(period):
        record = Dashboard.new({"period": period})
        return [record.ticket_count, record.score_overall, record.complaint_rate]

    timed("Manager dashboard: all time", lambda: dashboard("all"), repeat)
    timed("Manager dashboard: last 90 days", lambda: dashboard("last_90"), repeat)
    print("Reports (one engineer, record rules applied):")
    timed(
        "Engineer performance of one engineer: by month",
        lambda: Kpi.with_user(engineer)._read_group(
            [], ["date:month"], ["closed_count:sum", "first_time_fix_rate:avg"]
        ),
        repeat,
    )
    timed(
        "Satisfaction trend of one engineer: by month and dimension",
        lambda: Satisfaction.with_user(engineer)._read_group(
            [], ["date:month", "dimension"], ["score:avg"]
        ),
        repeat,
    )


def main():
    args = parse_args()
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.conf, "-d", args.db])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        users = env["res.users"].search([("login", "=like", "b6_engineer_%")], order="id")
        if args.reuse and users:
            print("B6: reusing the tickets of an earlier --keep run")
        else:
            users, teams, products = setup_reference_data(env)
            insert_tickets(env, args.tickets, users, teams, products)
        env.cr.execute("SELECT count(*) FROM aftersales_ticket")
        total = env.cr.fetchone()[0]
        print(
            f"B6: {total:,} tickets in the table (ready in {time.perf_counter() - start:.1f} s), "
            f"{ENGINEERS} engineers, {TEAMS} teams, {PRODUCTS} products"
        )
        env.invalidate_all()
        run_reports(env, args.repeat, users[0])
        if args.keep:
            cr.commit()
            print("kept the generated tickets (--keep)")
        else:
            cr.rollback()
            print("rolled back")
    return 0


if __name__ == "__main__":
    sys.exit(main())
