from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestMaintenancePlan(AftersalesCase):
    """定期保养/巡检/走访: plans generate their tickets ahead, once per date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_maintenance = cls.env.ref("aftersales_service.type_maintenance")
        cls.type_key_visit = cls.env.ref("aftersales_service.type_key_customer_visit")

    def make_plan(self, **values):
        vals = {
            "partner_id": self.customer_contact.id,
            "product_id": self.product.id,
            "lot_id": self.lot.id,
            "interval_number": 1,
            "interval_unit": "month",
            "start_date": date(2027, 1, 31),
            "lead_days": 14,
            "team_id": self.team_a.id,
        }
        vals.update(values)
        return self.env["aftersales.maintenance.plan"].create(vals)

    def run_cron(self, day):
        with freeze_time(day):
            return self.env["aftersales.maintenance.plan"]._cron_generate_tickets()

    def test_schedule_is_anchored_on_month_ends(self):
        plan = self.make_plan()
        self.assertEqual(plan.ticket_type_id, self.type_maintenance)
        self.assertEqual(plan.name, "Periodic Maintenance: HX200-0001")
        self.assertEqual(plan.next_date, date(2027, 2, 28))
        self.assertEqual(plan.next_generation_date, date(2027, 2, 14))
        self.assertEqual(
            [plan._occurrence(index) for index in range(1, 6)],
            [
                date(2027, 2, 28),
                date(2027, 3, 31),
                date(2027, 4, 30),
                date(2027, 5, 31),
                date(2027, 6, 30),
            ],
        )
        self.assertEqual(plan._next_occurrence_after(date(2027, 3, 30)), date(2027, 3, 31))
        self.assertEqual(plan._next_occurrence_after(date(2027, 3, 31)), date(2027, 4, 30))
        self.assertEqual(plan._next_occurrence_after(date(2029, 2, 1)), date(2029, 2, 28))
        quarterly = self.make_plan(interval_number=3, start_date=date(2027, 11, 30))
        self.assertEqual(quarterly.next_date, date(2028, 2, 29), "leap year")
        self.assertEqual(quarterly._occurrence(2), date(2028, 5, 30))

    def test_tickets_generated_ahead_and_never_twice(self):
        plan = self.make_plan(user_id=self.engineer_a1.id, note="Check the hydraulic oil.")
        self.assertFalse(self.run_cron(date(2027, 2, 13)), "more than 14 days ahead")

        february = self.run_cron(date(2027, 2, 14))
        self.assertEqual(len(february), 1)
        self.assertEqual(february.maintenance_date, date(2027, 2, 28))
        self.assertEqual(february.maintenance_plan_id, plan)
        self.assertEqual(february.type_id, self.type_maintenance)
        self.assertEqual(february.partner_id, self.customer_contact)
        self.assertEqual(february.lot_id, self.lot)
        self.assertEqual(february.product_id, self.product)
        self.assertEqual(february.team_id, self.team_a)
        self.assertEqual(february.user_id, self.engineer_a1)
        self.assertIn("Check the hydraulic oil.", february.description)
        self.assertIn("2027-02-28", february.name)

        # the daily job runs again the same day, and every day until the next window
        for day in (date(2027, 2, 14), date(2027, 2, 20), date(2027, 2, 28), date(2027, 3, 16)):
            self.assertFalse(self.run_cron(day), day)
        self.assertEqual(plan.next_date, date(2027, 3, 31))

        march = self.run_cron(date(2027, 3, 17))
        self.assertEqual(march.maintenance_date, date(2027, 3, 31))
        self.assertFalse(self.run_cron(date(2027, 3, 31)))
        april = self.run_cron(date(2027, 4, 16))
        self.assertEqual(april.maintenance_date, date(2027, 4, 30))
        self.assertEqual(
            sorted(plan.ticket_ids.mapped("maintenance_date")),
            [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)],
        )
        self.assertEqual(plan.ticket_count, 3)
        self.assertEqual(plan.last_planned_date, date(2027, 4, 30))

    def test_catch_up_after_missed_runs(self):
        plan = self.make_plan()
        tickets = self.run_cron(date(2027, 4, 20))  # the job did not run since February
        self.assertEqual(
            sorted(tickets.mapped("maintenance_date")),
            [date(2027, 3, 31), date(2027, 4, 30)],
            "of the missed visits only the latest, then the one within the lead days",
        )
        self.assertFalse(self.run_cron(date(2027, 4, 21)))
        self.assertEqual(plan.next_date, date(2027, 5, 31))

    def test_same_date_is_never_generated_twice(self):
        plan = self.make_plan()
        self.run_cron(date(2027, 2, 14))
        plan.last_planned_date = False  # as if the plan lost track of what it did
        self.assertFalse(self.run_cron(date(2027, 2, 15)))
        self.assertEqual(plan.ticket_count, 1)
        # and the database refuses a second ticket for the same plan and date
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["aftersales.ticket"].create(plan._prepare_ticket_vals(date(2027, 2, 28)))
            self.env.flush_all()

    def test_end_date_and_archived_plans(self):
        plan = self.make_plan(end_date=date(2027, 3, 31))
        tickets = self.run_cron(date(2027, 6, 1))
        self.assertEqual(
            tickets.mapped("maintenance_date"), [date(2027, 3, 31)], "the last visit missed"
        )
        self.assertFalse(plan.next_date)
        archived = self.make_plan(lot_id=self.lot_2.id)
        archived.active = False
        self.assertFalse(self.run_cron(date(2027, 6, 1)))
        self.assertFalse(archived.ticket_ids)

    def test_key_customer_visit_plan(self):
        plan = self.make_plan(
            plan_type="key_visit",
            product_id=False,
            lot_id=False,
            partner_id=self.customer.id,
            interval_number=2,
            interval_unit="week",
            start_date=date(2027, 1, 4),
            lead_days=0,
        )
        self.assertEqual(plan.ticket_type_id, self.type_key_visit)
        visit = self.run_cron(date(2027, 1, 18))
        self.assertEqual(visit.type_id, self.type_key_visit)
        self.assertEqual(visit.maintenance_date, date(2027, 1, 18))
        self.assertIn(self.customer.name, visit.name)

    def test_generate_by_hand(self):
        plan = self.make_plan()
        with freeze_time(date(2027, 2, 1)), self.assertRaises(UserError):
            plan.action_generate_tickets()
        with freeze_time(date(2027, 2, 20)):
            action = plan.action_generate_tickets()
        self.assertEqual(len(plan.ticket_ids), 1)
        self.assertIn(("id", "in", plan.ticket_ids.ids), action["domain"])

    def test_catch_up_is_bounded(self):
        """A weekly plan started ten years ago: one overdue visit and those within the lead
        days, not five hundred tickets and mails in one transaction."""
        plan = self.make_plan(
            interval_number=1, interval_unit="week", start_date=date(2017, 1, 2), lead_days=14
        )
        tickets = self.run_cron(date(2027, 1, 6))  # a Wednesday
        self.assertEqual(
            sorted(tickets.mapped("maintenance_date")),
            [date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)],
        )
        self.assertEqual(plan.next_date, date(2027, 1, 25))

    def test_interval_and_lead_days_are_bounded(self):
        with self.assertRaisesRegex(ValidationError, "from 1 to 120 Months"):
            self.make_plan(interval_number=2147483647)
        with self.assertRaisesRegex(ValidationError, "from 1 to 520 Weeks"):
            self.make_plan(interval_number=521, interval_unit="week")
        with self.assertRaisesRegex(ValidationError, "from 0 to 365 days"):
            self.make_plan(lead_days=2147483647)
        plan = self.make_plan(interval_number=10, interval_unit="year", lead_days=365)
        self.assertEqual(plan.next_date, date(2037, 1, 31))
        with self.assertRaisesRegex(ValidationError, "from 1 to 10 Years"):
            plan.interval_number = 11
        with self.assertRaisesRegex(ValidationError, "from 1 to 120 months"):
            self.product.product_tmpl_id.aftersales_maintenance_interval = 2147483647

    def test_plans_only_for_own_teams(self):
        Plan = self.env["aftersales.maintenance.plan"]
        vals = {"partner_id": self.customer.id, "plan_type": "key_visit", "team_id": False}
        mine = Plan.with_user(self.engineer_b).create(dict(vals, team_id=self.team_b.id))
        self.assertEqual(mine.team_id, self.team_b)
        with self.assertRaisesRegex(ValidationError, "not a member of the team"):
            Plan.with_user(self.engineer_b).create(dict(vals, team_id=self.team_a.id))
        with self.assertRaisesRegex(ValidationError, "not a member of the team"):
            mine.with_user(self.engineer_b).team_id = self.team_a
        # the team's leader and a service manager may plan for any team
        led = Plan.with_user(self.manager).create(dict(vals, team_id=self.team_b.id))
        self.assertEqual(led.team_id, self.team_b)

    def test_daily_job(self):
        cron = self.env.ref("aftersales_service.ir_cron_maintenance_plan")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))


@tagged("post_install", "-at_install")
class TestInstallationTickets(AftersalesCase):
    """安装调试/培训: sold products that need them get tickets, linked to order and serials."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_installation = cls.env.ref("aftersales_service.type_installation")
        cls.type_training = cls.env.ref("aftersales_service.type_training")
        cls.product.product_tmpl_id.write(
            {
                "aftersales_requires_installation": True,
                "aftersales_includes_training": True,
                "aftersales_maintenance_interval": 6,
                "list_price": 1000.0,
            }
        )
        cls.plain = cls.env["product.product"].create(
            {"name": "Spare Nozzle", "is_storable": True, "list_price": 10.0}
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        Quant = cls.env["stock.quant"]
        stock = cls.warehouse.lot_stock_id
        for lot in cls.lot | cls.lot_2:
            Quant._update_available_quantity(cls.product, stock, 1.0, lot_id=lot)
        Quant._update_available_quantity(cls.plain, stock, 10.0)

    def set_trigger(self, trigger):
        with Form(self.env["res.config.settings"]) as settings:
            settings.aftersales_installation_trigger = trigger
        settings.record.execute()

    def sell(self, lines):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "partner_shipping_id": self.customer_contact.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        order.action_confirm()
        return order

    def validate(self, picking):
        picking.move_ids.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            Form.from_action(self.env, result).save().process()
        self.assertEqual(picking.state, "done")
        return picking

    def of_type(self, tickets, ticket_type):
        return tickets.filtered(lambda t: t.type_id == ticket_type)

    def test_on_confirmation(self):
        self.set_trigger("confirm")
        order = self.sell([(self.product, 2), (self.plain, 3)])
        line = order.order_line[0]
        tickets = order.aftersales_ticket_ids
        self.assertEqual(len(tickets), 2, "one installation and one training for the line")
        installation = self.of_type(tickets, self.type_installation)
        training = self.of_type(tickets, self.type_training)
        self.assertEqual(installation.sale_line_id, line)
        self.assertEqual(training.sale_line_id, line)
        self.assertEqual(installation.partner_id, self.customer_contact, "the delivery address")
        self.assertEqual(installation.product_id, self.product)
        self.assertFalse(installation.lot_id)
        self.assertIn(order.name, installation.name)

        picking = self.validate(order.picking_ids)
        self.assertIn(installation.lot_id, self.lot | self.lot_2, "the serial is added")
        self.assertEqual(order.aftersales_ticket_ids, tickets, "no new ticket on delivery")
        # maintenance plans: one per delivered serial, anchored on the delivery
        plans = self.env["aftersales.maintenance.plan"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(plans.lot_id, self.lot | self.lot_2)
        delivered = fields.Date.context_today(picking, picking.date_done)
        self.assertEqual(set(plans.mapped("start_date")), {delivered})
        self.assertEqual(set(plans.mapped("next_date")), {delivered + relativedelta(months=6)})
        self.assertEqual(plans.sale_line_id, line)
        self.assertEqual(plans.partner_id, self.customer_contact)

        # the delivery hook runs again (e.g. a re-validated transfer): nothing new
        picking._aftersales_setup_from_delivery()
        self.assertEqual(order.aftersales_ticket_ids, tickets)
        self.assertEqual(
            self.env["aftersales.maintenance.plan"].search_count(
                [("sale_order_id", "=", order.id)]
            ),
            2,
        )

    def test_on_delivery(self):
        self.set_trigger("delivery")
        order = self.sell([(self.product, 2), (self.plain, 3)])
        self.assertFalse(order.aftersales_ticket_ids, "nothing on confirmation")
        picking = self.validate(order.picking_ids)
        tickets = order.aftersales_ticket_ids
        installations = self.of_type(tickets, self.type_installation)
        self.assertEqual(len(installations), 2, "one installation per delivered serial")
        self.assertEqual(installations.lot_id, self.lot | self.lot_2)
        self.assertEqual(len(self.of_type(tickets, self.type_training)), 1, "training per line")
        self.assertEqual(installations.sale_line_id, order.order_line[0])

        picking._aftersales_setup_from_delivery()
        self.assertEqual(order.aftersales_ticket_ids, tickets, "never twice")

    def test_partial_deliveries(self):
        self.set_trigger("delivery")
        order = self.sell([(self.product, 2)])
        first = order.picking_ids
        first.move_line_ids.filtered(lambda ml: ml.lot_id == self.lot_2).unlink()
        self.validate(first)
        self.assertEqual(
            self.of_type(order.aftersales_ticket_ids, self.type_installation).lot_id, self.lot
        )
        backorder = order.picking_ids - first
        backorder.action_assign()
        self.validate(backorder)
        installations = self.of_type(order.aftersales_ticket_ids, self.type_installation)
        self.assertEqual(installations.lot_id, self.lot | self.lot_2)
        self.assertEqual(len(self.of_type(order.aftersales_ticket_ids, self.type_training)), 1)

    def test_products_without_service_get_nothing(self):
        self.set_trigger("confirm")
        order = self.sell([(self.plain, 1)])
        self.validate(order.picking_ids)
        self.assertFalse(order.aftersales_ticket_ids)
        self.assertFalse(
            self.env["aftersales.maintenance.plan"].search([("sale_order_id", "=", order.id)])
        )
