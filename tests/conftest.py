"""Shared fixtures of the repository-level tests.

`make test` runs these with pytest-odoo against the database it has just installed the
addons into, and passes the Odoo configuration in AFTERSALES_ODOO_CONF.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent
# the harness's own helpers (standard library only), for these tests too
sys.path.insert(0, str(REPO / "scripts"))
from devctl import SERVER_SCRIPT, Settings, free_port, our_server_pid, stop_server  # noqa: E402

#: HTTP worker processes of the `make run` server the smoke tests run against
RUN_WORKERS = 4


@pytest.fixture(scope="session")
def odoo_conf():
    conf = os.environ.get("AFTERSALES_ODOO_CONF")
    if not conf:
        pytest.skip("AFTERSALES_ODOO_CONF is not set: run the tests with `make test`")
    return conf


def start_odoo(odoo_conf, *args, health="/web/login", name="odoo-smoke"):
    """Start `python -m odoo -c odoo_conf *args` on a free port; poll `health` until it
    answers 200. Returns (url, process, log path); stop it with `stop_odoo`."""
    python = os.environ.get("AFTERSALES_VENV_PYTHON", sys.executable)
    port = free_port()
    log = Path(tempfile.mkdtemp()) / f"{name}.log"
    cmd = [python, str(SERVER_SCRIPT), "-c", odoo_conf, *args, f"--http-port={port}"]
    cmd += ["--max-cron-threads=0", f"--logfile={log}"]
    proc = subprocess.Popen(cmd, cwd=tempfile.gettempdir(), start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    # poll until Odoo answers (or exits, or the deadline passes)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Odoo exited early: see {log}")
        try:
            # the first request of a fresh database builds the assets: be patient
            if requests.get(f"{url}{health}", timeout=60).status_code == 200:
                return url, proc, log
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop_odoo(proc)
    pytest.fail(f"Odoo did not answer on {url}: see {log}")


def stop_odoo(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def odoo_server(odoo_conf):
    """`make run WORKERS=4` itself (scripts/dev run): Odoo's multi-process server with 4 HTTP
    workers under the production limits, on the test database."""
    settings = Settings()
    if our_server_pid(settings):
        pytest.skip("a `make run` server of this checkout is running: `make stop` first")
    db = os.environ["AFTERSALES_TEST_DB"]
    port = free_port()
    env = dict(os.environ, DB=db, PORT=str(port), WORKERS=str(RUN_WORKERS))
    done = subprocess.run(
        [str(REPO / "scripts" / "dev"), "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"make run failed:\n{done.stdout}\n{done.stderr}"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(settings)
