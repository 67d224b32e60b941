from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import SlaCase, local

MONDAY = (2026, 3, 2)
WEDNESDAY = (2026, 3, 4)
THURSDAY = (2026, 3, 5)
NOW = local(MONDAY, 9)


@tagged("post_install", "-at_install")
class TestSlaCompensation(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy_key.write({"compensation_type": "percent", "compensation_percent": 10})
        cls.resolution = cls.policy_key.target_ids.filtered(lambda t: t.kind == "resolution")
        cls.resolution.compensate = True
        cls.service = cls.env["product.product"].create(
            {"name": "On-site repair service", "type": "service", "list_price": 1000}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.service.id, "product_uom_qty": 1, "price_unit": 1000}
                    ),
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": 5000}
                    ),
                ],
            }
        )
        cls.Timer = cls.env["aftersales.ticket.sla"]

    def breached_ticket(self, **values):
        """A ticket whose 16 h resolution promise (due Wednesday 09:00) is missed."""
        with freeze_time(NOW):
            ticket = self.create_ticket(sale_order_id=self.order.id, **values)
        with freeze_time(local(WEDNESDAY, 9, 5)):
            self.Timer._escalate_due()
        return ticket

    def test_proposal_approval_and_discount_on_the_quotation(self):
        ticket = self.breached_ticket()
        timer = self.timer(ticket, "resolution")
        self.assertTrue(timer.is_breached)
        compensation = ticket.sla_compensation_ids
        self.assertEqual(len(compensation), 1)
        self.assertEqual(compensation.state, "proposed")
        self.assertEqual(compensation.timer_id, timer)
        self.assertEqual(compensation.percent, 10)
        self.assertTrue(ticket.message_ids.filtered(lambda m: "was missed" in (m.body or "")))

        with self.assertRaisesRegex(UserError, "manager"):
            compensation.with_user(self.engineer_a1).action_approve()
        with self.assertRaisesRegex(UserError, "cannot be applied"):
            compensation.with_user(self.manager).action_apply()
        compensation.with_user(self.manager).action_approve()
        self.assertEqual(compensation.state, "approved")
        self.assertEqual(compensation.approved_by_id, self.manager)

        untaxed = self.order.amount_untaxed
        compensation.with_user(self.manager).action_apply()
        self.assertEqual(compensation.state, "applied")
        line = compensation.sale_line_id
        self.assertEqual(line.order_id, self.order)
        self.assertEqual(line.price_unit, -100.0, "10% of the service fee, not of the machine")
        product = self.env.ref("aftersales_service_sla.product_sla_compensation")
        self.assertEqual(line.product_id, product)
        self.assertEqual(self.order.amount_untaxed, untaxed - 100)
        self.assertEqual(compensation.amount, 100)
        with self.assertRaisesRegex(UserError, "cannot be applied"):
            compensation.with_user(self.manager).action_apply()

        # one breach, one compensation: the cron does not propose it again
        with freeze_time(local(THURSDAY, 9)):
            self.Timer._escalate_due()
        self.assertEqual(len(ticket.sla_compensation_ids), 1)

    def test_fixed_credit(self):
        self.policy_key.write({"compensation_type": "credit", "compensation_amount": 200})
        compensation = self.breached_ticket().sla_compensation_ids
        compensation.with_user(self.manager).action_approve()
        compensation.with_user(self.manager).action_apply()
        self.assertEqual(compensation.sale_line_id.price_unit, -200)

    def test_fixed_credit_in_the_orders_currency(self):
        """The credit is set in the company's currency: an order in another currency gets
        it converted at the order's rate."""
        company_currency = self.env.company.currency_id
        other = self.env.ref("base.EUR" if company_currency.name != "EUR" else "base.USD")
        other.active = True
        self.env["res.currency.rate"].create(
            {
                "name": "2020-01-01",
                "rate": 7.0,
                "currency_id": other.id,
                "company_id": self.env.company.id,
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Foreign customers", "currency_id": other.id}
        )
        self.order.pricelist_id = pricelist
        self.assertEqual(self.order.currency_id, other)
        self.policy_key.write({"compensation_type": "credit", "compensation_amount": 200})
        compensation = self.breached_ticket().sla_compensation_ids
        self.assertEqual(compensation.currency_id, company_currency)
        compensation.with_user(self.manager).action_approve()
        compensation.with_user(self.manager).action_apply()
        self.assertEqual(compensation.sale_line_id.price_unit, -1400, "200 at a rate of 7")
        self.assertEqual(compensation.amount, 1400)
        self.assertEqual(compensation.currency_id, other)

    def test_free_maintenance_visit(self):
        self.policy_key.compensation_type = "free_visit"
        ticket = self.breached_ticket(lot_id=self.lot.id)
        compensation = ticket.sla_compensation_ids
        compensation.with_user(self.manager).action_approve()
        compensation.with_user(self.manager).action_apply()
        voucher = compensation.voucher_ticket_id
        self.assertEqual(voucher.type_id, self.env.ref("aftersales_service.type_maintenance"))
        self.assertEqual(voucher.partner_id, ticket.partner_id)
        self.assertEqual(voucher.lot_id, self.lot)
        self.assertEqual(voucher.sla_voucher_of_id, compensation)

    def test_no_order_to_discount(self):
        with freeze_time(NOW):
            ticket = self.create_ticket()
        with freeze_time(local(WEDNESDAY, 10)):
            self.Timer._escalate_due()
        compensation = ticket.sla_compensation_ids
        compensation.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "no quotation or sale order"):
            compensation.with_user(self.manager).action_apply()
        ticket.sale_order_id = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )
        with self.assertRaisesRegex(UserError, "no service fee"):
            compensation.with_user(self.manager).action_apply()

    def test_customer_caused_delay(self):
        ticket = self.breached_ticket()
        timer = self.timer(ticket, "resolution")
        compensation = ticket.sla_compensation_ids
        self.assertTrue(timer.can_request_exemption)
        action = timer.with_user(self.engineer_a1).action_request_exemption()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.engineer_a1)
            .with_context(**action["context"])
        )
        wizard.reason = "The workshop was closed on Tuesday: no access to the machine."
        wizard.save().action_confirm()
        self.assertEqual(timer.exemption_state, "requested")
        self.assertEqual(timer.exemption_user_id, self.engineer_a1)
        self.assertTrue(
            ticket.activity_ids.filtered(lambda a: a.user_id == self.manager),
            "the team leader is asked to decide",
        )
        with self.assertRaisesRegex(UserError, "manager"):
            timer.with_user(self.engineer_a1).action_approve_exemption()
        with self.assertRaisesRegex(UserError, "Explain"):
            timer.with_user(self.engineer_a1)._request_exemption("  ")

        timer.with_user(self.manager).action_approve_exemption()
        self.assertEqual(timer.exemption_state, "approved")
        self.assertEqual(compensation.state, "cancelled", "nothing for the customer's delay")
        self.assertEqual(timer.compliance, 100, "counts as kept in the reports")

    def test_refused_exemption_keeps_the_compensation(self):
        ticket = self.breached_ticket()
        timer = self.timer(ticket, "resolution")
        timer.with_user(self.engineer_a1)._request_exemption("Customer was late")
        timer.with_user(self.manager).action_refuse_exemption()
        self.assertEqual(timer.exemption_state, "refused")
        self.assertEqual(ticket.sla_compensation_ids.state, "proposed")
        self.assertEqual(timer.compliance, 0)

    def test_no_compensation_while_paused(self):
        with freeze_time(NOW):
            ticket = self.create_ticket(sale_order_id=self.order.id)
        with freeze_time(local(MONDAY, 10)):
            ticket.stage_id = self.stage_waiting
        with freeze_time(local(THURSDAY, 10)):
            self.Timer._escalate_due()
        self.assertFalse(ticket.sla_compensation_ids)
        self.assertFalse(self.timer(ticket, "resolution").is_breached, "the clock did not run")

    def test_compliance_report(self):
        late = self.breached_ticket()
        with freeze_time(NOW):
            on_time = self.create_ticket()
        with freeze_time(local(MONDAY, 15)):
            self.close(on_time)
        with freeze_time(local(WEDNESDAY, 10)):
            self.close(late)
        groups = self.Timer._read_group(
            [("kind", "=", "resolution"), ("ticket_id", "in", (late | on_time).ids)],
            ["team_id"],
            ["compliance:avg"],
        )
        self.assertEqual(groups, [(self.team_a, 50.0)])
