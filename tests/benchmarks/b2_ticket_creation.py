"""B2: 1,000 tickets created in one batch with their SLA, ours vs OCA helpdesk_mgmt_sla.

Usage:
    python3 tests/benchmarks/b2_ticket_creation.py --db DB [--oca-db OCA_DB]
        [--config .run/odoo.conf] [--tickets 1000]

DB has aftersales_service_sla installed. OCA_DB (default: DB) has the OCA addons helpdesk_mgmt
and helpdesk_mgmt_sla 19.0 installed; they come from PyPI. To keep them out of the
interpreter's site-packages, install them in a folder of their own and add it to the
addons path of a copy of the configuration:

    pip install --no-deps --target /tmp/oca odoo-addon-helpdesk-mgmt odoo-addon-helpdesk-mgmt-sla
    sed 's#^addons_path = .*#&,/tmp/oca/odoo/addons#' .run/odoo.conf > /tmp/bench.conf
    python3 -m odoo -c /tmp/bench.conf -d OCA_DB -i helpdesk_mgmt_sla --stop-after-init

and pass `--config /tmp/bench.conf`.

Without an OCA database (or with --skip-oca) only our figures are printed. Every measurement runs
in its own transaction, rolled back, after a warm-up batch:

* ours: `aftersales.ticket.create()` of N tickets of a customer, each matching a policy with
  three targets (first response, on-site arrival, resolution) on the Chinese working calendar,
  each acknowledged to the customer by mail (the stage template of *New*); then the same
  batch with the policies archived, to isolate the SLA part; then the SLA part of a batch ten
  times smaller (its queries do not grow with the batch);
* OCA: `helpdesk.ticket.create()` of N tickets of a team using SLA with one SLA (8 working hours
  on the same kind of calendar), without a customer and so without a mail; then without SLA
  on the team.

The SLA part of each is also measured alone on the created batch: their timers are removed and
started again (`_sla_start()` for ours, `set_sla()` for OCA's). Each figure is the best of two
runs. Prints milliseconds and SQL queries per ticket.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bench import Meter, odoo_env, parser


def measure_batch(env, Ticket, vals, count, timers_field, restart):
    """Create `count` tickets in one batch after a warm-up batch. With `restart`, also time
    the SLA part alone: the batch's timers (`timers_field`) removed and started again by
    `restart(tickets)`. Returns the meter (with `.sla`) and the number of timers created."""
    Ticket.create(vals(20))  # warm-up
    env.invalidate_all()
    with Meter(env) as meter:
        tickets = Ticket.create(vals(count))
    timers = len(tickets[timers_field])
    if restart:
        tickets[timers_field].unlink()
        env.invalidate_all()
        with Meter(env) as sla_meter:
            restart(tickets)
        meter.sla = sla_meter
    return meter, timers


def our_batch(args, count, with_sla):
    from odoo.fields import Command

    with odoo_env(args) as env:
        calendar = env.ref("aftersales_service_sla.resource_calendar_cn")
        team = env["aftersales.team"].create(
            {"name": "B2 team", "resource_calendar_id": calendar.id}
        )
        partner = env["res.partner"].create({"name": "B2 customer", "is_company": True})
        env["aftersales.sla.policy"].search([]).active = False
        if with_sla:
            env["aftersales.sla.policy"].create(
                {
                    "name": "B2 policy",
                    "partner_ids": [Command.set(partner.ids)],
                    "resource_calendar_id": calendar.id,
                    "target_ids": [
                        Command.create({"kind": "first_response", "time_hours": 2}),
                        Command.create({"kind": "onsite", "time_hours": 8}),
                        Command.create({"kind": "resolution", "time_hours": 24}),
                    ],
                }
            )
        Ticket = env["aftersales.ticket"]

        def vals(n):
            return [
                {"name": f"B2 ticket {i}", "partner_id": partner.id, "team_id": team.id}
                for i in range(n)
            ]

        restart = with_sla and (lambda tickets: tickets._sla_start())
        return measure_batch(env, Ticket, vals, count, "sla_ids", restart)


def oca_batch(args, count, with_sla):
    with odoo_env(args) as env:
        calendar = env["resource.calendar"].search([], limit=1)
        if "aftersales.sla.policy" in env:
            calendar = env.ref("aftersales_service_sla.resource_calendar_cn")
        team = env["helpdesk.ticket.team"].create(
            {"name": "B2 OCA team", "use_sla": with_sla, "resource_calendar_id": calendar.id}
        )
        env["helpdesk.sla"].search([]).active = False
        if with_sla:
            env["helpdesk.sla"].create(
                {"name": "B2 SLA", "team_ids": [(6, 0, team.ids)], "hours": 8, "days": 0}
            )
        Ticket = env["helpdesk.ticket"]

        def vals(n):
            return [
                {"name": f"B2 OCA ticket {i}", "description": "<p>x</p>", "team_id": team.id}
                for i in range(n)
            ]

        # their create() runs set_sla() on the new tickets
        restart = with_sla and (lambda tickets: tickets.set_sla())
        return measure_batch(env, Ticket, vals, count, "ticket_sla_ids", restart)


ROUNDS = 2
GOAL = 0.8  # ours at most 0.8x OCA's time per ticket


def best(function, args, count, with_sla):
    """The fastest of ROUNDS runs (the machine may be busy)."""
    runs = [function(args, count, with_sla) for _round in range(ROUNDS)]
    return min(runs, key=lambda run: run[0].seconds)


def line(label, meter, count, timers):
    return (
        f"  {label:<34} {meter.seconds * 1e3 / count:7.2f} ms/ticket  "
        f"{meter.queries / count:6.2f} queries/ticket  ({meter.seconds:.2f} s, "
        f"{meter.queries} queries, {timers} SLA timers)"
    )


def main():
    args_parser = parser(__doc__)
    args_parser.add_argument("--oca-db", help="database with helpdesk_mgmt_sla (default: --db)")
    args_parser.add_argument("--tickets", type=int, default=1000)
    args_parser.add_argument("--skip-oca", action="store_true")
    args = args_parser.parse_args()
    n = args.tickets
    small = max(n // 10, 1)
    ours, ours_timers = best(our_batch, args, n, True)
    bare, _timers = best(our_batch, args, n, False)
    ours_small, _small_timers = best(our_batch, args, small, True)
    print(f"B2 - {n} tickets created in one batch (best of {ROUNDS} runs)")
    print(line("ours, 3 SLA targets a ticket", ours, n, ours_timers))
    print(line("ours without SLA", bare, n, 0))
    print(
        f"  our SLA part (timers started on the batch): {ours.sla.seconds * 1e3 / n:.2f} ms/ticket,"
        f" {ours.sla.queries} queries for the batch of {n}, {ours_small.sla.queries} for a batch"
        f" of {small}"
    )
    if args.skip_oca:
        return
    oca_args = parser(__doc__).parse_args(["--db", args.oca_db or args.db, "--config", args.config])
    try:
        oca, oca_timers = best(oca_batch, oca_args, n, True)
        oca_bare, _timers = best(oca_batch, oca_args, n, False)
    except KeyError as error:
        print(f"  OCA: {error} is not installed in {oca_args.db}: skipped")
        return
    print(line("OCA helpdesk_mgmt_sla, 1 SLA", oca, n, oca_timers))
    print(line("OCA without SLA", oca_bare, n, 0))
    print(
        f"  OCA SLA part (set_sla on the batch): {oca.sla.seconds * 1e3 / n:.2f} ms/ticket, "
        f"{oca.sla.queries / n:.2f} queries/ticket"
    )
    ratio = ours.seconds / oca.seconds
    print(
        f"  ours / OCA time per ticket: {ratio:.2f} (whole creation, goal <= {GOAL}: "
        f"{'met' if ratio <= GOAL else 'MISSED'}), "
        f"{ours.sla.seconds / oca.sla.seconds:.2f} (SLA part: 3 timers against 1)"
    )


if __name__ == "__main__":
    main()
