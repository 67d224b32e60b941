"""Smoke test: `make run`'s server with both addons answers real HTTP clients."""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from conftest import RUN_WORKERS
from devctl import Settings


def test_login_page_and_web_client(odoo_server):
    session = requests.Session()
    page = session.get(f"{odoo_server}/web/login", timeout=30)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    logged = session.post(
        f"{odoo_server}/web/login",
        data={"login": "admin", "password": "admin", "csrf_token": token, "redirect": "/odoo"},
        timeout=60,
    )
    assert logged.status_code == 200
    assert "oe_login_form" not in logged.text, "the login was refused"

    client = session.get(f"{odoo_server}/odoo", timeout=60)
    assert client.status_code == 200
    assert client.url.endswith("/odoo")
    assert "__session_info__" in client.text

    menus = session.get(f"{odoo_server}/web/webclient/load_menus", timeout=60)
    assert menus.status_code == 200
    names = {menu["name"] for menu in menus.json().values() if isinstance(menu, dict)}
    assert "After-Sales" in names


def worker_pids(master):
    """The pids of the processes the server started (HTTP workers, the gevent worker)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def test_make_run_serves_with_its_workers(odoo_server):
    """`make run WORKERS=4` is Odoo's prefork server: 4 HTTP workers (and the websocket
    worker) serve concurrent clients, each logging in and reading the tickets over JSON-RPC."""
    master = int((Settings().pidfile).read_text())
    db = os.environ["AFTERSALES_TEST_DB"]
    assert len(worker_pids(master)) >= RUN_WORKERS + 1, "the HTTP workers and the gevent one"

    def one_client(_index):
        session = requests.Session()
        answer = session.post(
            f"{odoo_server}/web/session/authenticate",
            json={"params": {"db": db, "login": "admin", "password": "admin"}},
            timeout=120,
        ).json()
        assert "error" not in answer, answer
        read = session.post(
            f"{odoo_server}/web/dataset/call_kw/aftersales.ticket/search_read",
            json={
                "params": {
                    "model": "aftersales.ticket",
                    "method": "search_read",
                    "args": [[]],
                    "kwargs": {"fields": ["name", "stage_id"], "limit": 5},
                }
            },
            timeout=120,
        ).json()
        assert "error" not in read, read
        return len(read["result"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one_client, range(16)))
    assert len(results) == 16
    assert len(worker_pids(master)) >= RUN_WORKERS + 1, "no worker died under the load"
