from ast import literal_eval
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from ..hooks import post_init_hook
from .parts_common import PartsCase


@tagged("post_install", "-at_install")
class TestPartsSetup(PartsCase):
    def test_existing_warehouse_set_up_at_install(self):
        warehouse = self.warehouse
        self.assertEqual(self.spare.usage, "internal")
        self.assertEqual(self.spare.warehouse_id, warehouse)
        self.assertEqual(self.defective.usage, "internal")
        self.assertFalse(
            self.env["stock.location"].search_count(
                [("id", "=", self.defective.id), ("id", "child_of", warehouse.lot_stock_id.id)]
            ),
            "defective parts are never taken by the deliveries from the stock",
        )
        parts_type = warehouse.aftersales_parts_type_id
        self.assertEqual(parts_type.code, "outgoing")
        self.assertEqual(parts_type.default_location_src_id, self.spare)
        self.assertEqual(parts_type.default_location_dest_id, self.customers)
        returns = warehouse.aftersales_return_type_id
        self.assertEqual(returns.code, "incoming")
        self.assertEqual(returns.default_location_dest_id, self.spare)
        self.assertEqual(parts_type.return_picking_type_id, returns)

    def test_new_warehouse_and_hook(self):
        warehouse = self.env["stock.warehouse"].create({"name": "Guangzhou Depot", "code": "GZD"})
        self.assertEqual(warehouse.aftersales_spare_loc_id.location_id, warehouse.view_location_id)
        self.assertTrue(warehouse.aftersales_defective_loc_id)
        self.assertEqual(warehouse.aftersales_parts_type_id.sequence_id.prefix, "GZD/ASP/")
        self.assertEqual(warehouse.aftersales_return_type_id.warehouse_id, warehouse)
        # a warehouse that existed before the installation: the hook sets it up, once
        warehouse.write(
            {
                "aftersales_spare_loc_id": False,
                "aftersales_defective_loc_id": False,
                "aftersales_parts_type_id": False,
                "aftersales_return_type_id": False,
            }
        )
        post_init_hook(self.env)
        self.assertTrue(warehouse.aftersales_spare_loc_id)
        self.assertTrue(warehouse.aftersales_parts_type_id.active)
        types = warehouse.aftersales_parts_type_id | warehouse.aftersales_return_type_id
        post_init_hook(self.env)
        self.assertEqual(
            warehouse.aftersales_parts_type_id | warehouse.aftersales_return_type_id, types
        )
        self.assertEqual(self.warehouse.aftersales_spare_loc_id, self.spare, "left alone")


