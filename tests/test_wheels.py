"""R-16: the addons ship as wheels and install from them, the way Odoo shops deploy OCA addons.

`make wheels` builds odoo-addon-aftersales_service and odoo-addon-aftersales_service_sla with
whool into dist/. Here they are installed with pip, offline, into a fresh virtualenv beside
Odoo (Odoo and its requirements from the environment, nothing from this checkout), and Odoo
started from that virtualenv, with an addons path of Odoo's own folders only, installs the SLA
addon (and through its dependency the core addon) into a new database from the wheels.
"""

import configparser
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from devctl import Postgres, Settings

REPO = Path(__file__).resolve().parent.parent
DB_SUFFIX = "_wheels"
FIND_ADDON = (
    "import importlib.util as u; print(u.find_spec('odoo.addons.aftersales_service').origin)"
)


def run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    assert done.returncode == 0, f"{cmd[:4]}...:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheels():
    run([str(REPO / "scripts" / "dev"), "wheels"], cwd=REPO, timeout=600)
    built = sorted((REPO / "dist").glob("odoo_addon_aftersales_*.whl"))
    assert [w.name.split("-")[0] for w in built] == [
        "odoo_addon_aftersales_service",
        "odoo_addon_aftersales_service_sla",
    ]
    return built


@pytest.fixture(scope="module")
def wheel_venv(wheels, tmp_path_factory):
    """A fresh virtualenv beside Odoo: the interpreter's site-packages (where Odoo is
    installed) and Odoo's requirements (the project's environment) visible, then the wheels
    installed from dist/ without an index."""
    python = os.environ.get("AFTERSALES_VENV_PYTHON", sys.executable)
    base = run([python, "-c", "import sys; print(sys._base_executable)"]).strip()
    venv = tmp_path_factory.mktemp("wheels") / "venv"
    run([base, "-m", "venv", "--system-site-packages", str(venv)])
    new_python = str(venv / "bin" / "python")
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run([new_python, "-c", purelib]).strip())
    (site / "odoo-requirements.pth").write_text(run([python, "-c", purelib]).strip() + "\n")
    run(
        [new_python, "-m", "pip", "install", "-q", "--no-index", "--find-links"]
        + [str(REPO / "dist"), "odoo-addon-aftersales_service_sla"]
    )
    return new_python, site


def test_wheels_install_into_odoo(odoo_conf, wheel_venv):
    python, site = wheel_venv
    shown = run([python, "-m", "pip", "list", "--format=freeze"])
    assert "odoo-addon-aftersales-service-sla==19.0." in shown.replace("_", "-")
    assert (site / "odoo" / "addons" / "aftersales_service" / "__manifest__.py").is_file()
    conf = configparser.ConfigParser()
    conf.read(odoo_conf)
    odoo_paths = [p for p in conf["options"]["addons_path"].split(",") if str(REPO) not in p]
    settings = Settings()
    pg = Postgres(settings)
    db = settings.test_db + DB_SUFFIX
    pg.drop_db(db)
    log = Path(tempfile.mkdtemp()) / "wheels-install.log"
    try:
        run(
            [python, "-m", "odoo", "-c", odoo_conf, f"--addons-path={','.join(odoo_paths)}"]
            + ["-d", db, "-i", "aftersales_service_sla", "--stop-after-init"]
            + [f"--logfile={log}", "--max-cron-threads=0"],
            cwd=tempfile.gettempdir(),
            timeout=1200,
        )
        text = log.read_text(errors="replace")
        assert " ERROR " not in text and " CRITICAL " not in text, f"errors in {log}"
        states = pg.psql(
            "SELECT name || '=' || state FROM ir_module_module "
            "WHERE name LIKE 'aftersales_service%' ORDER BY name",
            db=db,
        ).stdout.split()
        assert states == ["aftersales_service=installed", "aftersales_service_sla=installed"]
        where = run(
            [python, "-c", FIND_ADDON],
            cwd=tempfile.gettempdir(),
        )
        assert where.startswith(str(site)), f"loaded from {where}, not from the wheel"
    finally:
        pg.drop_db(db)
