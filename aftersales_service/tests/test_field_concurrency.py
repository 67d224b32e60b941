from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

CONTEXT = {"mail_notrack": True, "tracking_disable": True, "mail_create_nolog": True}
KEY = "concurrency-note-0001"


@tagged("post_install", "-at_install")
class TestFieldConcurrency(TransactionCase):
    """The phone sends the same action twice at the same moment (a retry while the first
    request is still running): two transactions on the real database. The second waits for
    the first's key (here: a lock timeout instead of waiting), and once the first has
    committed, the second (retried, as Odoo retries a request) answers "duplicate"."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            ticket = env["aftersales.ticket"].create(
                {"name": "Concurrency test visit", "number": "CONCURRENCY-FIELD"}
            )
            self.ticket_id = ticket.id
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            env["aftersales.ticket"].browse(self.ticket_id).unlink()

    def _env(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def _apply(self, env):
        return env["aftersales.field.action"]._apply(
            {"key": KEY, "action": "note", "ticket_id": self.ticket_id, "values": {"note": "Hi"}}
        )

    def test_same_key_at_the_same_moment_is_applied_once(self):
        first_env, second_env = self._env(), self._env()
        first = self._apply(first_env)
        self.assertEqual(first["status"], "done")
        # the second request waits for the first one's key: it does not apply the action
        second_env.cr.execute("SET LOCAL lock_timeout = '300ms'")
        with mute_logger("odoo.sql_db"), self.assertRaises(errors.LockNotAvailable):
            self._apply(second_env)
        second_env.cr.rollback()
        second_env.invalidate_all()
        first_env.cr.commit()
        # retried once the first has committed: the key is there, nothing is applied again
        second = self._apply(second_env)
        second_env.cr.commit()
        self.assertEqual(second["status"], "duplicate")
        self.assertEqual(second["result"], first["result"])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            ticket = env["aftersales.ticket"].browse(self.ticket_id)
            notes = ticket.message_ids.filtered(lambda m: m.body and "Hi" in m.body)
            self.assertEqual(len(notes), 1)
            self.assertEqual(env["aftersales.field.action"].search_count([("key", "=", KEY)]), 1)
