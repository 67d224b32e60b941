"""R-9.4 / R-12.2: a request over the limits costs one worker, never the service.

`make run` starts Odoo's multi-process server (`--workers` with time and memory limits,
see scripts/devctl.py). Here the same options start a server with a small
`--limit-time-real`; a request that outlasts it (a test-only probe module loaded for this
server alone, see tests/addons/aftersales_probe_slow) gets its worker killed and recycled,
and the same server then answers a normal request.
"""

import configparser
import sys
import time
from pathlib import Path

import pytest
import requests
from conftest import start_odoo, stop_odoo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from devctl import server_args  # noqa: E402

LIMIT = 3  # seconds: --limit-time-real of this server


@pytest.fixture
def prefork_server(odoo_conf):
    """Odoo's prefork server with `make run`'s options and a 3 s real-time limit, without a
    database (the probe is a server-wide module, served without one)."""
    conf = configparser.ConfigParser()
    conf.read(odoo_conf)
    addons = conf["options"]["addons_path"] + f",{REPO / 'tests' / 'addons'}"
    url, proc, log = start_odoo(
        odoo_conf,
        f"--addons-path={addons}",
        "--load=base,web,aftersales_probe_slow",
        "--db-filter=^aftersales_no_database$",
        *server_args(2, **{"limit-time-real": LIMIT}),
        health="/web/health",
        name="odoo-prefork",
    )
    try:
        yield url, proc, log
    finally:
        stop_odoo(proc)


def test_worker_over_the_time_limit_is_recycled(prefork_server):
    url, proc, log = prefork_server
    started = time.monotonic()
    with pytest.raises(requests.RequestException):
        # the worker is killed after LIMIT seconds: the connection drops, no answer
        requests.get(f"{url}/aftersales_probe/slow", params={"seconds": 60}, timeout=50)
    assert time.monotonic() - started < 50, "the limit stopped the request, not its end"
    assert proc.poll() is None, "the server itself is still running"
    # the same server answers a normal request (another or a recycled worker)
    for _attempt in range(3):
        response = requests.get(f"{url}/web/health", timeout=30)
        assert response.status_code == 200
        assert response.json()["status"] == "pass"
    text = log.read_text(errors="replace")
    assert "timeout after" in text or "Worker" in text, f"no worker recycling logged: {log}"
