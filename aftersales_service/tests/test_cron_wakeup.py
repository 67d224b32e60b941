import os
import select
import time

import psycopg2

from odoo import sql_db
from odoo.tests import tagged

from ..models.progress import cron_wakeup
from ..models.progress.cron_wakeup import wake_cron_workers
from .common import AftersalesCase


def listening_worker():
    """A connection that listens as Odoo's cron workers do: on `postgres`, channel
    cron_trigger."""
    _dbname, info = sql_db.connection_info_for("postgres")
    connection = psycopg2.connect(**info)
    connection.autocommit = True
    with connection.cursor() as cr:
        cr.execute("LISTEN cron_trigger")
    return connection


def notified(connection, expected, timeout=5.0):
    """The payloads of cron_trigger the connection received, waiting for `expected` of them
    at most `timeout` seconds."""
    payloads = []
    deadline = time.monotonic() + timeout
    while len(payloads) < expected and time.monotonic() < deadline:
        select.select([connection], [], [], max(deadline - time.monotonic(), 0))
        connection.poll()
        payloads += [n.payload for n in connection.notifies if n.channel == "cron_trigger"]
        connection.notifies.clear()
    return payloads


@tagged("post_install", "-at_install")
class TestCronWakeup(AftersalesCase):
    def setUp(self):
        super().setUp()
        self.worker = listening_worker()
        self.addCleanup(self.worker.close)
        self.dbname = self.env.cr.dbname

    def test_wakes_the_cron_workers_through_one_kept_connection(self):
        """Each wake-up reaches the listening workers, through the same connection: no
        backend of PostgreSQL started and ended for each (Odoo's _notifydb opens one)."""
        self.assertTrue(wake_cron_workers(self.dbname))
        backend = cron_wakeup._connect().get_backend_pid()
        for _i in range(3):
            self.assertTrue(wake_cron_workers(self.dbname))
        self.assertEqual(notified(self.worker, 4), [self.dbname] * 4)
        self.assertEqual(cron_wakeup._connect().get_backend_pid(), backend, "kept")

    def test_a_lost_connection_is_opened_again(self):
        """A connection ended by the server (restart, idle timeout) is replaced at the next
        wake-up, which still reaches the workers."""
        wake_cron_workers(self.dbname)
        backend = cron_wakeup._connect().get_backend_pid()
        self.env.cr.execute("SELECT pg_terminate_backend(%s)", [backend])
        self.assertTrue(self.env.cr.fetchone()[0])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the backend ends
            self.env.cr.execute("SELECT pg_stat_clear_snapshot()")
            self.env.cr.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend])
            if not self.env.cr.fetchone():
                break
            time.sleep(0.05)
        self.assertTrue(wake_cron_workers(self.dbname))
        self.assertNotEqual(cron_wakeup._connect().get_backend_pid(), backend)
        self.assertEqual(notified(self.worker, 2), [self.dbname] * 2)

    def test_a_forked_process_wakes_through_its_own_connection(self):
        """Odoo's prefork server forks its workers from the main process: a worker must not
        share its parent's connection (their messages would mix on one session), and the
        parent's connection must outlive the worker."""
        wake_cron_workers(self.dbname)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: wake, tell its backend, leave without cleaning up
            try:
                ok = wake_cron_workers(self.dbname)
                os.write(write, f"{ok} {cron_wakeup._connect().get_backend_pid()}".encode())
            finally:
                os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        with os.fdopen(read) as answer:
            ok, child_backend = answer.read().split()
        self.assertEqual(ok, "True")
        self.assertTrue(wake_cron_workers(self.dbname), "the parent's connection still works")
        self.assertNotEqual(int(child_backend), cron_wakeup._connect().get_backend_pid())
        self.assertEqual(notified(self.worker, 3), [self.dbname] * 3)
