from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .warranty_common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyActions(WarrantyCase):
    """三包 exchange / refund / repair, misuse exclusion and out-of-warranty quotations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls.make_lots(3, prefix="ACT")
        cls.add_stock(cls.product, lots=cls.lots)

    def deliver_one(self, invoice=False):
        """A delivered (and maybe invoiced) machine: (order, warranty)."""
        order = self.sell([(self.product, 1)])
        self.validate(order.picking_ids)
        if invoice:
            self.invoice(order)
        warranty = order.aftersales_warranty_ids
        self.assertEqual(len(warranty), 1)
        return order, warranty

    def ticket_on(self, warranty, days_after_delivery, **values):
        ticket = self.create_ticket(
            lot_id=warranty.lot_id.id,
            type_id=self.type_repair.id,
            warranty_claim_date=warranty.start_date + timedelta(days=days_after_delivery),
            **values,
        )
        self.assertEqual(ticket.warranty_id, warranty)
        return ticket

    # ------------------------------------------------------------ exchange

    def test_exchange_return_and_replacement_move_the_warranty(self):
        order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 10)
        self.assertEqual(ticket.coverage, "exchange")
        self.assertTrue(ticket.can_warranty_exchange)
        self.assertFalse(ticket.can_warranty_refund, "the refund window is closed")
        old_lot = warranty.lot_id

        ticket.action_warranty_exchange()
        self.assertEqual(ticket.coverage_action, "exchange")
        self.assertFalse(ticket.can_warranty_exchange, "only once")
        returned = ticket.warranty_picking_ids.filtered(
            lambda p: p.aftersales_warranty_role == "exchange_return"
        )
        replacement = ticket.warranty_picking_ids.filtered(
            lambda p: p.aftersales_warranty_role == "exchange_delivery"
        )
        self.assertEqual(returned.picking_type_code, "incoming")
        self.assertEqual(returned.location_id.usage, "customer")
        self.assertEqual(returned.move_ids.origin_returned_move_id, warranty.move_id)
        self.assertEqual(returned.move_line_ids.lot_id, old_lot)
        self.assertFalse(returned.move_ids.to_refund, "an exchange is not a refund")
        self.assertEqual(replacement.picking_type_code, "outgoing")
        self.assertEqual(replacement.location_dest_id.usage, "customer")
        self.assertEqual(replacement.move_ids.product_id, self.product)
        self.assertEqual(replacement.state, "assigned", "a spare machine is in stock")
        self.assertEqual(ticket.warranty_picking_count, 2)

        self.validate(returned)
        self.assertEqual(warranty.state, "active", "an exchange return keeps the warranty")
        self.assertEqual(warranty.lot_id, old_lot)

        new_lot = replacement.move_line_ids.lot_id
        self.assertTrue(new_lot)
        self.assertNotEqual(new_lot, old_lot)
        with freeze_time(warranty.start_date + timedelta(days=12)):
            self.validate(replacement)
        self.assertEqual(warranty.lot_id, new_lot)
        self.assertEqual(warranty.replaced_lot_id, old_lot)
        self.assertEqual(warranty.picking_id, replacement)
        self.assertEqual(warranty.state, "active")
        self.assertEqual(
            warranty.start_date,
            ticket.warranty_claim_date + timedelta(days=2),
            "the policy restarts the warranty on the replacement",
        )
        self.assertEqual(len(order.aftersales_warranty_ids), 1, "no new warranty")
        self.assertFalse(
            self.env["aftersales.warranty"].search([("picking_id", "=", replacement.id)]) - warranty
        )

    def test_exchange_keeps_the_remainder(self):
        self.policy.exchange_warranty = "remainder"
        _order, warranty = self.deliver_one()
        start, end, old_lot = warranty.start_date, warranty.end_date, warranty.lot_id
        ticket = self.ticket_on(warranty, 3)
        ticket.action_warranty_exchange()
        for picking in ticket.warranty_picking_ids.sorted("id"):
            self.validate(picking)
        self.assertNotEqual(warranty.lot_id, old_lot)
        self.assertEqual((warranty.start_date, warranty.end_date), (start, end))

    # ------------------------------------------------------------ refund

    def test_refund_return_and_draft_credit_note(self):
        order, warranty = self.deliver_one(invoice=True)
        invoice = order.invoice_ids
        ticket = self.ticket_on(warranty, 7)
        self.assertEqual(ticket.coverage, "refund")
        self.assertTrue(ticket.can_warranty_refund)
        ticket.action_warranty_refund()
        self.assertEqual(ticket.coverage_action, "refund")

        returned = ticket.warranty_picking_ids
        self.assertEqual(returned.aftersales_warranty_role, "refund_return")
        self.assertTrue(returned.move_ids.to_refund)
        self.assertEqual(returned.move_line_ids.lot_id, warranty.lot_id)

        credit_note = ticket.warranty_credit_note_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertEqual(credit_note.partner_id, invoice.partner_id)
        line = credit_note.invoice_line_ids
        self.assertEqual(line.product_id, self.product)
        self.assertEqual(line.quantity, 1.0)
        self.assertEqual(line.price_unit, invoice.invoice_line_ids.price_unit)
        self.assertEqual(line.sale_line_ids, order.order_line)
        self.assertEqual(credit_note.amount_total, invoice.amount_total)

        self.validate(returned)
        self.assertEqual(warranty.state, "void", "the refunded unit loses its warranty")
        self.assertEqual(order.order_line.qty_delivered, 0.0)

    def test_refund_of_an_order_not_invoiced(self):
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 0)
        ticket.action_warranty_refund()
        self.assertFalse(ticket.warranty_credit_note_id)
        self.assertEqual(len(ticket.warranty_picking_ids), 1)

    def test_actions_only_when_the_decision_allows(self):
        _order, warranty = self.deliver_one()
        exchange_ticket = self.ticket_on(warranty, 8)
        self.assertEqual(exchange_ticket.coverage, "exchange")
        with self.assertRaises(UserError):
            exchange_ticket.action_warranty_refund()
        repair_ticket = self.ticket_on(warranty, 60)
        self.assertEqual(repair_ticket.coverage, "repair")
        self.assertFalse(repair_ticket.can_warranty_exchange)
        with self.assertRaises(UserError):
            repair_ticket.action_warranty_exchange()
        out_ticket = self.ticket_on(warranty, 400)
        self.assertEqual(out_ticket.coverage, "out")
        self.assertFalse(out_ticket.can_warranty_repair)
        with self.assertRaises(UserError):
            out_ticket.action_warranty_repair()
        self.assertFalse(out_ticket.warranty_picking_ids)

    def test_free_repair(self):
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 60)
        self.assertTrue(ticket.can_warranty_repair)
        ticket.action_warranty_repair()
        self.assertEqual(ticket.coverage_action, "repair")
        self.assertFalse(ticket.can_warranty_repair)
        self.assertFalse(ticket.warranty_picking_ids, "a repair moves no stock")
        message = ticket.message_ids[:1]
        self.assertIn(self.customer_contact, message.partner_ids)
        self.assertIn(warranty.number, str(message.body))

    # ------------------------------------------------------------ misuse exclusion

    def test_misuse_exclusion_needs_a_reason_the_customer_sees(self):
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 60)
        with self.assertRaises(UserError):
            ticket.action_exclude_from_warranty()
        with self.assertRaises(ValidationError):
            ticket.write({"warranty_excluded": True})
        reason = "Housing cracked by a forklift impact (人为损坏)"
        ticket.warranty_exclusion_reason = reason
        ticket.action_exclude_from_warranty()
        self.assertEqual(ticket.coverage, "excluded")
        self.assertFalse(ticket.can_warranty_repair)
        self.assertTrue(ticket.can_create_quotation)
        message = ticket.message_ids.filtered(lambda m: reason in str(m.body))[:1]
        self.assertEqual(message.message_type, "comment")
        self.assertIn(self.customer_contact, message.partner_ids)
        ticket.action_cancel_warranty_exclusion()
        self.assertEqual(ticket.coverage, "repair")

    # ------------------------------------------------------------ quotations

    def test_quotation_flow_confirmed(self):
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 400)
        self.assertTrue(ticket.can_create_quotation)
        ticket.action_create_quotation()
        quotation = ticket.quotation_id
        self.assertEqual(quotation.state, "draft")
        self.assertEqual(quotation.aftersales_quoted_ticket_id, ticket)
        self.assertEqual(quotation.partner_id, ticket.partner_id)
        self.assertEqual(quotation.origin, ticket.number)
        products = quotation.order_line.product_id
        self.assertEqual(products, self.labour_product | self.travel_product)
        self.assertEqual(quotation.amount_untaxed, 80.0 + 150.0)
        self.assertEqual(
            ticket.stage_id, self.env.ref("aftersales_service.stage_waiting_quotation")
        )
        self.assertFalse(ticket.can_create_quotation, "one open quotation at a time")

        quotation.action_confirm()  # confirming the order moves the ticket on
        self.assertEqual(ticket.stage_id, self.stage_in_progress)
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: quotation.name in str(m.body) and "confirmed" in str(m.body)
            )
        )

    def test_quotation_flow_cancelled(self):
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 400, user_id=self.engineer_a1.id)
        ticket.action_create_quotation()
        quotation = ticket.quotation_id
        waiting = ticket.stage_id
        quotation._action_cancel()
        self.assertEqual(ticket.stage_id, waiting, "the ticket waits for a decision")
        self.assertTrue(
            ticket.message_ids.filtered(
                lambda m: quotation.name in str(m.body) and "cancelled" in str(m.body)
            )
        )
        activity = ticket.activity_ids.filtered(lambda a: a.summary == "Quotation cancelled")
        self.assertEqual(activity.user_id, self.engineer_a1)
        self.assertTrue(ticket.can_create_quotation, "a new quotation can be made")
        ticket.action_create_quotation()
        self.assertNotEqual(ticket.quotation_id, quotation)

    def test_partial_coverage_prices_covered_lines_at_zero(self):
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 60)  # repair warranty: parts and labour, not travel
        self.assertEqual(ticket.coverage, "repair")
        self.assertTrue(ticket.coverage_labour)
        self.assertFalse(ticket.coverage_travel)
        self.assertTrue(ticket.can_create_quotation, "travel is not covered")
        ticket.action_warranty_repair()
        self.assertTrue(ticket.can_create_quotation)
        ticket.action_create_quotation()
        lines = ticket.quotation_id.order_line
        labour = lines.filtered(lambda line: line.product_id == self.labour_product)
        travel = lines.filtered(lambda line: line.product_id == self.travel_product)
        note = lines.filtered(lambda line: line.display_type == "line_note")
        self.assertEqual(labour.price_unit, 0.0)
        self.assertEqual(travel.price_unit, 150.0)
        self.assertIn(warranty.number, note.name)
        self.assertEqual(ticket.quotation_id.amount_untaxed, 150.0)

    def test_fully_covered_ticket_needs_no_quotation(self):
        self.policy.cover_travel = True
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 60)
        self.assertFalse(ticket.can_create_quotation)
        with self.assertRaises(UserError):
            ticket.action_create_quotation()

    def test_team_products_win_over_company_products(self):
        team_labour = self.env["product.product"].create(
            {"name": "Senior Engineer Labour", "type": "service", "list_price": 120.0}
        )
        self.team_a.labour_product_id = team_labour
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 400)
        ticket.action_create_quotation()
        self.assertEqual(
            ticket.quotation_id.order_line.product_id, team_labour | self.travel_product
        )

    def test_quotation_needs_configured_products(self):
        self.company.write(
            {"aftersales_labour_product_id": False, "aftersales_travel_product_id": False}
        )
        ticket = self.create_ticket(product_id=self.product.id)
        self.assertEqual(ticket.coverage, "out")
        with self.assertRaises(UserError):
            ticket.action_create_quotation()
        self.assertFalse(ticket.quotation_id)

    def test_engineer_creates_quotation_without_sales_rights(self):
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 400)
        result = ticket.with_user(self.engineer_a1).action_create_quotation()
        self.assertTrue(result)
        self.assertTrue(ticket.quotation_id)
        self.assertEqual(ticket.with_user(self.engineer_a1).quotation_ref, ticket.quotation_id.name)

    # ------------------------------------------------------------ another customer's serial

    def test_serial_of_another_customer_gives_no_warranty(self):
        _order, warranty = self.deliver_one()
        self.assertEqual(warranty.commercial_partner_id, self.customer)
        stranger = self.create_ticket(
            partner_id=self.other_customer.id,
            lot_id=warranty.lot_id.id,
            type_id=self.type_repair.id,
            warranty_claim_date=warranty.start_date + timedelta(days=3),
        )
        self.assertFalse(stranger.warranty_id, "the serial's warranty is another customer's")
        self.assertEqual(stranger.coverage, "out")
        self.assertFalse(stranger.can_warranty_refund)
        with self.assertRaises(UserError):
            stranger.action_warranty_refund()
        self.assertFalse(warranty.sudo().picking_id.return_ids)

        unknown = self.create_ticket(partner_id=False, lot_id=warranty.lot_id.id)
        self.assertFalse(unknown.warranty_id, "no customer yet: coverage unknown")
        unknown.partner_id = self.customer_contact
        self.assertEqual(unknown.warranty_id, warranty, "found once the customer is set")

    def test_warranty_actions_refused_on_another_customers_warranty(self):
        _order, warranty = self.deliver_one()
        ticket = self.ticket_on(warranty, 3)
        self.assertEqual(ticket.coverage, "refund")
        ticket.partner_id = self.other_customer  # the warranty stays as it was chosen
        ticket.warranty_id = warranty
        self.assertTrue(ticket.can_warranty_refund)
        for action in (
            ticket.action_warranty_refund,
            ticket.action_warranty_exchange,
            ticket.action_warranty_repair,
        ):
            with self.assertRaisesRegex(UserError, "belongs to"):
                action()
        self.assertFalse(ticket.warranty_picking_ids)
        self.assertFalse(ticket.coverage_action)
