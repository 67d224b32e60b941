"""R-16: the SLA escalation runs exactly once across processes.

Two Odoo processes on the same database, started at the same moment, run the escalation job:
1. as Odoo's cron workers run it (each acquires the job; the job's row lock lets one run it,
   the other skips it), and
2. calling the job's method directly, without the cron's lock (a second server started by hand
   with its own cron thread): the due timers are locked `FOR UPDATE SKIP LOCKED` and each
   (timer, level) is logged once under a unique constraint.
Either way every due timer is escalated once: one escalation log and one note a ticket.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

WORKER = Path(__file__).resolve().parent / "tools" / "cron_worker.py"
DUE = 300  # due timers: three batches of the job


def worker(conf, *args, wait=True):
    python = os.environ.get("AFTERSALES_VENV_PYTHON", sys.executable)
    cmd = [python, str(WORKER), conf, os.environ["AFTERSALES_TEST_DB"], *map(str, args)]
    if not wait:
        return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def due_timers(odoo_conf):
    worker(odoo_conf, "cleanup")
    worker(odoo_conf, "setup", DUE)
    try:
        yield odoo_conf
    finally:
        worker(odoo_conf, "cleanup")


def run_together(conf, action):
    start = time.time() + 3  # both processes are up and have loaded the registry by then
    procs = [worker(conf, action, start, wait=False) for _i in range(2)]
    outputs = [proc.communicate(timeout=600) for proc in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-3000:]
    return [out for out, _err in outputs]


def assert_once(conf):
    rows = json.loads(worker(conf, "count").strip().splitlines()[-1])
    assert len(rows) == DUE, f"{len(rows)} of {DUE} due timers breached"
    twice = [row for row in rows if row[1] != 1 or row[2] != 1]
    assert not twice, f"tickets with other than one note and one log (id, notes, logs): {twice[:5]}"


@pytest.mark.parametrize("action", ["cron", "direct"])
def test_two_processes_escalate_each_timer_once(due_timers, action):
    outputs = run_together(due_timers, action)
    if action == "direct":
        counts = sorted(int(out.strip().splitlines()[-1]) for out in outputs)
        assert sum(counts) == DUE, f"processed per process: {counts}"
    assert_once(due_timers)
