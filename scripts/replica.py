"""`make replica`: a streaming read replica of the private PostgreSQL cluster.

Odoo 18+ sends the requests of read-only routes (the web client's reads: lists, pivots,
graphs, report and dashboard data) to a replica when it is given one with
``--db_replica_host``/``--db_replica_port``; everything that writes goes to the primary.
This starts a hot standby of the checkout's cluster (``pg_basebackup -R``, WAL streaming over
the cluster's Unix socket) on PG_REPLICA_PORT (default PG_PORT + 1); `make run` passes the
options to Odoo while it runs, `make stop` stops it with the primary. Standard library only.
"""

import os
import shutil
import subprocess

from devctl import Fail, Postgres, prepare, say


class Replica(Postgres):
    """A hot standby of the checkout's cluster: own data directory, socket and port."""

    def __init__(self, s, primary):
        super().__init__(s)
        self.primary = primary
        self.home = primary.home.with_name(primary.home.name + "-replica")
        self.data = self.home / "data"
        self.socket_dir = self.home / "socket"
        self.log = self.home / "postgresql.log"
        self.port = int(os.environ.get("PG_REPLICA_PORT") or s.pg_port + 1)

    def ensure(self):
        self.home.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self.as_root:
            shutil.chown(self.home, self.OWNER)
            shutil.chown(self.socket_dir, self.OWNER)
        if not (self.data / "standby.signal").exists():
            shutil.rmtree(self.data, ignore_errors=True)
            say(f"copying the cluster into the replica {self.data} (pg_basebackup)")
            backup = subprocess.run(
                self._cmd(
                    "pg_basebackup",
                    "-h",
                    str(self.primary.socket_dir),
                    "-p",
                    str(self.s.pg_port),
                    "-U",
                    "postgres",
                    "-D",
                    str(self.data),
                    "-R",  # standby.signal + primary_conninfo: a streaming standby
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                ),
                capture_output=True,
                text=True,
                check=False,
            )
            if backup.returncode:
                raise Fail(f"pg_basebackup failed:\n{backup.stderr.strip()}")
        if not self.running():
            self.start()

    def start(self):
        options = (
            f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c hot_standby=on "
            f"-c fsync=off"
        )
        started = subprocess.run(
            self._cmd(
                "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start"
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if started.returncode or not self.running():
            raise Fail(
                f"the replica did not start: see {self.log}. Remove {self.home} to copy the "
                f"cluster again."
            )

    def odoo_args(self):
        """The options giving Odoo this replica."""
        return [f"--db_replica_host={self.socket_dir}", f"--db_replica_port={self.port}"]

    def replayed(self, lsn):
        """Whether the replica has replayed the primary's WAL up to `lsn`."""
        out = self.psql(f"SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '{lsn}') >= 0")
        return out.stdout.strip() == "t"


def replica_of(s, pg=None):
    """The replica of this checkout's cluster (not started)."""
    return Replica(s, pg or Postgres(s))


def running_replica(s, pg):
    """The replica if it runs, else None."""
    replica = replica_of(s, pg)
    return replica if (replica.data / "standby.signal").exists() and replica.running() else None


def cmd_replica(s):
    pg = prepare(s)
    replica = replica_of(s, pg)
    replica.ensure()
    say(f"read replica running: socket {replica.socket_dir}, port {replica.port}")
    say(f"Odoo uses it with: {' '.join(replica.odoo_args())} (make run adds them)")
    return 0
