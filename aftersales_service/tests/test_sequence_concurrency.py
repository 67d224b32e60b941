from odoo import SUPERUSER_ID, api
from odoo.exceptions import ConcurrencyError
from odoo.tests import TransactionCase, tagged

# no chatter noise in the committed data
CONTEXT = {"mail_notrack": True, "tracking_disable": True, "mail_create_nolog": True}
SAVED_CODE = "aftersales.ticket.saved-by-test"


@tagged("post_install", "-at_install")
class TestSequenceConcurrency(TransactionCase):
    """The first two tickets of a company, created at the same moment by two transactions,
    on the real database: one ticket sequence, two numbers.

    The company's ticket sequence is set aside (committed) before the test, as if the
    company had no ticket yet, and put back after it.
    """

    def setUp(self):
        super().setUp()
        self.ticket_ids = []
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            self.company_id = env.company.id
            saved = (
                env["ir.sequence"].with_context(active_test=False).search(self._sequence_domain())
            )
            saved.code = SAVED_CODE
            self.saved_ids = saved.ids
        self.addCleanup(self._remove_data)

    def _sequence_domain(self):
        return [("code", "=", "aftersales.ticket"), ("company_id", "=", self.company_id)]

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            env["aftersales.ticket"].browse(self.ticket_ids).exists().unlink()
            Sequence = env["ir.sequence"].with_context(active_test=False)
            Sequence.search(self._sequence_domain()).unlink()
            env["ir.sequence"].browse(self.saved_ids).code = "aftersales.ticket"

    def _transaction(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def test_first_tickets_of_a_company_share_one_sequence(self):
        env1, env2 = self._transaction(), self._transaction()
        # the second transaction looked before the first created the sequence
        self.assertFalse(env2["ir.sequence"].search(self._sequence_domain()))
        first = env1["aftersales.ticket"].create({"name": "First ticket of the company"})
        env1.cr.commit()
        self.ticket_ids.append(first.id)

        # its snapshot has no sequence: creating one is refused, and Odoo retries; the
        # refused insert is not logged as an error
        with self.assertNoLogs("odoo.sql_db", "ERROR"), self.assertRaises(ConcurrencyError):
            env2["aftersales.ticket"].create({"name": "Second ticket of the company"})
        env2.cr.rollback()
        env2.transaction.reset()
        second = env2["aftersales.ticket"].create({"name": "Second ticket of the company"})
        env2.cr.commit()
        self.ticket_ids.append(second.id)

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            sequences = env["ir.sequence"].search(self._sequence_domain())
            self.assertEqual(len(sequences), 1)
            numbers = env["aftersales.ticket"].browse(self.ticket_ids).mapped("number")
            self.assertEqual(len(set(numbers)), 2, numbers)

    def test_archived_sequence_is_still_used(self):
        """An administrator archived the company's ticket sequence: tickets keep using it
        rather than failing on the unique index."""
        env = self._transaction()
        first = env["aftersales.ticket"].create({"name": "First ticket of the company"})
        env.cr.commit()
        self.ticket_ids.append(first.id)
        sequence = env["ir.sequence"].search(self._sequence_domain())
        sequence.active = False
        second = env["aftersales.ticket"].create({"name": "Second ticket of the company"})
        env.cr.commit()
        self.ticket_ids.append(second.id)
        self.assertNotEqual(first.number, second.number)
        self.assertEqual(
            env["ir.sequence"]
            .with_context(active_test=False)
            .search_count(self._sequence_domain()),
            1,
        )
