from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

# no chatter noise in the committed data
CONTEXT = {"mail_notrack": True, "tracking_disable": True, "mail_create_nolog": True}


@tagged("post_install", "-at_install")
class TestPartsConcurrency(TransactionCase):
    """Two tickets reserve the last unit in two concurrent transactions, on the real database.

    Each transaction must see the data: it is committed by its own cursor before the test and
    removed after it. The test's own transaction is not used.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            self.spare_id = warehouse.aftersales_spare_loc_id.id
            product = env["product.product"].create(
                {"name": "Concurrency Test Valve", "is_storable": True}
            )
            env["stock.quant"]._update_available_quantity(
                product, warehouse.aftersales_spare_loc_id, 1.0
            )
            tickets = env["aftersales.ticket"].create(
                [
                    {
                        "name": f"Concurrency test {index}",
                        "number": f"CONCURRENCY-{index}",
                        "part_line_ids": [Command.create({"product_id": product.id})],
                    }
                    for index in (1, 2)
                ]
            )
            self.product_id = product.id
            self.ticket_ids = tickets.ids
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            tickets = env["aftersales.ticket"].browse(self.ticket_ids).exists()
            pickings = env["stock.picking"].search([("aftersales_ticket_id", "in", tickets.ids)])
            pickings.action_cancel()
            pickings.unlink()
            tickets.unlink()
            product = env["product.product"].browse(self.product_id)
            env["stock.warehouse.orderpoint"].search([("product_id", "=", product.id)]).unlink()
            env["stock.quant"].search([("product_id", "=", product.id)]).unlink()
            product.product_tmpl_id.unlink()

    def _transaction(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        return api.Environment(cr, SUPERUSER_ID, CONTEXT)

    def _assert_exactly_one_reserved(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            first, second = env["aftersales.ticket"].browse(self.ticket_ids)
            quants = env["stock.quant"].search(
                [("product_id", "=", self.product_id), ("location_id", "=", self.spare_id)]
            )
            self.assertEqual(sum(quants.mapped("reserved_quantity")), 1.0)
            self.assertEqual(sum(quants.mapped("quantity")), 1.0)
            self.assertEqual(first.part_line_ids.state, "reserved")
            self.assertEqual(first.part_line_ids.qty_reserved, 1.0)
            self.assertEqual(second.part_line_ids.state, "to_reserve")
            self.assertEqual(second.part_line_ids.qty_reserved, 0.0)
            self.assertEqual(second.stage_id, env.ref("aftersales_service.stage_waiting_parts"))
            self.assertEqual(len(first.parts_picking_ids | second.parts_picking_ids), 2)

    def _retry(self, env, ticket):
        """What odoo.service.model.retrying does after a concurrency error: roll back, start
        a new transaction and call again."""
        env.cr.rollback()
        env.transaction.reset()
        ticket.action_reserve_parts()
        env.cr.commit()

    def test_second_transaction_fails_fast_on_the_locked_quant(self):
        """While the first transaction holds the quant's lock, the second does not wait: its
        reservation fails at once with a NOWAIT lock error (LockNotAvailable); retried after
        the first commits, it sees the unit taken and waits for parts."""
        env1, env2 = self._transaction(), self._transaction()
        first = env1["aftersales.ticket"].browse(self.ticket_ids[0])
        second = env2["aftersales.ticket"].browse(self.ticket_ids[1])
        # both see the last unit free
        self.assertEqual(first.part_line_ids.availability, "available")
        self.assertEqual(second.part_line_ids.availability, "available")
        first.action_reserve_parts()  # the quant stays locked until the first commits
        with self.assertRaises(errors.LockNotAvailable):
            second.action_reserve_parts()
        env1.cr.commit()
        self._retry(env2, second)
        self._assert_exactly_one_reserved()

    def test_second_transaction_read_before_the_first_committed(self):
        env1, env2 = self._transaction(), self._transaction()
        first = env1["aftersales.ticket"].browse(self.ticket_ids[0])
        second = env2["aftersales.ticket"].browse(self.ticket_ids[1])
        # the second transaction reads the stock first: its snapshot has the unit free
        self.assertEqual(second.part_line_ids.availability, "available")
        first.action_reserve_parts()
        env1.cr.commit()
        with self.assertRaises(errors.SerializationFailure):
            second.action_reserve_parts()
        self._retry(env2, second)
        self._assert_exactly_one_reserved()

    def test_same_ticket_reserved_twice_without_stock(self):
        """Two reservations of one ticket with no stock at all: one transfer, not two."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            env["stock.quant"].search([("product_id", "=", self.product_id)]).unlink()
            # already waiting for parts: the reservation does not change the ticket's stage
            env["aftersales.ticket"].browse(self.ticket_ids[0]).with_context(
                aftersales_parts_stage_sync=True
            ).stage_id = env.ref("aftersales_service.stage_waiting_parts")
        env1, env2 = self._transaction(), self._transaction()
        first = env1["aftersales.ticket"].browse(self.ticket_ids[0])
        second = env2["aftersales.ticket"].browse(self.ticket_ids[0])
        # the second transaction sees no open transfer yet
        self.assertFalse(second.parts_picking_ids)
        first.action_reserve_parts()
        env1.cr.commit()
        with self.assertRaises(errors.SerializationFailure):
            second.action_reserve_parts()
        self._retry(env2, second)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
            ticket = env["aftersales.ticket"].browse(self.ticket_ids[0])
            self.assertEqual(len(ticket.parts_picking_ids), 1)
            self.assertEqual(ticket.part_line_ids.move_ids.product_uom_qty, 1.0)
            self.assertEqual(ticket.part_line_ids.state, "to_reserve")
