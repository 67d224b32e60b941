"""Smoke test: the real HTTP server with both addons answers a real HTTP client."""

import re

import requests


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