@tagged("post_install", "-at_install")
class TestPartsReserve(PartsCase):
    def test_reserve_full_availability(self):
        self.put_in_stock(self.bearing, 10)
        self.put_in_stock(self.board, 1, lot=self.board_lot_1)
        ticket = self.parts_ticket((self.bearing, 2), (self.board, 1))
        stage = ticket.stage_id
        self.assertEqual(set(ticket.part_line_ids.mapped("state")), {"to_reserve"})
        self.assertEqual(set(ticket.part_line_ids.mapped("availability")), {"available"})
        ticket.with_user(self.engineer_a1).action_reserve_parts()
        picking = self.parts_picking(ticket)
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.origin, ticket.number)
        self.assertEqual(picking.aftersales_ticket_id, ticket)
        self.assertEqual(picking.picking_type_id, self.warehouse.aftersales_parts_type_id)
        self.assertEqual(picking.location_id, self.spare)
        self.assertEqual(picking.location_dest_id, self.customers)
        self.assertEqual(picking.partner_id, ticket.partner_id)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(set(ticket.part_line_ids.mapped("state")), {"reserved"})
        self.assertEqual(ticket.part_line_ids.mapped("qty_reserved"), [2.0, 1.0])
        self.assertEqual(ticket.parts_availability, "reserved")
        self.assertEqual(ticket.stage_id, stage, "nothing missing: no waiting")
        # reserving again changes nothing: still one transfer, the same moves
        moves = picking.move_ids
        ticket.action_reserve_parts()
        self.assertEqual(self.parts_picking(ticket), picking)
        self.assertEqual(picking.move_ids, moves)
        self.assertEqual(ticket.parts_picking_count, 1)

    def test_partial_availability_waits_then_receipt_completes(self):
        self.put_in_stock(self.bearing, 1)
        ticket = self.parts_ticket((self.bearing, 3))
        ticket.stage_id = self.stage_in_progress
        line = ticket.part_line_ids
        self.assertEqual(line.availability, "partial")
        ticket.action_reserve_parts()
        picking = self.parts_picking(ticket)
        self.assertEqual(picking.state, "confirmed", "all the parts go together")
        self.assertEqual(line.qty_reserved, 1.0)
        self.assertEqual(line.state, "to_reserve")
        self.assertEqual(line.availability, "partial")
        self.assertEqual(ticket.parts_availability, "waiting")
        self.assertEqual(ticket.stage_id, self.stage_waiting_parts)
        self.assertEqual(ticket.parts_previous_stage_id, self.stage_in_progress)
        # the vendor delivers: the reservation completes and the ticket goes on by itself
        self.receive(self.bearing, 5)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(line.state, "reserved")
        self.assertEqual(ticket.stage_id, self.stage_in_progress)
        self.assertFalse(ticket.parts_previous_stage_id)

    def test_no_availability_waits_then_scheduler_completes(self):
        ticket = self.parts_ticket((self.bearing, 2))
        ticket.action_reserve_parts()
        line = ticket.part_line_ids
        self.assertEqual(line.availability, "unavailable")
        self.assertEqual(line.qty_reserved, 0.0)
        self.assertEqual(ticket.stage_id, self.stage_waiting_parts)
        # stock counted in by an inventory adjustment, then the scheduler reserves
        self.put_in_stock(self.bearing, 2)
        self.assertEqual(ticket.stage_id, self.stage_waiting_parts)
        self.env["stock.rule"].run_scheduler()
        self.assertEqual(line.state, "reserved")
        self.assertEqual(ticket.stage_id, self.stage_new, "back to where it was")

    def test_picking_follows_the_lines(self):
        self.put_in_stock(self.bearing, 10)
        self.put_in_stock(self.board, 2, lot=self.board_lot_1)
        ticket = self.parts_ticket((self.bearing, 4))
        ticket.action_reserve_parts()
        picking = self.parts_picking(ticket)
        bearing_line = ticket.part_line_ids
        # a new line: a new move in the same transfer
        ticket.write({"part_line_ids": [Command.create({"product_id": self.board.id})]})
        ticket.action_reserve_parts()
        self.assertEqual(self.parts_picking(ticket), picking)
        self.assertEqual(picking.move_ids.product_id, self.bearing | self.board)
        # less of a part: the open move shrinks and its reservation follows
        bearing_line.product_uom_qty = 1
        move = bearing_line.move_ids.filtered(lambda m: m.state != "cancel")
        self.assertEqual(move.product_uom_qty, 1.0)
        self.assertEqual(move.quantity, 1.0)
        self.assertEqual(bearing_line.state, "reserved")
        # a line removed: its move is cancelled, the rest stays
        board_line = ticket.part_line_ids - bearing_line
        board_move = board_line.move_ids
        board_line.unlink()
        self.assertEqual(board_move.state, "cancel")
        self.assertEqual(picking.state, "assigned")
        # another part on the line: the old move goes, a new one is reserved
        bearing_line.product_id = self.board
        self.assertEqual(move.state, "cancel")
        self.assertEqual(
            bearing_line.move_ids.filtered(lambda m: m.state == "assigned").product_id, self.board
        )

    def test_two_lines_of_the_same_part_stay_apart(self):
        self.put_in_stock(self.bearing, 10)
        ticket = self.parts_ticket((self.bearing, 1), (self.bearing, 2))
        ticket.action_reserve_parts()
        moves = self.parts_picking(ticket).move_ids
        self.assertEqual(len(moves), 2)
        self.assertEqual(moves.aftersales_part_line_id, ticket.part_line_ids)

    def test_lot_reserved_as_asked(self):
        self.put_in_stock(self.board, 1, lot=self.board_lot_1)
        self.put_in_stock(self.board, 1, lot=self.board_lot_2)
        ticket = self.parts_ticket((self.board, 1, {"lot_id": self.board_lot_2.id}))
        ticket.action_reserve_parts()
        move = ticket.part_line_ids.move_ids
        self.assertEqual(move.state, "assigned")
        self.assertEqual(move.move_line_ids.lot_id, self.board_lot_2)
        self.validate(self.parts_picking(ticket))
        self.assertIn("CB7-2402", ticket.part_line_ids._summary_texts()[0])

    def test_unit_of_measure(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        self.bearing.uom_ids = dozen
        self.put_in_stock(self.bearing, 30)
        ticket = self.parts_ticket((self.bearing, 2, {"product_uom_id": dozen.id}))
        line = ticket.part_line_ids
        self.assertEqual(line.price_unit, 45.0 * 12, "sale price per dozen")
        ticket.action_reserve_parts()
        move = line.move_ids
        self.assertEqual(move.product_uom, dozen)
        self.assertEqual(move.product_qty, 24.0, "24 units leave the stock")
        self.assertEqual(line.qty_reserved, 2.0, "shown in the line's unit")
        self.validate(self.parts_picking(ticket))
        self.assertEqual(line.qty_issued, 2.0)
        quant = self.env["stock.quant"]._gather(self.bearing, self.spare)
        self.assertEqual(sum(quant.mapped("quantity")), 6.0)

    def test_multi_warehouse_uses_the_team_warehouse(self):
        depot = self.env["stock.warehouse"].create({"name": "Guangzhou Depot", "code": "GZD"})
        self.team_b.warehouse_id = depot
        self.put_in_stock(self.bearing, 5)
        self.put_in_stock(self.bearing, 2, location=depot.aftersales_spare_loc_id)
        ticket = self.parts_ticket(
            (self.bearing, 2), team_id=self.team_b.id, partner_id=self.other_customer.id
        )
        self.assertEqual(ticket.parts_warehouse_id, depot)
        ticket.action_reserve_parts()
        picking = self.parts_picking(ticket)
        self.assertEqual(picking.picking_type_id, depot.aftersales_parts_type_id)
        self.assertEqual(picking.location_id, depot.aftersales_spare_loc_id)
        self.assertEqual(picking.move_ids.move_line_ids.location_id, depot.aftersales_spare_loc_id)
        self.assertEqual(picking.state, "assigned")
        # team A has no warehouse of its own: the company's first one
        self.assertEqual(self.parts_ticket((self.bearing, 1)).parts_warehouse_id, self.warehouse)

    def test_dispatch_reserves_parts(self):
        self.put_in_stock(self.bearing, 5)
        ticket = self.parts_ticket((self.bearing, 2))
        self.assertFalse(ticket.parts_picking_ids)
        ticket.user_id = self.engineer_a1
        self.assertEqual(ticket.stage_id, self.stage_dispatched)
        self.assertEqual(self.parts_picking(ticket).state, "assigned")
        # missing parts on dispatch: the ticket waits, and comes back to Dispatched
        waiting = self.parts_ticket((self.bearing, 9), user_id=self.engineer_a2.id)
        self.assertEqual(waiting.stage_id, self.stage_waiting_parts)
        self.assertEqual(waiting.parts_previous_stage_id, self.stage_dispatched)
        self.receive(self.bearing, 10)
        self.assertEqual(waiting.stage_id, self.stage_dispatched)
        # the company setting switches it off
        self.env.company.aftersales_reserve_parts_on_dispatch = False
        manual = self.parts_ticket((self.bearing, 1), user_id=self.engineer_a1.id)
        self.assertEqual(manual.stage_id, self.stage_dispatched)
        self.assertFalse(manual.parts_picking_ids)

    def test_warehouse_parts_to_prepare(self):
        self.put_in_stock(self.bearing, 2)
        soon = self.parts_ticket(
            (self.bearing, 2), planned_visit_date=fields.Datetime.now() + timedelta(days=1)
        )
        later = self.parts_ticket(
            (self.bearing, 2), planned_visit_date=fields.Datetime.now() + timedelta(days=3)
        )
        (soon | later).action_reserve_parts()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.stock_picking_action_aftersales_parts"
        )
        Picking = self.env["stock.picking"].with_user(self.clerk)
        to_prepare = Picking.search(
            literal_eval(action["domain"])
            + [("state", "in", ("confirmed", "waiting", "assigned"))],
            order="aftersales_planned_visit_date",
        )
        self.assertEqual(to_prepare.aftersales_ticket_id, soon | later)
        self.assertEqual(to_prepare[0].aftersales_ticket_id, soon, "next visit first")
        self.assertEqual(to_prepare[0].state, "assigned")
        self.assertEqual(to_prepare[1].state, "confirmed", "the second one waits")
        self.assertEqual(to_prepare[0].aftersales_engineer_id, soon.user_id)
        # the clerk issues the parts as usual
        self.validate(to_prepare[0])
        self.assertEqual(soon.part_line_ids.state, "issued")
        self.assertEqual(soon.parts_availability, "issued")


