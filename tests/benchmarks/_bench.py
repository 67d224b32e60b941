"""Shared helpers of the benchmark scripts (not a test module: pytest does not collect it)."""

import argparse
import contextlib
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CONF = REPO / ".run" / "odoo.conf"


def parser(doc):
    parser = argparse.ArgumentParser(
        description=doc.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="database with aftersales_service_sla")
    parser.add_argument(
        "--config", default=str(DEFAULT_CONF), help="Odoo configuration (default: %(default)s)"
    )
    return parser


@contextlib.contextmanager
def odoo_env(args, commit=False):
    """An environment (superuser) on the database; rolled back at the end unless `commit`."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        try:
            yield env
        finally:
            if commit:
                cr.commit()
            else:
                cr.rollback()


class Meter:
    """Wall time and SQL queries of a block."""

    def __init__(self, env):
        self.env = env
        self.seconds = self.queries = 0

    def __enter__(self):
        self.env.flush_all()
        self._queries = self.env.cr.sql_log_count
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.env.flush_all()
        self.seconds = time.perf_counter() - self._start
        self.queries = self.env.cr.sql_log_count - self._queries
        return False
