"""A process of the exactly-once test (tests/test_cron_exactly_once.py): one Odoo cron worker.

Usage: python cron_worker.py CONF DB ACTION [START]

ACTION: ``setup DUE`` (due SLA timers committed in the database, as B3 makes them), ``cron``
(run the escalation job the way Odoo's cron workers run it: acquire the job, run it, commit),
``direct`` (call the job's method without the cron's lock, as a second server started by hand
would), ``count`` (print the notes and logs per ticket as JSON), ``cleanup``. START, a Unix
time: the processes of a test wait for it, so they run at the same moment.
"""

import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

NAME = "First Response (B3)"  # the timers' name in b3_escalation_cron.setup


def main(conf, db, action, *rest):
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = Registry(db)
    if action == "setup":
        import b3_escalation_cron

        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            b3_escalation_cron.setup(env, int(rest[0]) * 3, int(rest[0]))
            cron = env.ref("aftersales_service_sla.ir_cron_aftersales_sla_escalate")
            cron.write({"nextcall": "2000-01-01 00:00:00", "active": True})
        return
    if action in ("cron", "direct"):
        start = float(rest[0])
        time.sleep(max(0.0, start - time.time()))
        if action == "cron":
            from odoo.addons.base.models.ir_cron import IrCron

            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                job = env.ref("aftersales_service_sla.ir_cron_aftersales_sla_escalate").id
            with odoo.sql_db.db_connect(db).cursor() as cron_cr:
                IrCron._process_jobs_loop(cron_cr, job_ids=[job])
        else:
            import psycopg2

            processed = 0
            for _attempt in range(5):
                try:
                    with registry.cursor() as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        processed += env["aftersales.ticket.sla"]._escalate_due(limit=10**6)
                except psycopg2.extensions.TransactionRollbackError:
                    continue  # the other process updated them first: try again, as a cron would
                break
            print(processed)
        return
    with registry.cursor() as cr:
        if action == "count":
            cr.execute(
                """SELECT t.id,
                          (SELECT count(*) FROM mail_message m
                            WHERE m.model = 'aftersales.ticket' AND m.res_id = t.id
                              AND m.body LIKE '%%SLA escalation%%'),
                          (SELECT count(*) FROM aftersales_sla_escalation_log l
                            WHERE l.ticket_id = t.id)
                     FROM aftersales_ticket t
                     JOIN aftersales_ticket_sla s ON s.ticket_id = t.id AND s.name = %s
                    WHERE s.is_breached""",
                [NAME],
            )
            print(json.dumps(cr.fetchall()))
        elif action == "cleanup":
            cr.execute(
                "SELECT ticket_id, policy_id FROM aftersales_ticket_sla WHERE name = %s", [NAME]
            )
            rows = cr.fetchall()
            tickets = list({row[0] for row in rows}) or [0]
            policies = list({row[1] for row in rows}) or [0]
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'aftersales.ticket' AND res_id = ANY(%s)",
                [tickets],
            )
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'aftersales.ticket' "
                "AND res_id = ANY(%s)",
                [tickets],
            )
            cr.execute("DELETE FROM aftersales_ticket WHERE id = ANY(%s)", [tickets])
            cr.execute("DELETE FROM aftersales_sla_policy WHERE id = ANY(%s)", [policies])


if __name__ == "__main__":
    main(*sys.argv[1:])
