"""The failure modes of `make run` / `make test` give a clear message and a non-zero exit.

Each case runs the real entry point (scripts/dev) in a subprocess with one thing wrong.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from devctl import find_pg_bindir, free_port  # scripts/ is on the path (conftest.py)

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "scripts" / "dev"


@pytest.fixture
def workdir():
    """A scratch folder the postgres user can reach too (pytest's tmp_path is private)."""
    path = Path(tempfile.mkdtemp(prefix="aftersales-test-", dir="/var/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def dev(*args, timeout=60, **env):
    full_env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ODOO_SRC", "PORT", "DB", "RUN_DIR", "PG_BINDIR", "PYTHON")
    }
    full_env.update({key: str(value) for key, value in env.items()})
    started = time.monotonic()
    done = subprocess.run(
        [str(DEV), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    done.seconds = time.monotonic() - started
    return done


def test_port_in_use(workdir):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = dev("run", PORT=port, RUN_DIR=workdir / "run")
    assert done.returncode != 0
    assert f"port {port} is already in use" in done.stderr
    assert "PORT=" in done.stderr
    assert not (workdir / "run").exists(), "nothing is set up when the port is taken"


def test_python_too_old(workdir):
    fake = workdir / "python3.8"
    fake.write_text("#!/bin/sh\necho 3.8\n")
    fake.chmod(0o755)
    done = dev("run", PYTHON=fake)
    assert done.returncode != 0
    assert "Python 3.8" in done.stderr
    assert "needs Python 3.10 or newer" in done.stderr


def test_odoo_src_missing(workdir):
    done = dev("run", ODOO_SRC=workdir / "nowhere", PORT=free_port(), RUN_DIR=workdir / "run")
    assert done.returncode != 0
    assert f"ODOO_SRC={workdir / 'nowhere'} does not exist" in done.stderr


def test_odoo_src_not_a_source_tree(workdir):
    done = dev("run", ODOO_SRC=workdir, PORT=free_port(), RUN_DIR=workdir / "run")
    assert done.returncode != 0
    assert "is not an Odoo source tree" in done.stderr
    assert "odoo/release.py does not exist" in done.stderr


def test_odoo_src_wrong_version(workdir):
    release = workdir / "odoo" / "release.py"
    release.parent.mkdir()
    release.write_text("version_info = (18, 0, 0, 'final', 0, '')\n")
    done = dev("run", ODOO_SRC=workdir, PORT=free_port(), RUN_DIR=workdir / "run")
    assert done.returncode != 0
    assert "Odoo 18.0 found" in done.stderr
    assert "need Odoo 19.0" in done.stderr


def test_no_odoo_anywhere(workdir):
    """An interpreter without Odoo, no ODOO_SRC, no download: the three ways are named."""
    bare = workdir / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    closed = free_port()
    done = dev(
        "run",
        PYTHON=bare / "bin" / "python",
        VENV=workdir / "venv",
        PORT=free_port(),
        RUN_DIR=workdir / "run",
        ODOO_DOWNLOAD_URL=f"http://127.0.0.1:{closed}/odoo_19.0.latest.tar.gz",
    )
    assert done.returncode != 0
    assert "Odoo 19.0 was not found" in done.stderr
    for way in ("importable from the Python interpreter", "ODOO_SRC=", "download"):
        assert way in done.stderr
    assert done.seconds < 30, "it stops in seconds"


def test_postgres_will_not_start(workdir):
    """A cluster whose configuration is broken: the message points at its log."""
    if not shutil.which("runuser") and os.geteuid() == 0:
        pytest.skip("runuser is needed to run PostgreSQL as root")
    run_dir = workdir / "run"
    run_dir.mkdir()
    prefix = []
    if os.geteuid() == 0:
        shutil.chown(run_dir, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    bindir = find_pg_bindir("")
    data = run_dir / "pg" / "data"
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    with open(data / "postgresql.conf", "a") as conf:
        conf.write("shared_buffers = 'plenty'\n")
    done = dev("run", PORT=free_port(), RUN_DIR=run_dir, timeout=300)
    assert done.returncode != 0
    assert "PostgreSQL did not start" in done.stderr
    assert "postgresql.log" in done.stderr
    assert "shared_buffers" in done.stderr
