from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .field_common import FieldCase, png


@tagged("post_install", "-at_install")
class TestFieldVan(FieldCase):
    """车载库存: the engineer's van, parts issued from it, replenishment, old parts due."""

    def van_qty(self, product, van=None):
        return self.env["stock.quant"]._get_available_quantity(product, van or self.van_a1)

    def test_each_engineer_gets_one_van_beside_the_spare_parts(self):
        self.assertTrue(self.van_a1)
        self.assertEqual(self.van_a1.usage, "internal")
        self.assertEqual(self.van_a1.warehouse_id, self.warehouse)
        self.assertFalse(
            self.van_a1.location_id == self.spare
            or self.van_a1.parent_path.startswith(self.spare.parent_path),
            "a reservation from the spare parts never takes what is in a van",
        )
        before = self.env["stock.location"].search_count([("aftersales_van_user_id", "!=", False)])
        self.team_a.sudo().action_create_vans()
        after = self.env["stock.location"].search_count([("aftersales_van_user_id", "!=", False)])
        self.assertEqual(before, after, "engineers keep their van")
        content = self.van_a1._aftersales_van_content()
        self.assertEqual([(c["product"], c["quantity"]) for c in content], [(self.bearing, 5)])

    def test_parts_from_the_van_are_a_real_stock_move(self):
        self.act("part", product_id=self.bearing.id, quantity=2)
        line = self.visit.part_line_ids
        self.assertEqual(line.source, "van")
        self.assertEqual(line.state, "issued")
        self.assertEqual(line.qty_issued, 2)
        move = line.sudo().move_ids
        self.assertEqual(move.state, "done")
        self.assertEqual(move.location_id, self.van_a1)
        self.assertEqual(move.location_dest_id, self.customers)
        self.assertEqual(move.picking_id.aftersales_role, "van_issue")
        self.assertEqual(self.van_qty(self.bearing), 3)
        self.assertEqual(self.van_qty(self.bearing, self.spare), 20, "the warehouse keeps its own")
        self.assertFalse(
            self.visit.parts_picking_ids.filtered(lambda p: p.aftersales_role == "parts")
        )

    def test_more_than_the_van_holds_is_refused(self):
        with self.assertRaisesRegex(UserError, "Your van holds 5.0 Units of Bearing 6204, not 8"):
            self.act("part", product_id=self.bearing.id, quantity=8)
        self.assertFalse(self.visit.part_line_ids)
        self.assertEqual(self.van_qty(self.bearing), 5)
        with self.assertRaisesRegex(UserError, "Choose a part"):
            self.act("part", product_id=0, quantity=1)
        with self.assertRaisesRegex(UserError, "more than zero"):
            self.act("part", product_id=self.bearing.id, quantity=0)
        self.manager._aftersales_van().aftersales_van_user_id = False
        with self.assertRaisesRegex(UserError, "no van stock"):
            self.act("part", user=self.manager, product_id=self.bearing.id, quantity=1)

    def test_same_part_usage_twice_gives_one_move(self):
        key = self.key()
        self.act("part", key=key, product_id=self.bearing.id, quantity=1)
        self.assertEqual(
            self.act("part", key=key, product_id=self.bearing.id, quantity=1)["status"], "duplicate"
        )
        self.assertEqual(len(self.visit.part_line_ids), 1)
        self.assertEqual(len(self.visit.part_line_ids.sudo().move_ids), 1)
        self.assertEqual(self.van_qty(self.bearing), 4)

    def test_van_parts_are_consumed_on_closing(self):
        self.act("part", product_id=self.bearing.id, quantity=1)
        self.act("signature", name="Zhang Wei", signature=png(), work_done="Bearing replaced")
        self.act("close", resolution="Bearing replaced")
        line = self.visit.part_line_ids
        self.assertEqual(line.state, "consumed")
        self.assertIn("Bearing 6204", self.visit.parts_summary)

    def test_replenishment_is_an_internal_transfer(self):
        picking = self.van_a1.with_user(self.engineer_a1)._aftersales_van_replenish(
            [(self.bearing.id, 4)]
        )
        self.assertEqual(picking.picking_type_id, self.warehouse.int_type_id)
        self.assertEqual(picking.location_id, self.spare)
        self.assertEqual(picking.location_dest_id, self.van_a1)
        self.assertEqual(picking.move_ids.product_uom_qty, 4)
        self.assertEqual(picking.state, "assigned")
        self.validate(picking)
        self.assertEqual(self.van_qty(self.bearing), 9)
        with self.assertRaisesRegex(UserError, "your own van"):
            self.van_a1.with_user(self.engineer_b)._aftersales_van_replenish([(self.bearing.id, 1)])
        with self.assertRaisesRegex(UserError, "Choose the parts"):
            self.van_a1.with_user(self.engineer_a1)._aftersales_van_replenish([])

    def warranty_visit(self):
        """A visit of a machine under warranty: its replaced parts are covered."""
        policy = self.env["aftersales.warranty.policy"].create(
            {"name": "Machines", "repair_months": 12, "cover_parts": True}
        )
        self.env["aftersales.warranty"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "lot_id": self.lot.id,
                "policy_id": policy.id,
                "start_date": date.today() - timedelta(days=60),
            }
        )
        ticket = self.create_ticket(
            type_id=self.type_repair.id,
            user_id=self.engineer_a1.id,
            lot_id=self.lot.id,
            planned_visit_date=self.now,
        )
        self.assertTrue(ticket.coverage_parts)
        return ticket

    def test_replaced_parts_under_warranty_owe_their_old_part(self):
        ticket = self.warranty_visit()
        self.act("part", ticket=ticket, product_id=self.bearing.id, quantity=2)
        line = ticket.part_line_ids
        self.assertTrue(line.covered_by_warranty)
        old = self.env["aftersales.old.part"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(old), 1)
        self.assertEqual((old.user_id, old.quantity, old.state), (self.engineer_a1, 2, "due"))
        Old = self.env["aftersales.old.part"]
        self.assertFalse(Old.search([("is_overdue", "=", True)]))
        later = fields.Datetime.now() + timedelta(days=8)
        with patch.object(fields.Datetime, "now", return_value=later):
            self.assertEqual(Old.search([("is_overdue", "=", True)]), old)
            self.company.aftersales_old_part_days = 10
            self.assertFalse(Old.search([("is_overdue", "=", True)]))
            self.assertEqual(Old.search([("is_overdue", "=", False)]), old)
            self.company.aftersales_old_part_days = 7
        # the engineer brings the old parts back to the defective parts location
        line.qty_defective = 2
        picking = ticket.action_receive_defective_parts()
        picking = ticket.sudo().parts_picking_ids.filtered(
            lambda p: p.aftersales_role == "defective"
        )
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        self.validate(picking)
        self.assertEqual(old.state, "returned")
        self.assertTrue(old.returned_date)
        with patch.object(fields.Datetime, "now", return_value=later):
            self.assertFalse(Old.search([("is_overdue", "=", True)]))

    def test_parts_out_of_warranty_owe_nothing(self):
        self.act("part", product_id=self.bearing.id, quantity=1)
        self.assertFalse(self.visit.part_line_ids.covered_by_warranty)
        self.assertFalse(
            self.env["aftersales.old.part"].search([("ticket_id", "=", self.visit.id)])
        )

    def test_parts_from_the_warehouse_owe_their_old_part_on_closing(self):
        ticket = self.warranty_visit()
        ticket.part_line_ids = [Command.create({"product_id": self.bearing.id})]
        ticket.action_reserve_parts()
        picking = ticket.sudo().parts_picking_ids
        self.validate(picking)
        self.assertFalse(ticket.part_line_ids.old_part_ids, "owed once the part is used")
        self.act("signature", ticket=ticket, name="Zhang Wei", signature=png(), work_done="Done")
        self.act("close", ticket=ticket, resolution="Bearing replaced")
        old = ticket.part_line_ids.old_part_ids
        self.assertEqual((old.user_id, old.quantity, old.state), (self.engineer_a1, 1, "due"))
