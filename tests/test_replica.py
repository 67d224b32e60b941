"""R-16: the reports read from a PostgreSQL read replica while writes go to the primary.

`make replica` (scripts/replica.py) starts a streaming hot standby of the private cluster;
Odoo given it (`--db_replica_host`/`--db_replica_port`) serves its read-only routes from it:
the web client's report reads (pivot, graph, list: `formatted_read_group`, `web_search_read`)
and the dashboards' data. Proof: with the replica's replay paused, a ticket created through
the web client (a write: the primary) is missing from the KPI report read through the web
client (the replica) but found through XML-RPC (not a read-only route: the primary); once the
replay resumes, the report counts it.
"""

import os
import shutil
import time
import xmlrpc.client

import pytest
import requests
from conftest import start_odoo, stop_odoo
from devctl import Settings
from replica import replica_of

REPORT = "aftersales.kpi.report"


@pytest.fixture(scope="module")
def replica(odoo_conf):
    replica = replica_of(Settings())
    was_running = replica.running() if replica.data.exists() else False
    replica.ensure()
    try:
        yield replica
    finally:
        replica.psql("SELECT pg_wal_replay_resume()")
        if not was_running:
            replica.stop()
            shutil.rmtree(replica.home, ignore_errors=True)


@pytest.fixture(scope="module")
def server(odoo_conf, replica):
    db = os.environ["AFTERSALES_TEST_DB"]
    url, proc, _log = start_odoo(
        odoo_conf, "-d", db, f"--db-filter=^{db}$", *replica.odoo_args(), name="odoo-replica"
    )
    try:
        yield url, db
    finally:
        stop_odoo(proc)


class WebClient:
    """The web client's JSON-RPC calls, logged in as the administrator."""

    def __init__(self, url, db):
        self.url, self.session = url, requests.Session()
        answer = self.session.post(
            f"{url}/web/session/authenticate",
            json={"params": {"db": db, "login": "admin", "password": "admin"}},
            timeout=120,
        ).json()
        assert "error" not in answer, answer

    def call(self, model, method, *args, **kwargs):
        answer = self.session.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            json={"params": {"model": model, "method": method, "args": args, "kwargs": kwargs}},
            timeout=120,
        ).json()
        assert "error" not in answer, answer["error"]
        return answer["result"]

    def report_tickets(self, marker):
        groups = self.call(
            REPORT,
            "formatted_read_group",
            [["ticket_id.name", "=", marker]],
            [],
            ["ticket_count:sum"],
        )
        return groups[0]["ticket_count:sum"] or 0


def wait_replayed(replica, timeout=60):
    """Until the replica has replayed what the primary has written so far."""
    lsn = replica.primary.psql("SELECT pg_current_wal_lsn()").stdout.strip()
    deadline = time.monotonic() + timeout
    while not replica.replayed(lsn):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.2)


def test_reports_from_the_replica_writes_to_the_primary(server, replica):
    url, db = server
    client = WebClient(url, db)
    marker = f"replica probe {time.time()}"
    wait_replayed(replica)
    assert replica.psql("SELECT pg_is_in_recovery()").stdout.strip() == "t"
    replica.psql("SELECT pg_wal_replay_pause()")
    ticket = client.call("aftersales.ticket", "create", [{"name": marker}])[0]
    try:
        # the write went to the primary: XML-RPC (never the replica) finds the ticket
        rpc = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(
            db, "admin", "admin", {}
        )
        found = rpc.execute_kw(
            db, uid, "admin", "aftersales.ticket", "search_count", [[["name", "=", marker]]]
        )
        assert found == 1
        # the report read is served by the paused replica: it does not have the ticket yet
        assert client.report_tickets(marker) == 0
        replica.psql("SELECT pg_wal_replay_resume()")
        wait_replayed(replica)
        assert client.report_tickets(marker) == 1
    finally:
        replica.psql("SELECT pg_wal_replay_resume()")
        client.call("aftersales.ticket", "unlink", [ticket])
