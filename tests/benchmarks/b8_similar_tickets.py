"""B8: the similar solved tickets of a new ticket, looked up among 100,000 closed tickets.

Usage:
    python3 tests/benchmarks/b8_similar_tickets.py --db DB [--config .run/odoo.conf]
        [--tickets 100000] [--lookups 200]

DB is a dedicated database where aftersales_service is installed: the closed tickets are
inserted once with SQL and committed, so that later runs measure at once. They are named
``B8 ...`` and spread over 50 machines in 10 product categories; each has a fault in Chinese
or in English (one of 40 faults, with a word of noise: a part number, a place), its words
(``similar_key``) cut by the addon's own tokenizer. Each lookup then follows the form's path
for a new ticket of a random machine and fault, as an internal user (record rules applied):
``aftersales.ticket._find_similar_tickets`` on a new record, the cache cleared before each.
Prints the median and the 95th percentile, how often the best suggestion has the same fault,
and the plan of the query of the same machine (the closed tickets of the machine through
its index, their words matched on the text search column; the other machines of its
category are searched only when the machine has fewer than five).
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import odoo_env, parser

PREFIX = "B8 "
FAULTS = [
    ("加热圈不加热", "料筒温度上不去"),
    ("液压油泄漏", "油缸密封圈老化"),
    ("电机过热报警", "运行半小时后停机"),
    ("螺杆打滑", "不能正常塑化"),
    ("模具合不上", "合模压力不足"),
    ("触摸屏黑屏", "开机后没有显示"),
    ("温控表显示错误", "热电偶读数跳动"),
    ("油泵噪音很大", "压力波动"),
    ("顶针不动作", "顶出油缸没有压力"),
    ("冷却水漏水", "水管接头松动"),
    ("变频器报过流", "启动时跳闸"),
    ("安全门开关失灵", "门关上仍报警"),
    ("润滑系统报警", "润滑油不足"),
    ("射胶压力不足", "产品缺料"),
    ("料斗干燥机不加热", "原料含水"),
    ("机械手抓取失败", "吸盘没有真空"),
    ("封口温度不稳定", "包装袋封不牢"),
    ("切刀不切断", "刀片磨损"),
    ("传送带跑偏", "皮带张紧不够"),
    ("计数器不准", "传感器脏污"),
    ("Heater band not heating", "barrel temperature stays low"),
    ("Hydraulic oil leaking", "cylinder seal worn"),
    ("Motor overheating alarm", "stops after thirty minutes"),
    ("Screw slipping", "material does not plasticize"),
    ("Mould does not close", "clamping pressure too low"),
    ("Touch screen blank", "no display after power on"),
    ("Temperature controller shows wrong values", "thermocouple reading jumps"),
    ("Oil pump very noisy", "pressure fluctuates"),
    ("Ejector pins not moving", "ejector cylinder without pressure"),
    ("Cooling water leaking", "hose fitting loose"),
    ("Inverter overcurrent fault", "trips at start"),
    ("Safety gate switch faulty", "alarm with the gate closed"),
    ("Lubrication alarm", "lubricant level low"),
    ("Injection pressure too low", "short shots"),
    ("Hopper dryer not heating", "wet resin"),
    ("Robot fails to pick parts", "suction cup without vacuum"),
    ("Sealing temperature unstable", "bags not sealed"),
    ("Cutter does not cut", "blade worn"),
    ("Conveyor belt drifting", "belt tension too low"),
    ("Counter inaccurate", "sensor dirty"),
]
NOISE = ["上海", "广州", "宁波", "苏州", "HX-200", "PS-50", "line 3", "night shift", "客户现场"]
PRODUCTS, CATEGORIES = 50, 10


def build(env, count):
    """The machines, their categories and the closed tickets unless they are there; commit."""
    from odoo.addons.aftersales_service.models.similar.tokens import similarity_tokens

    cr = env.cr
    products = env["product.product"].search([("default_code", "=like", "B8-%")], order="id")
    cr.execute("SELECT count(*) FROM aftersales_ticket WHERE name LIKE %s", [PREFIX + "%"])
    existing = cr.fetchone()[0]
    if existing >= count and len(products) == PRODUCTS:
        return products, 0.0
    started = time.perf_counter()
    if len(products) < PRODUCTS:
        categories = env["product.category"].create(
            [{"name": f"B8 category {n}"} for n in range(CATEGORIES)]
        )
        products = env["product.product"].create(
            [
                {
                    "name": f"B8 machine {n}",
                    "default_code": f"B8-{n}",
                    "type": "consu",
                    "categ_id": categories[n % CATEGORIES].id,
                }
                for n in range(PRODUCTS)
            ]
        )
    closed = env["aftersales.ticket.stage"].search([("is_closed", "=", True)], limit=1)
    team = env["aftersales.team"].search([("company_id", "=", env.company.id)], limit=1)
    team = team or env["aftersales.team"].create({"name": "B8 team"})
    rng = random.Random(8)
    rows = {"name": [], "key": [], "product": [], "categ": [], "days": []}
    for n in range(existing, count):
        subject, detail = FAULTS[rng.randrange(len(FAULTS))]
        product = products[rng.randrange(PRODUCTS)]
        noise = rng.choice(NOISE)
        rows["name"].append(f"{PREFIX}{subject}")
        rows["key"].append(" ".join(similarity_tokens(f"{subject} {noise}", detail, str(n))))
        rows["product"].append(product.id)
        rows["categ"].append(product.categ_id.id)
        rows["days"].append(rng.randrange(1000))
    env.flush_all()
    cr.execute(
        """INSERT INTO aftersales_ticket (number, name, company_id, team_id, stage_id, is_closed,
                                          active, priority, product_id, product_categ_id,
                                          similar_key, resolution, closed_date,
                                          create_uid, create_date, write_uid, write_date)
           SELECT 'B8/' || (%(first)s + t.n), t.name, %(company)s, %(team)s, %(stage)s, TRUE,
                  TRUE, '1', t.product, t.categ, t.key, '<p>Replaced the part.</p>',
                  now() - make_interval(days => t.days), 1, now(), 1, now()
             FROM unnest(%(names)s::varchar[], %(keys)s::text[], %(products)s::int[],
                         %(categs)s::int[], %(days)s::int[])
                  WITH ORDINALITY AS t(name, key, product, categ, days, n)""",
        {
            "first": existing,
            "company": env.company.id,
            "team": team.id,
            "stage": closed.id,
            "names": rows["name"],
            "keys": rows["key"],
            "products": rows["product"],
            "categs": rows["categ"],
            "days": rows["days"],
        },
    )
    cr.execute("ANALYZE aftersales_ticket")
    cr.commit()
    return products, time.perf_counter() - started


def new_ticket(env, product, fault, noise):
    subject, detail = fault
    return env["aftersales.ticket"].new(
        {"name": f"{subject} {noise}", "description": f"<p>{detail}</p>", "product_id": product.id}
    )


def measure(user_env, products, cases):
    timings, right = [], 0
    for product_index, fault_index, noise in cases:
        user_env.invalidate_all()
        product = user_env["product.product"].browse(products[product_index].id)
        ticket = new_ticket(user_env, product, FAULTS[fault_index], noise)
        started = time.perf_counter()
        found = ticket._find_similar_tickets()
        timings.append((time.perf_counter() - started) * 1e3)
        best = found[:1]
        right += bool(best) and best.name == PREFIX + FAULTS[fault_index][0]
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[max(int(len(timings) * 0.95) - 1, 0)],
        "right": right,
        "count": len(cases),
    }


def plan(user_env, products, case):
    product_index, fault_index, noise = case
    product = user_env["product.product"].browse(products[product_index].id)
    ticket = new_ticket(user_env, product, FAULTS[fault_index], noise)
    query = ticket._similar_query(ticket._similar_scopes()[0])
    sql = query.select()
    user_env.cr.execute(SQL_EXPLAIN + sql.code, sql.params)
    return [row[0] for row in user_env.cr.fetchall()]


SQL_EXPLAIN = "EXPLAIN (ANALYZE, BUFFERS) "


def main():
    args_parser = parser(__doc__)
    args_parser.add_argument("--tickets", type=int, default=100000)
    args_parser.add_argument("--lookups", type=int, default=200)
    args = args_parser.parse_args()
    with odoo_env(args) as env:
        products, build_seconds = build(env, args.tickets)
        product_ids = products.ids
    rng = random.Random(88)
    cases = [
        (rng.randrange(PRODUCTS), rng.randrange(len(FAULTS)), rng.choice(NOISE))
        for _n in range(args.lookups)
    ]
    with odoo_env(args) as env:
        products = env["product.product"].browse(product_ids)
        user = env["res.users"].search(
            [
                ("share", "=", False),
                ("group_ids", "in", env.ref("aftersales_service.group_aftersales_manager").id),
                ("id", "!=", env.ref("base.user_root").id),
            ],
            limit=1,
        )
        user_env = env(user=user)
        measure(user_env, products, cases[:5])  # warm-up
        result = measure(user_env, products, cases)
        query_plan = plan(user_env, products, cases[0])
        login = user.login
    print(f"B8 - similar solved tickets among {args.tickets:,} closed tickets")
    if build_seconds:
        print(f"  built the machines and the closed tickets in {build_seconds:.1f} s")
    print(
        f"  lookup: median {result['median']:.2f} ms, p95 {result['p95']:.2f} ms "
        f"({result['count']} lookups as {login}; the best suggestion has the same fault "
        f"in {result['right']} of them)"
    )
    print("  query plan:")
    for line in query_plan:
        print(f"      {line}")


if __name__ == "__main__":
    main()
