from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .warranty_common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarranty(WarrantyCase):
    # ------------------------------------------------------------ creation on delivery

    def test_serial_delivery_creates_one_warranty_per_serial(self):
        lots = self.make_lots(3)
        self.add_stock(self.product, lots=lots)
        self.add_stock(self.no_policy_product, 5)
        order = self.sell([(self.product, 3), (self.no_policy_product, 5)])
        picking = order.picking_ids
        self.validate(picking)

        warranties = order.aftersales_warranty_ids
        self.assertEqual(len(warranties), 3, "one warranty per serial, none without a policy")
        self.assertEqual(warranties.lot_id, lots)
        self.assertEqual(set(warranties.mapped("quantity")), {1.0})
        self.assertEqual(warranties.policy_id, self.policy)
        self.assertEqual(warranties.partner_id, self.customer)
        self.assertEqual(warranties.picking_id, picking)
        self.assertEqual(warranties.sale_line_id, order.order_line[0])
        self.assertEqual(set(warranties.mapped("state")), {"active"})
        self.assertEqual(len(set(warranties.mapped("number"))), 3)
        self.assertTrue(all(w.number.startswith("WAR") for w in warranties))
        self.assertEqual(order.aftersales_warranty_count, 3)
        self.assertEqual(picking.aftersales_warranty_count, 3)
        self.assertEqual(lots[0].aftersales_warranty_count, 1)
        self.assertEqual(self.customer_contact.aftersales_warranty_count, 3)
        self.assertTrue(order.order_line[0].aftersales_warranty_end_date)
        self.assertFalse(order.order_line[1].aftersales_warranty_end_date)

    def test_untracked_delivery_one_warranty_per_move_line(self):
        self.add_stock(self.untracked, 10)
        order = self.sell([(self.untracked, 5)])
        self.validate(order.picking_ids)
        warranty = order.aftersales_warranty_ids
        self.assertEqual(len(warranty), 1)
        self.assertFalse(warranty.lot_id)
        self.assertEqual(warranty.quantity, 5.0)
        self.assertEqual(warranty.move_line_id, order.picking_ids.move_line_ids)

    def test_partial_delivery_and_backorder_never_duplicate(self):
        lots = self.make_lots(3)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 3)])
        first = order.picking_ids
        self.keep_lines(first, lots=lots[:2])
        self.validate(first, backorder=True)
        self.assertEqual(order.aftersales_warranty_ids.lot_id, lots[:2])

        backorder = order.picking_ids - first
        self.assertEqual(len(backorder), 1)
        backorder.action_assign()
        self.validate(backorder)
        warranties = order.aftersales_warranty_ids
        self.assertEqual(len(warranties), 3)
        self.assertEqual(warranties.lot_id, lots)
        self.assertEqual(warranties.filtered(lambda w: w.lot_id == lots[2]).picking_id, backorder)

    def test_partial_delivery_untracked(self):
        self.add_stock(self.untracked, 10)
        order = self.sell([(self.untracked, 5)])
        first = order.picking_ids
        self.keep_lines(first, quantity=2)
        self.validate(first)
        backorder = order.picking_ids - first
        backorder.action_assign()
        self.validate(backorder)
        self.assertEqual(sorted(order.aftersales_warranty_ids.mapped("quantity")), [2.0, 3.0])

    def test_revalidation_is_idempotent(self):
        lots = self.make_lots(2)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 2)])
        picking = order.picking_ids
        self.validate(picking)
        self.assertEqual(len(order.aftersales_warranty_ids), 2)
        created = picking._aftersales_process_done_pickings()
        self.assertFalse(created)
        created = picking.move_line_ids._aftersales_create_warranties()
        self.assertFalse(created)
        self.assertEqual(len(order.aftersales_warranty_ids), 2)

    def test_warranties_on_delivery_is_a_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.aftersales_warranty_on_delivery)
        settings.aftersales_warranty_on_delivery = False
        settings.execute()
        self.assertFalse(self.env.company.aftersales_warranty_on_delivery)
        lots = self.make_lots(1)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 1)])
        self.validate(order.picking_ids)
        self.assertFalse(order.aftersales_warranty_ids, "the administrator switched it off")

    def test_customer_return_voids_the_serial(self):
        lots = self.make_lots(2)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 2)])
        picking = order.picking_ids
        self.validate(picking)
        returned_lot = lots[0]
        wizard = Form.from_action(self.env, self._return_action(picking)).save()
        wizard.product_return_moves.quantity = 1
        return_picking = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        return_picking.move_line_ids.lot_id = returned_lot
        self.validate(return_picking)
        warranties = order.aftersales_warranty_ids
        voided = warranties.filtered(lambda w: w.lot_id == returned_lot)
        self.assertEqual(voided.state, "void")
        self.assertIn(return_picking.name, voided.void_reason)
        self.assertEqual((warranties - voided).state, "active")

    def _return_action(self, picking):
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.return.picking",
            "view_mode": "form",
            "context": {
                "active_id": picking.id,
                "active_ids": picking.ids,
                "active_model": "stock.picking",
            },
        }

    def test_customer_return_of_untracked_reduces_then_voids(self):
        self.add_stock(self.untracked, 10)
        order = self.sell([(self.untracked, 5)])
        picking = order.picking_ids
        self.validate(picking)
        warranty = order.aftersales_warranty_ids
        for quantity, expected_quantity, expected_state in ((2, 3.0, "active"), (3, 3.0, "void")):
            wizard = Form.from_action(self.env, self._return_action(picking)).save()
            wizard.product_return_moves.quantity = quantity
            returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
            self.validate(returned)
            self.assertEqual(warranty.quantity, expected_quantity)
            self.assertEqual(warranty.state, expected_state)

    # ------------------------------------------------------------ query counts

    def _done_picking_without_warranties(self, count):
        self.env.company.aftersales_warranty_on_delivery = False
        lots = self.make_lots(count, prefix=f"Q{count}-")
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, count)])
        self.validate(order.picking_ids)
        self.assertFalse(order.aftersales_warranty_ids)
        self.env.company.aftersales_warranty_on_delivery = True
        self.env.flush_all()
        self.env.invalidate_all()
        return order.picking_ids

    # The same count for 1 and 100 serials: one search of existing warranties, one batch of
    # numbers (PostgreSQL sequence), one INSERT, one log message batch, flushes.
    def test_query_count_warranty_creation_1_serial(self):
        picking = self._done_picking_without_warranties(1)
        with self.assertQueryCount(24):
            warranties = picking._aftersales_process_done_pickings()
            self.env.flush_all()
        self.assertEqual(len(warranties), 1)

    def test_query_count_warranty_creation_100_serials(self):
        picking = self._done_picking_without_warranties(100)
        with self.assertQueryCount(24):
            warranties = picking._aftersales_process_done_pickings()
            self.env.flush_all()
        self.assertEqual(len(warranties), 100)
        self.assertEqual(len(set(warranties.mapped("number"))), 100)

    # ------------------------------------------------------------ policies

    def test_policy_precedence_product_over_category(self):
        template = self.product.product_tmpl_id
        self.assertEqual(template._aftersales_get_warranty_policy(), self.policy)
        template.aftersales_warranty_policy_id = self.policy_long
        self.assertEqual(template._aftersales_get_warranty_policy(), self.policy_long)
        child = self.env["product.category"].create(
            {"name": "Presses", "parent_id": self.category.id}
        )
        self.untracked.categ_id = child
        self.assertEqual(
            self.untracked.product_tmpl_id._aftersales_get_warranty_policy(),
            self.policy,
            "a sub-category uses the policy of its parent",
        )
        self.policy_long.active = False
        self.assertEqual(template._aftersales_get_warranty_policy(), self.policy)
        self.assertFalse(self.no_policy_product.product_tmpl_id._aftersales_get_warranty_policy())

        self.policy_long.active = True
        lots = self.make_lots(1)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 1)])
        self.validate(order.picking_ids)
        warranty = order.aftersales_warranty_ids
        self.assertEqual(warranty.policy_id, self.policy_long)
        self.assertEqual(warranty.refund_end_date - warranty.start_date, timedelta(days=10))

    # ------------------------------------------------------------ windows and states

    def test_window_edges_in_customer_time_zone(self):
        lots = self.make_lots(1)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 1)])
        # 17:00 UTC on 1 March is 01:00 on 2 March in Shanghai: the customer's delivery date
        with freeze_time("2026-03-01 17:00:00"):
            self.validate(order.picking_ids)
        warranty = order.aftersales_warranty_ids
        self.assertEqual(warranty.start_date, date(2026, 3, 2))
        self.assertEqual(warranty.refund_end_date, date(2026, 3, 9))
        self.assertEqual(warranty.exchange_end_date, date(2026, 3, 17))
        self.assertEqual(warranty.repair_end_date, date(2027, 3, 2))
        self.assertEqual(warranty.end_date, date(2027, 3, 2))
        edges = [
            (date(2026, 3, 2), "refund"),
            (date(2026, 3, 9), "refund"),
            (date(2026, 3, 10), "exchange"),
            (date(2026, 3, 17), "exchange"),
            (date(2026, 3, 18), "repair"),
            (date(2027, 3, 2), "repair"),
            (date(2027, 3, 3), "out"),
        ]
        for day, window in edges:
            self.assertEqual(warranty._get_window(day), window, day)

        # the last day is included, in the customer's time zone
        with freeze_time("2027-03-02 15:59:00"):  # 23:59 in Shanghai
            self.env["aftersales.warranty"]._cron_update_states()
            self.assertEqual(warranty.state, "active")
        with freeze_time("2027-03-02 16:01:00"):  # 00:01 on 3 March in Shanghai
            self.env["aftersales.warranty"]._cron_update_states()
            self.assertEqual(warranty.state, "expired")

    def test_delivery_date_of_a_utc_customer(self):
        self.other_customer.tz = "UTC"
        lots = self.make_lots(1)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 1)], partner=self.other_customer)
        with freeze_time("2026-03-01 17:00:00"):
            self.validate(order.picking_ids)
        self.assertEqual(order.aftersales_warranty_ids.start_date, date(2026, 3, 1))

    def test_void_warranty_is_out_of_any_window(self):
        warranty = self._warranty(date(2026, 3, 2))
        warranty.action_void()
        self.assertEqual(warranty.state, "void")
        self.assertEqual(warranty._get_window(date(2026, 3, 3)), "out")
        self.env["aftersales.warranty"]._cron_update_states()
        self.assertEqual(warranty.state, "void", "the cron never revives a void warranty")

    def _warranty(self, start, lot=None, **values):
        vals = {
            "partner_id": self.customer.id,
            "product_id": self.product.id,
            "lot_id": (lot or self.lot).id,
            "policy_id": self.policy.id,
            "start_date": start,
        }
        vals.update(values)
        return self.env["aftersales.warranty"].create(vals)

    # ------------------------------------------------------------ extensions

    def test_extension_sold_in_the_same_order(self):
        lots = self.make_lots(2)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 2), (self.extension_product, 1)])
        with freeze_time("2026-03-01 04:00:00"):
            self.validate(order.picking_ids)
        warranties = order.aftersales_warranty_ids.sorted("id")
        self.assertEqual(warranties.mapped("extension_months"), [12, 0])
        self.assertEqual(warranties[0].end_date, date(2028, 3, 1))
        self.assertEqual(warranties[1].end_date, date(2027, 3, 1))
        # applying again (another delivery of the order) never extends twice
        order.order_line._aftersales_apply_warranty_extensions()
        self.assertEqual(warranties.mapped("extension_months"), [12, 0])

    def test_extension_sold_later_for_a_delivered_serial(self):
        warranty = self._warranty(date(2025, 1, 10))
        self.assertEqual(warranty.state, "expired")
        warranty.reminder_sent_date = "2026-01-01 00:00:00"
        order = self.sell([(self.extension_product, 1)], confirm=False)
        order.order_line.aftersales_extended_warranty_id = warranty
        self.assertEqual(warranty.extension_months, 0, "nothing before confirmation")
        order.action_confirm()
        self.assertEqual(warranty.extension_months, 12)
        self.assertEqual(warranty.end_date, date(2027, 1, 10))
        self.assertEqual(warranty.extension_ids.sale_order_id, order)
        self.assertEqual(warranty.state, "active", "an extension revives an expired warranty")
        self.assertFalse(warranty.reminder_sent_date, "the new end gets its own reminder")
        order.order_line._aftersales_apply_warranty_extensions()
        self.assertEqual(warranty.extension_months, 12)

    # ------------------------------------------------------------ coverage on tickets

    def test_coverage_lookup_order(self):
        self.add_stock(self.untracked, 10)
        lots = self.make_lots(1)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 1), (self.untracked, 3)])
        self.validate(order.picking_ids)
        by_serial = order.aftersales_warranty_ids.filtered("lot_id")
        by_line = order.aftersales_warranty_ids - by_serial
        # serial first, even when the order line is another one
        ticket = self.create_ticket(lot_id=lots.id, sale_line_id=order.order_line[1].id)
        self.assertEqual(ticket.warranty_id, by_serial)
        # then the order line
        ticket = self.create_ticket(
            product_id=self.untracked.id, sale_line_id=order.order_line[1].id
        )
        self.assertEqual(ticket.warranty_id, by_line)
        # then the customer's most recent active warranty on the product
        older = self._warranty(date(2026, 1, 1), lot=self.lot_2, product_id=self.product.id)
        newer = self._warranty(date(2026, 2, 1), lot=self.lot, product_id=self.product.id)
        by_serial.action_void()
        newest_void = self._warranty(date(2026, 2, 5), lot=self.lot_2)
        newest_void.action_void()
        ticket = self.create_ticket(product_id=self.product.id)
        self.assertEqual(ticket.warranty_id, newer, f"most recent active, not {older.number}")
        # another customer's warranties are never found
        other = self.create_ticket(partner_id=self.other_customer.id, product_id=self.product.id)
        self.assertFalse(other.warranty_id)
        self.assertEqual(other.coverage, "out")

    def test_coverage_decision_on_each_side_of_each_window(self):
        warranty = self._warranty(date(2026, 3, 2))
        ticket = self.create_ticket(lot_id=self.lot.id)
        self.assertEqual(ticket.warranty_id, warranty)
        for day, coverage in [
            (date(2026, 3, 9), "refund"),
            (date(2026, 3, 10), "exchange"),
            (date(2026, 3, 17), "exchange"),
            (date(2026, 3, 18), "repair"),
            (date(2027, 3, 2), "repair"),
            (date(2027, 3, 3), "out"),
        ]:
            ticket.warranty_claim_date = day
            self.assertEqual(ticket.coverage, coverage, day)

    def test_claim_date_is_today_for_the_customer(self):
        with freeze_time("2026-03-01 17:00:00"):
            ticket = self.create_ticket(product_id=self.product.id)
        self.assertEqual(ticket.warranty_claim_date, date(2026, 3, 2))

    # ------------------------------------------------------------ reminders

    def test_expiry_reminder_sent_once(self):
        self.company.aftersales_warranty_reminder_days = 30
        with freeze_time("2026-06-01 02:00:00"):
            soon = self._warranty(date(2025, 6, 20))
            later = self._warranty(date(2025, 9, 1), lot=self.lot_2)
            self.env["aftersales.warranty"]._cron_send_expiry_reminders()
            self.assertTrue(soon.reminder_sent_date)
            self.assertFalse(later.reminder_sent_date)
            template = self.env.ref("aftersales_service.mail_template_warranty_expiry")
            messages = soon.message_ids.filtered(lambda m: m.subject and soon.number in m.subject)
            self.assertEqual(len(messages), 1)
            self.assertIn(self.customer, messages.partner_ids)
            self.assertIn(self.extension_product.name, str(messages.body))
            self.assertTrue(template)
            self.env["aftersales.warranty"]._cron_send_expiry_reminders()
            messages = soon.message_ids.filtered(lambda m: m.subject and soon.number in m.subject)
            self.assertEqual(len(messages), 1, "once per warranty")

    def test_no_reminder_when_disabled(self):
        self.company.aftersales_warranty_reminder_days = 0
        with freeze_time("2026-06-01 02:00:00"):
            soon = self._warranty(date(2025, 6, 20))
            self.env["aftersales.warranty"]._cron_send_expiry_reminders()
        self.assertFalse(soon.reminder_sent_date)

    # ------------------------------------------------------------ sales views

    def test_request_service_from_sale_order(self):
        lots = self.make_lots(1)
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 1)])
        self.validate(order.picking_ids)
        action = order.action_aftersales_request_service()
        with Form(self.env["aftersales.ticket"].with_context(**action["context"])) as form:
            form.name = "Noise from the clamping unit"
        ticket = form.save()
        self.assertEqual(ticket.sale_order_id, order)
        self.assertEqual(ticket.lot_id, lots)
        self.assertEqual(ticket.warranty_id, order.aftersales_warranty_ids)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.coverage, "refund")

    def test_warranty_numbers_and_display(self):
        warranty = self._warranty(date(2026, 3, 2))
        self.assertIn(self.lot.name, warranty.display_name)
        found = self.env["aftersales.warranty"].name_search(self.lot.name)
        self.assertIn(warranty.id, [row[0] for row in found])
        self.assertEqual(warranty.access_url, f"/my/warranties/{warranty.id}")
