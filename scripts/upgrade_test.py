"""`make upgrade-test`: a database made by an old revision is upgraded to the current code.

1. `git archive` of the old revision (UPGRADE_FROM, default fa014a1) into a temp folder;
2. both addons installed from that tree (without demo data) into a fresh database
   `<DB>_upgrade`, and tickets created in several stages by the old code, with the
   satisfaction survey's automation rule switched off as an administrator would;
3. `-u` of both addons with the current tree (no tests), no ERROR/CRITICAL log line allowed;
4. checks in the upgraded database (upgrade_shell.py, run by `odoo shell`).

Each step and check prints one PASS/FAIL/SKIP line; the last line counts them as
`N passed, N failed, N skipped`. The database and the temp folder are removed at the end
(the logs stay in the run folder). Standard library only, like devctl.py, whose helpers
this uses.
"""

import ast
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import devctl
from devctl import ADDONS, REPO, Fail, free_port, say

DEFAULT_FROM = "fa014a1"
SHELL_SCRIPT = Path(__file__).resolve().with_name("upgrade_shell.py")


class Report:
    """One line per step or check; the closing line counts them."""

    def __init__(self):
        self.counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}

    def add(self, name, ok, detail=""):
        status = {True: "PASS", False: "FAIL", None: "SKIP"}[ok]
        self.counts[status] += 1
        print(f"{status}  {name}" + (f" — {detail}" if detail else ""), flush=True)
        return ok

    def closing_line(self):
        return (
            f"{self.counts['PASS']} passed, {self.counts['FAIL']} failed, "
            f"{self.counts['SKIP']} skipped"
        )


def manifest_versions(tree):
    return {
        addon: ast.literal_eval((tree / addon / "__manifest__.py").read_text())["version"]
        for addon in ADDONS
    }


def export_tree(rev, target):
    """Extract revision `rev` of this repository into `target`; the commit's short id."""
    found = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode:
        raise Fail(f"UPGRADE_FROM={rev} is not a commit of this repository")
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", found.stdout.strip()],
        capture_output=True,
        check=False,
    )
    if archive.returncode:
        raise Fail(f"git archive {rev} failed: {archive.stderr.decode(errors='replace')}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return found.stdout.strip()[:10]


def odoo_step(report, name, cmd, log_path, stdin=None, env=None):
    """Run one Odoo command as a step: it passes when Odoo exits with 0 and logs no
    ERROR/CRITICAL line."""
    say(f"{name} (log: {log_path})")
    counts = devctl.run_odoo(cmd, log_path, stdin=stdin, env=env)
    problems = []
    if counts["returncode"]:
        problems.append(f"Odoo exited with {counts['returncode']}")
    if counts["log_errors"]:
        problems.append(f"{counts['log_errors']} ERROR/CRITICAL log line(s)")
    detail = "; ".join(problems) + f" (see {log_path})" if problems else ""
    report.add(name, not problems, detail)
    return counts["returncode"] == 0


def shell_cmd(s, db, *extra):
    return devctl.odoo_cmd(s, "-d", db, *extra, command="shell")


def run_steps(s, report, db, tmp):
    rev = os.environ.get("UPGRADE_FROM") or DEFAULT_FROM
    old_tree = tmp / "old"
    try:
        commit = export_tree(rev, old_tree)
    except Fail as exc:
        report.add(f"export revision {rev} with git archive", False, str(exc))
        return False
    report.add(f"export revision {rev} ({commit}) with git archive", True, str(old_tree))
    odoo_src, _install = devctl.find_odoo(s)
    old_path = ",".join(str(d) for d in [*devctl.addons_dirs(odoo_src), old_tree])
    logs = {step: s.run_dir / f"upgrade-{db}-{step}.log" for step in ("install", "data", "u")}
    snapshot = tmp / "snapshot.json"
    # with Chinese, as our users run it: the upgrade keeps their translations right
    old_cmd = devctl.install_cmd(
        s,
        db,
        ADDONS,
        f"--addons-path={old_path}",
        f"--http-port={free_port()}",
        "--load-language=zh_CN",
    )
    if not odoo_step(
        report, f"install {', '.join(ADDONS)} at {rev}, with zh_CN", old_cmd, logs["install"]
    ):
        return False
    populated = odoo_step(
        report,
        "create tickets (new, dispatched, waiting parts, closed) with the old code, "
        "switch off the survey automation rule",
        shell_cmd(s, db, f"--addons-path={old_path}"),
        logs["data"],
        stdin=SHELL_SCRIPT,
        env={"UPGRADE_STEP": "populate", "UPGRADE_OUT": str(snapshot)},
    )
    if not populated or not snapshot.exists():
        return False
    upgrade_cmd = devctl.odoo_cmd(
        s, "-d", db, "-u", ",".join(ADDONS), "--stop-after-init", f"--http-port={free_port()}"
    )
    return odoo_step(report, "upgrade with the current code (-u)", upgrade_cmd, logs["u"])


def run_checks(s, report, db, tmp):
    results_path = tmp / "results.json"
    log_path = s.run_dir / f"upgrade-{db}-checks.log"
    env = {
        "UPGRADE_STEP": "check",
        "UPGRADE_OUT": str(results_path),
        "UPGRADE_SNAPSHOT": str(tmp / "snapshot.json"),
        "UPGRADE_VERSIONS": json.dumps(manifest_versions(REPO)),
    }
    say(f"checking the upgraded database (log: {log_path})")
    counts = devctl.run_odoo(shell_cmd(s, db), log_path, stdin=SHELL_SCRIPT, env=env)
    if counts["returncode"] or not results_path.exists():
        report.add("checks in the upgraded database", False, f"they did not run: see {log_path}")
        return
    for result in json.loads(results_path.read_text()):
        report.add(result["name"], result["ok"], result["detail"])


def cmd_upgrade_test(s):
    was_running = devctl.cluster_running(s)
    pg = devctl.prepare(s)
    db = f"{s.db}_upgrade"
    tmp = Path(tempfile.mkdtemp(prefix="aftersales-upgrade-"))
    report = Report()
    try:
        pg.drop_db(db)
        if run_steps(s, report, db, tmp):
            run_checks(s, report, db, tmp)
        else:
            report.add("checks in the upgraded database", None, "a step before them failed")
    finally:
        pg.drop_db(db)
        shutil.rmtree(tmp, ignore_errors=True)
        if not was_running:
            pg.stop()
    print(report.closing_line(), flush=True)
    return 1 if report.counts["FAIL"] or not report.counts["PASS"] else 0