@tagged("post_install", "-at_install")
class TestPartsAfterIssue(PartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.put_in_stock(cls.bearing, 10)
        cls.put_in_stock(cls.board, 1, lot=cls.board_lot_1)

    def _issued_ticket(self, *lines, **values):
        ticket = self.parts_ticket(*lines, **values)
        ticket.action_reserve_parts()
        self.validate(self.parts_picking(ticket))
        return ticket

    def test_consume_return_and_defective_receipt(self):
        ticket = self._issued_ticket(
            (self.bearing, 3),
            (self.board, 1),
            (self.bearing, 1, {"source": "customer"}),
        )
        bearing, board, own = ticket.part_line_ids
        self.assertEqual((bearing.state, bearing.qty_issued), ("issued", 3.0))
        self.assertEqual(own.state, "issued", "the customer's own part is at hand")
        # one bearing not used comes back, one worn bearing is taken back
        bearing.with_user(self.engineer_a1).write({"qty_unused": 1, "qty_defective": 1})
        ticket.with_user(self.engineer_a1).action_return_unused_parts()
        back = self.parts_picking(ticket, "return")
        self.assertEqual(back.picking_type_id, self.warehouse.aftersales_return_type_id)
        self.assertEqual((back.location_id, back.location_dest_id), (self.customers, self.spare))
        self.assertEqual(back.return_id, self.parts_picking(ticket))
        self.assertEqual(back.move_ids.origin_returned_move_id, bearing.move_ids[0])
        self.assertEqual(back.origin, ticket.number)
        ticket.with_user(self.engineer_a1).action_receive_defective_parts()
        defective = self.parts_picking(ticket, "defective")
        self.assertEqual(defective.location_dest_id, self.defective)
        self.assertEqual(defective.move_ids.product_uom_qty, 1.0)
        with self.assertRaises(UserError):
            ticket.action_receive_defective_parts()  # nothing more to receive
        self.validate(back)
        self.validate(defective)
        self.assertEqual(bearing.qty_returned, 1.0)
        self.assertEqual(bearing.qty_defective_received, 1.0)
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.bearing, self.defective), 1.0
        )
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.bearing, self.spare), 8.0
        )
        # the work is done: what was issued and not brought back is consumed
        ticket.with_user(self.engineer_a1).action_consume_parts()
        self.assertEqual((bearing.state, bearing.qty_consumed), ("consumed", 2.0))
        self.assertEqual((board.state, board.qty_consumed), ("consumed", 1.0))
        self.assertEqual((own.state, own.qty_consumed), ("consumed", 1.0))
        summary = ticket.parts_summary.splitlines()
        self.assertEqual(len(summary), 3)
        self.assertIn("2.0 Units Bearing 6204", summary[0])
        self.assertIn("CB7-2401", summary[1])
        self.assertIn("Brought by the Customer", summary[2])
        with self.assertRaises(UserError):
            bearing.product_uom_qty = 5

    def test_everything_returned(self):
        ticket = self._issued_ticket((self.bearing, 2))
        line = ticket.part_line_ids
        line.qty_unused = 2
        ticket.action_return_unused_parts()
        self.validate(self.parts_picking(ticket, "return"))
        self.assertEqual(line.state, "returned")
        ticket.action_consume_parts()
        self.assertEqual((line.state, line.qty_consumed), ("returned", 0.0))

    def test_parts_used_in_the_customers_language(self):
        """The service report's list of parts is for the customer who signs it."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["uom", "aftersales_service"], ["zh_CN"])
        self.customer_contact.lang = "zh_CN"
        self.engineer_a1.lang = "en_US"
        ticket = self._issued_ticket((self.bearing, 2), (self.bearing, 1, {"source": "customer"}))
        ticket.with_user(self.engineer_a1).action_consume_parts()
        summary = ticket.parts_summary.splitlines()
        self.assertIn("2.0 单位 Bearing 6204", summary[0])
        self.assertIn("客户自带", summary[1])

    def test_closing_consumes_and_releases(self):
        ticket = self._issued_ticket((self.bearing, 2))
        issued = ticket.part_line_ids
        ticket.write({"part_line_ids": [Command.create({"product_id": self.bearing.id})]})
        ticket.action_reserve_parts()
        pending = self.parts_picking(ticket).filtered(lambda p: p.state == "assigned")
        self.close(ticket)
        self.assertTrue(issued.consumed)
        self.assertEqual(issued.state, "consumed")
        self.assertEqual(pending.state, "cancel", "a part never issued is released")
        self.assertIn("Bearing 6204", ticket.parts_summary)

    def test_vendor_return_and_purchasing_activity(self):
        buyer = new_test_user(
            self.env, login="as_buyer", name="Buyer Qian", groups="base.group_user"
        )
        self.company.aftersales_purchase_user_id = buyer
        ticket = self._issued_ticket((self.bearing, 1))
        line = ticket.part_line_ids
        line.qty_defective = 1
        with self.assertRaises(UserError):
            ticket.action_return_to_vendor()  # not flagged as a bought-in defect
        ticket.vendor_defect = True
        self.assertTrue(line.return_to_vendor)
        self.assertEqual(line.vendor_id, self.vendor, "from the part's vendor list")
        ticket.action_receive_defective_parts()
        self.validate(self.parts_picking(ticket, "defective"))
        ticket.with_user(self.engineer_a1).action_return_to_vendor()
        claim = self.parts_picking(ticket, "vendor_return")
        self.assertEqual(claim.partner_id, self.vendor)
        self.assertEqual(claim.location_id, self.defective)
        self.assertEqual(claim.location_dest_id, self.suppliers)
        self.assertEqual(claim.picking_type_id, self.warehouse.out_type_id)
        self.assertEqual(claim.state, "assigned", "the defective part is there to go")
        self.assertEqual(claim.origin, ticket.number)
        activity = claim.activity_ids
        self.assertEqual(activity.user_id, buyer)
        self.assertIn("Vendor claim", activity.summary)
        self.assertIn(self.vendor.name, activity.summary)
        with self.assertRaises(UserError):
            ticket.action_return_to_vendor()  # already on its way
        # a vendor chosen on the ticket wins over the part's own vendor
        other = self.env["res.partner"].create({"name": "Wuxi Components"})
        ticket.defect_vendor_id = other
        line.qty_defective = 2
        ticket.action_return_to_vendor()
        self.assertEqual(
            self.parts_picking(ticket, "vendor_return").partner_id, self.vendor | other
        )

    def test_major_quality_issue_activity(self):
        quality = new_test_user(
            self.env, login="as_quality", name="QA Lin", groups="base.group_user"
        )
        self.company.aftersales_quality_user_ids = quality | self.manager
        ticket = self.create_ticket()
        self.assertFalse(ticket.activity_ids.filtered(lambda a: a.user_id == quality))
        ticket.write({"major_quality_issue": True, "quality_issue_note": "Cracked housings"})
        activities = ticket.activity_ids.filtered(lambda a: "Major quality issue" in a.summary)
        self.assertEqual(activities.user_id, quality | self.manager)
        self.assertTrue(all("Cracked housings" in note for note in activities.mapped("note")))
        ticket.name = "Another subject"
        self.assertEqual(
            len(ticket.activity_ids.filtered(lambda a: "Major quality issue" in a.summary)), 2
        )


@tagged("post_install", "-at_install")
class TestPartsWorkshopQuotation(PartsCase):
    def _warranty(self, start):
        policy = self.env["aftersales.warranty.policy"].create({"name": "Machines 12 months"})
        return self.env["aftersales.warranty"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "lot_id": self.lot.id,
                "policy_id": policy.id,
                "start_date": start,
            }
        )

    def test_send_to_workshop(self):
        self.put_in_stock(self.bearing, 5)
        ticket = self.parts_ticket(
            (self.bearing, 2), product_id=self.product.id, lot_id=self.lot.id
        )
        ticket.action_reserve_parts()
        site_move = ticket.part_line_ids.move_ids
        ticket.with_user(self.engineer_a1).action_send_to_workshop()
        repair = ticket.repair_order_id
        self.assertEqual(repair.product_id, self.product)
        self.assertEqual(repair.lot_id, self.lot)
        self.assertEqual(repair.partner_id, ticket.partner_id)
        self.assertEqual(repair.aftersales_ticket_id, ticket)
        self.assertFalse(repair.under_warranty, "no warranty: out of warranty")
        self.assertEqual(repair.picking_type_id, self.warehouse.repair_type_id)
        self.assertEqual(repair.move_ids.product_id, self.bearing)
        self.assertEqual(repair.move_ids.product_uom_qty, 2.0)
        self.assertEqual(repair.move_ids.aftersales_part_line_id, ticket.part_line_ids)
        self.assertEqual(site_move.state, "cancel", "the parts go with the repair")
        self.assertEqual(ticket.repair_state, "draft")
        with self.assertRaises(UserError):
            ticket.action_send_to_workshop()
        self.assertEqual(repair.location_id, self.spare, "the parts come from the spare parts")
        repair._action_repair_confirm()
        self.assertEqual(ticket.repair_state, "confirmed")
        self.assertEqual(ticket.part_line_ids.state, "reserved")
        self.assertIn(repair.name, ticket.message_ids[0].body)

    def test_workshop_under_warranty(self):
        self._warranty(fields.Date.today() - timedelta(days=60))
        ticket = self.parts_ticket((self.bearing, 1), lot_id=self.lot.id)
        self.assertEqual(ticket.coverage, "repair")
        self.assertTrue(ticket.part_line_ids.covered_by_warranty)
        ticket.action_send_to_workshop()
        self.assertTrue(ticket.repair_order_id.under_warranty)

    def test_workshop_needs_the_serial(self):
        ticket = self.parts_ticket((self.bearing, 1), product_id=self.product.id)
        with self.assertRaises(UserError):
            ticket.action_send_to_workshop()

    def test_quotation_takes_uncovered_parts_at_sale_price(self):
        ticket = self.parts_ticket(
            (self.bearing, 2),
            (self.board, 1, {"covered_by_warranty": True}),
            (self.bearing, 1, {"source": "customer"}),
            product_id=self.product.id,
        )
        self.assertEqual(ticket.coverage, "out")
        self.assertEqual(
            ticket._prepare_quotation_part_lines(),
            [
                {
                    "product_id": self.bearing.id,
                    "product_uom_qty": 2.0,
                    "product_uom_id": self.bearing.uom_id.id,
                    "price_unit": 45.0,
                }
            ],
        )
        # the whole quotation: the uncovered part at its sale price
        labour = self.env["product.product"].create({"name": "Labour", "type": "service"})
        self.company.aftersales_labour_product_id = labour
        ticket.action_create_quotation()
        lines = ticket.quotation_id.order_line
        part = lines.filtered(lambda line: line.product_id == self.bearing)
        self.assertEqual((part.product_uom_qty, part.price_unit), (2.0, 45.0))
        self.assertNotIn(self.board, lines.product_id)

    def test_covered_parts_follow_the_decision(self):
        self._warranty(fields.Date.today() - timedelta(days=500))
        ticket = self.parts_ticket((self.bearing, 1), lot_id=self.lot.id)
        self.assertEqual(ticket.coverage, "out")
        self.assertFalse(ticket.part_line_ids.covered_by_warranty)
        self.assertEqual(len(ticket._prepare_quotation_part_lines()), 1)


@tagged("post_install", "-at_install")
class TestPartsCancelAndErrors(PartsCase):
    def test_cancellation_releases(self):
        self.put_in_stock(self.bearing, 1)
        ticket = self.parts_ticket((self.bearing, 3))
        ticket.action_reserve_parts()
        picking = self.parts_picking(ticket)
        quant = self.env["stock.quant"]._gather(self.bearing, self.spare)
        self.assertEqual(quant.reserved_quantity, 1.0)
        self.assertEqual(ticket.stage_id, self.stage_waiting_parts)
        ticket.with_user(self.engineer_a1).action_cancel_parts()
        self.assertEqual(picking.state, "cancel")
        self.assertEqual(quant.reserved_quantity, 0.0)
        self.assertEqual(ticket.stage_id, self.stage_new, "no more waiting")
        self.assertEqual(ticket.part_line_ids.state, "to_reserve")

    def test_archived_ticket_releases(self):
        self.put_in_stock(self.bearing, 2)
        ticket = self.parts_ticket((self.bearing, 2))
        ticket.action_reserve_parts()
        picking = self.parts_picking(ticket)
        ticket.action_archive()
        self.assertEqual(picking.state, "cancel")
        self.assertEqual(
            self.env["stock.quant"]._gather(self.bearing, self.spare).reserved_quantity, 0
        )

    def test_bad_input(self):
        ticket = self.parts_ticket()
        Line = self.env["aftersales.part.line"]

        def add(**vals):
            return Line.create(
                dict({"ticket_id": ticket.id, "product_id": self.bearing.id}, **vals)
            )

        for quantity in (0, -1):
            with self.assertRaisesRegex(ValidationError, "must be more than zero"):
                add(product_uom_qty=quantity)
        old = self.env["product.product"].create({"name": "Old Pump", "is_storable": True})
        old.action_archive()
        with self.assertRaisesRegex(ValidationError, "archived"):
            add(product_id=old.id)
        service = self.env["product.product"].create({"name": "Labour hour", "type": "service"})
        with self.assertRaisesRegex(ValidationError, "is a service, not a part"):
            add(product_id=service.id)
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            add(lot_id=self.board_lot_1.id)
        kilo = self.env.ref("uom.product_uom_kgm")
        with self.assertRaisesRegex(ValidationError, "cannot be given in"):
            add(product_uom_id=kilo.id)
        line = add(product_uom_qty=2)
        with self.assertRaisesRegex(ValidationError, "no more can come back unused"):
            line.qty_unused = 1
        with self.assertRaises(UserError):
            ticket.action_consume_parts()  # nothing issued
        self.close(ticket)
        with self.assertRaisesRegex(UserError, "closed"):
            add()
        with self.assertRaisesRegex(UserError, "closed"):
            ticket.action_reserve_parts()

    def test_bad_input_in_the_form(self):
        form = Form(self.parts_ticket(), view="aftersales_service.aftersales_ticket_view_form")
        with form.part_line_ids.new() as line:
            line.product_id = self.bearing
            line.product_uom_qty = 0
        with self.assertRaisesRegex(ValidationError, "must be more than zero"):
            form.save()

    def test_no_parts_to_reserve(self):
        ticket = self.parts_ticket((self.bearing, 1, {"source": "vendor"}))
        with self.assertRaisesRegex(UserError, "no spare parts from company stock"):
            ticket.action_reserve_parts()
