"""Wake Odoo's cron workers through a connection this process keeps.

The cron workers wait on ``LISTEN cron_trigger`` in the ``postgres`` database, and Odoo wakes
them (``ir.cron._notifydb()``) through a new connection to it each time: its pool does not
keep connections to ``postgres``. A connection costs PostgreSQL a backend started and ended,
about 5 ms of CPU, for a notification of 0.1 ms. The ticket mail job is woken after each
request that queues a ticket mail (four a ticket's life), so its wake-up keeps one
connection per process.
"""

import logging
import os
import threading

import psycopg2
from psycopg2 import sql

from odoo import sql_db

from odoo.addons.base.models.ir_cron import ODOO_NOTIFY_FUNCTION

_logger = logging.getLogger(__name__)

_lock = threading.Lock()
_connection = None  # this process's connection to `postgres`


def _connect():
    global _connection  # noqa: PLW0603 (one connection per process)
    if _connection is None or _connection.closed:
        _dbname, info = sql_db.connection_info_for("postgres")
        _connection = psycopg2.connect(**info)
        _connection.autocommit = True
    return _connection


def _drop():
    global _connection  # noqa: PLW0603
    if _connection is not None and not _connection.closed:
        _connection.close()
    _connection = None


def _drop_before_fork():
    """A process forks without its connection (Odoo's prefork server forks its workers
    from the main process; a child sharing it would mix its messages with the parent's on
    one session): the child opens its own when it needs one."""
    with _lock:
        _drop()


os.register_at_fork(before=_drop_before_fork)


def wake_cron_workers(dbname):
    """Tell the cron workers that a job of `dbname` is due, as ``ir.cron._notifydb()`` does.
    A connection lost since the last call (server restart, idle timeout) is opened again
    once. Called after the commit: a failure is logged, not raised (the request's work is
    committed, and the workers find the job at their next poll, within a minute)."""
    query = sql.SQL("SELECT {}('cron_trigger', %s)").format(sql.Identifier(ODOO_NOTIFY_FUNCTION))
    with _lock:
        for attempt in (1, 2):
            try:
                with _connect().cursor() as cr:
                    cr.execute(query, [dbname])
                return True
            except psycopg2.Error as error:
                _drop()
                if attempt == 2:
                    _logger.warning(
                        "The cron workers could not be woken (%s): they run the job at their "
                        "next poll.",
                        error,
                    )
    return False
