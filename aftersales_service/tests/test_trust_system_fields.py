from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .warranty_common import WarrantyCase

# (field, value an engineer tries to write): what the system records on a ticket
TICKET_SYSTEM_WRITES = [
    ("dispatched_date", "2026-01-05 08:00:00"),
    ("closed_date", "2026-01-05 08:00:00"),
    ("survey_user_input_id", False),
    ("survey_state", "done"),
    ("survey_sent_date", "2026-01-05 08:00:00"),
    ("survey_reminder_date", "2026-01-05 08:00:00"),
    ("survey_answer_date", "2026-01-05 08:00:00"),
    ("score_tangibles", 100.0),
    ("score_reliability", 100.0),
    ("score_responsiveness", 100.0),
    ("score_assurance", 100.0),
    ("score_empathy", 100.0),
    ("score_overall", 100.0),
    ("survey_recommend", 10.0),
    ("survey_comment", "Perfect"),
    ("survey_low_score", False),
    ("coverage_action", False),
    ("warranty_excluded", False),
    ("warranty_credit_note_id", False),
    ("quotation_id", False),
    ("complaint_escalated_date", "2030-01-01 00:00:00"),
]

# what the system records on a warranty
WARRANTY_SYSTEM_WRITES = [
    ("start_date", "2030-01-01"),
    ("end_date", "2040-01-01"),
    ("refund_end_date", "2040-01-01"),
    ("exchange_end_date", "2040-01-01"),
    ("repair_end_date", "2040-01-01"),
    ("extension_months", 120),
    ("state", "active"),
    ("void_reason", "none"),
    ("void_date", "2030-01-01"),
    ("reminder_sent_date", "2030-01-01 00:00:00"),
    ("replaced_lot_id", False),
]


@tagged("post_install", "-at_install")
class TestTrustSystemFields(WarrantyCase):
    """What the system records is written by the product's methods only (issue #12)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.create_ticket(type_id=cls.type_repair.id, user_id=cls.engineer_a1.id)
        cls.warranty = cls.env["aftersales.warranty"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.product.id,
                "lot_id": cls.lot.id,
                "policy_id": cls.policy.id,
                "start_date": "2026-01-01",
            }
        )

    def assert_refused(self, record, field, value):
        label = record._fields[field]._description_string(record.env)
        with self.assertRaises(UserError, msg=f"{field} is written by hand") as caught:
            record.write({field: value})
        self.assertIn(label, str(caught.exception))
        self.assertIn("recorded by the system", str(caught.exception))

    def test_engineer_cannot_write_ticket_system_fields(self):
        ticket = self.ticket.with_user(self.engineer_a1)
        for field, value in TICKET_SYSTEM_WRITES:
            with self.subTest(field=field):
                self.assertIn(field, ticket._aftersales_system_fields())
                self.assert_refused(ticket, field, value)

    def test_engineer_cannot_create_a_ticket_with_system_fields(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.agent)
        with self.assertRaisesRegex(UserError, "Overall Satisfaction"):
            Ticket.create({"name": "Scored in advance", "score_overall": 100.0})
        ticket = Ticket.create({"name": "Typed by hand", "team_id": self.team_a.id})
        self.assertTrue(ticket, "the fields an agent types stay writable")

    def test_engineer_keeps_the_fields_they_type(self):
        ticket = self.ticket.with_user(self.engineer_a1)
        ticket.write(
            {
                # typed on site by the engineer: not recorded by the system (yet, issue #14)
                "arrival_date": "2026-01-05 09:00:00",
                "root_cause": "Worn bearing",
                "resolution": "<p>Bearing replaced</p>",
            }
        )
        self.assertEqual(ticket.root_cause, "Worn bearing")

    def test_engineer_cannot_write_warranty_system_fields(self):
        warranty = self.warranty.with_user(self.engineer_a1)
        for field, value in WARRANTY_SYSTEM_WRITES:
            with self.subTest(field=field):
                self.assert_refused(warranty, field, value)
        warranty.note = "Customer keeps the invoice in the machine's manual."
        self.assertTrue(warranty.note)

    def test_engineer_records_a_warranty_by_hand(self):
        warranty = (
            self.env["aftersales.warranty"]
            .with_user(self.engineer_a1)
            .create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "lot_id": self.lot_2.id,
                    "policy_id": self.policy.id,
                    "start_date": "2026-02-01",
                }
            )
        )
        self.assertEqual(str(warranty.start_date), "2026-02-01")
        with self.assertRaises(UserError):
            warranty.with_user(self.engineer_a1).create(
                {
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                    "policy_id": self.policy.id,
                    "end_date": "2040-01-01",
                }
            )

    def test_manager_corrects_a_system_field(self):
        ticket = self.ticket.with_user(self.manager)
        ticket.score_overall = 50.0
        self.assertEqual(ticket.score_overall, 50.0)
        self.warranty.with_user(self.manager).start_date = "2026-01-02"
        self.assertEqual(str(self.warranty.start_date), "2026-01-02")

    def test_product_methods_record_as_an_engineer(self):
        # the dispatch records its date, the 三包 repair its action, for an engineer too
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Dispatched by hand",
                    "team_id": self.team_a.id,
                    "user_id": self.engineer_a2.id,
                }
            )
        )
        self.assertTrue(ticket.dispatched_date)
        lots = self.make_lots(1, prefix="TRUST")
        self.add_stock(self.product, lots=lots)
        order = self.sell([(self.product, 1)])
        self.validate(order.picking_ids)
        warranty = order.aftersales_warranty_ids
        repair = self.create_ticket(
            lot_id=warranty.lot_id.id,
            type_id=self.type_repair.id,
            warranty_claim_date=warranty.start_date + timedelta(days=60),
            user_id=self.engineer_a1.id,
        )
        repair.with_user(self.engineer_a1).action_warranty_repair()
        self.assertEqual(repair.coverage_action, "repair")
        with self.assertRaises(UserError):
            repair.with_user(self.engineer_a1).coverage_action = False
        self.ticket.write({"warranty_excluded": True, "warranty_exclusion_reason": "Misuse"})
        self.ticket.with_user(self.engineer_a1).action_cancel_warranty_exclusion()
        self.assertFalse(self.ticket.warranty_excluded)
