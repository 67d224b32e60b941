"""B5: a serial number looked up among 1,000,000 serials, each with its warranty.

Usage:
    python3 tests/benchmarks/b5_warranty_lookup.py --db DB [--config .run/odoo.conf]
        [--serials 1000000] [--lookups 1000] [--without-index 100]

DB is a dedicated database where aftersales_service is installed: the serials and their
warranties are inserted once with SQL (``INSERT ... SELECT generate_series``, a few minutes for a
million) and committed, so that later runs measure at once; they are named ``B5-<n>`` on one
serial-tracked product of one customer. Each lookup then follows the ticket/API path: the serial
found by its exact name as the API does (``stock.lot`` search on ``name``, with the record
rules of an internal user), then its warranty as the ticket does
(``aftersales.ticket._find_warranties`` on a new ticket of that serial). ``--lookups`` random
serials, the cache cleared before each; prints the median and the 95th percentile and the plan
of the serial query. The same is measured without our btree index on ``stock.lot.name`` (only
stock's trigram index left; the index is dropped in a transaction that is rolled back) on
``--without-index`` serials (0: skip).
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import odoo_env, parser

PREFIX = "B5-"
INDEX = "stock_lot_aftersales_serial_idx"


def build(env, count):
    """Insert the serials and their warranties unless they are there; commit."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM stock_lot WHERE name LIKE %s", [PREFIX + "%"])
    existing = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM aftersales_warranty WHERE number LIKE 'B5W/%%'")
    warranties = cr.fetchone()[0]
    product = env["product.product"].search([("default_code", "=", "B5-SERIAL")], limit=1)
    if existing >= count and warranties >= count and product:
        return product, 0.0
    started = time.perf_counter()
    if not product:
        product = env["product.product"].create(
            {
                "name": "B5 serial-tracked product",
                "default_code": "B5-SERIAL",
                "is_storable": True,
                "tracking": "serial",
            }
        )
    partner = env["res.partner"].create({"name": "B5 customer", "is_company": True})
    policy = env["aftersales.warranty.policy"].search([], limit=1)
    env.flush_all()
    company = env.company.id
    cr.execute(
        """INSERT INTO stock_lot (name, product_id, company_id,
                                  create_uid, create_date, write_uid, write_date)
           SELECT %(prefix)s || n, %(product)s, %(company)s, 1, now(), 1, now()
             FROM generate_series(%(first)s, %(count)s) AS n""",
        {
            "prefix": PREFIX,
            "product": product.id,
            "company": company,
            "first": existing + 1,
            "count": count,
        },
    )
    cr.commit()
    cr.execute(
        """INSERT INTO aftersales_warranty (number, company_id, partner_id, policy_id,
                                            commercial_partner_id, product_id, lot_id,
                                            start_date, end_date, state,
                                            create_uid, create_date, write_uid, write_date)
           SELECT 'B5W/' || l.id, %(company)s, %(partner)s, %(policy)s, %(partner)s,
                  l.product_id, l.id,
                  current_date - (l.id %% 700), current_date - (l.id %% 700) + 365,
                  CASE WHEN l.id %% 700 < 365 THEN 'active' ELSE 'expired' END,
                  1, now(), 1, now()
             FROM stock_lot l
            WHERE l.product_id = %(product)s
              AND NOT EXISTS (SELECT 1 FROM aftersales_warranty w WHERE w.lot_id = l.id)""",
        {"company": company, "partner": partner.id, "policy": policy.id, "product": product.id},
    )
    cr.execute("ANALYZE stock_lot")
    cr.execute("ANALYZE aftersales_warranty")
    cr.commit()
    return product, time.perf_counter() - started


def lookup(env, company, name):
    """The API's serial lookup, then the ticket's warranty lookup."""
    lots = env["stock.lot"].search([("name", "=", name)])
    ticket = env["aftersales.ticket"].new(
        {"name": "B5", "company_id": company.id, "lot_id": lots[:1].id}
    )
    return lots, ticket._find_warranties()


def measure(env, user_env, names):
    company = env.company
    timings, found = [], 0
    for name in names:
        user_env.invalidate_all()
        started = time.perf_counter()
        lots, warranties = lookup(user_env, company, name)
        timings.append((time.perf_counter() - started) * 1e3)
        found += bool(lots and warranties and all(warranties.values()))
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[max(int(len(timings) * 0.95) - 1, 0)],
        "found": found,
        "count": len(names),
    }


def plan(env, name):
    query = env["stock.lot"]._search([("name", "=", name)])
    env.cr.execute(f"EXPLAIN ANALYZE {query.select().code}", query.select().params)
    return [row[0] for row in env.cr.fetchall()]


def main():
    args_parser = parser(__doc__)
    args_parser.add_argument("--serials", type=int, default=1000000)
    args_parser.add_argument("--lookups", type=int, default=1000)
    args_parser.add_argument("--without-index", type=int, default=100)
    args = args_parser.parse_args()
    with odoo_env(args) as env:
        _product, build_seconds = build(env, args.serials)
    rng = random.Random(5)
    names = [f"{PREFIX}{rng.randint(1, args.serials)}" for _n in range(args.lookups)]
    with odoo_env(args) as env:
        user = env["res.users"].search(
            [("share", "=", False), ("id", "!=", env.ref("base.user_root").id)], limit=1
        )
        user_env = env(user=user)
        lookup(user_env, env.company, names[0])  # warm-up
        with_index = measure(env, user_env, names)
        with_plan = plan(user_env, names[0])
        without = None
        if args.without_index:
            env.cr.execute(f"DROP INDEX {INDEX}")
            without = measure(env, user_env, names[: args.without_index])
            without_plan = plan(user_env, names[0])
    print(f"B5 - serial and warranty lookup among {args.serials:,} serials")
    if build_seconds:
        print(f"  built the serials and warranties in {build_seconds:.1f} s")
    print(
        f"  with the btree index:  median {with_index['median']:.2f} ms, "
        f"p95 {with_index['p95']:.2f} ms ({with_index['count']} lookups, "
        f"{with_index['found']} warranties found)"
    )
    print("  serial query plan:")
    for line in with_plan:
        print(f"      {line}")
    if without:
        print(
            f"  trigram index only:    median {without['median']:.2f} ms, "
            f"p95 {without['p95']:.2f} ms ({without['count']} lookups)"
        )
        print("  serial query plan:")
        for line in without_plan:
            print(f"      {line}")


if __name__ == "__main__":
    main()
