from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .warranty_common import WarrantyCase

START = date(2026, 3, 2)  # the delivery: refund until 9 March, exchange until 17 March
REPAIR_END = date(2027, 3, 2)

# Each case: (name, case values, expected coverage, expected reason fragments)
#   claim     days after the delivery of the new ticket's claim
#   fault     fault of the new ticket: "mech", "elec" or None
#   history   earlier tickets of the serial: (days after delivery, fault, outcome, repair days)
#             outcome: "repaired", "excluded", "exchanged"
#   sanbao    whether the policy is 三包 (default True)
#   policy    values written on the policy
#   hand_in   (days before the claim check the product was handed in, days waiting for parts
#             counted up to now, whether it waits for parts now)
#   start     the warranty start (default START)
CASES = [
    ("refund window, last day", {"claim": 7}, "refund", ["Refund window open", "03/09/2026"]),
    ("exchange window, first day", {"claim": 8}, "exchange", ["Exchange window open"]),
    ("exchange window, last day", {"claim": 15}, "exchange", ["exchange until 03/17/2026"]),
    ("repair warranty, first day", {"claim": 16}, "repair", ["In repair warranty"]),
    ("repair warranty, last day", {"claim": 365}, "repair", ["free repair until 03/02/2027"]),
    ("out of warranty, next day", {"claim": 366}, "out", ["the warranty ended on 03/02/2027"]),
    (
        "not 三包: the windows alone",
        {"claim": 7, "sanbao": False},
        "refund",
        ["Refund window open"],
    ),
    (
        "rule 1: repaired twice for a performance fault",
        {"claim": 200, "fault": "mech", "history": [(30, "mech", "repaired", 0)] * 2},
        "refund",
        ["Exchange or refund: repaired 2 times for a performance fault", "AS"],
    ),
    (
        "rule 1: two different performance faults count",
        {
            "claim": 200,
            "fault": "elec",
            "history": [(30, "mech", "repaired", 0), (90, "elec", "repaired", 0)],
        },
        "refund",
        ["repaired 2 times"],
    ),
    (
        "rule 1: one repair only",
        {"claim": 200, "fault": "mech", "history": [(30, "mech", "repaired", 0)]},
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 1: the new fault is not a performance fault",
        {
            "claim": 200,
            "fault": "elec",
            "history": [(30, "mech", "repaired", 0)] * 2,
            "policy": {"performance": "mech"},
        },
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 1: the earlier faults are not performance faults",
        {
            "claim": 200,
            "fault": "mech",
            "history": [(30, "elec", "repaired", 0)] * 2,
            "policy": {"performance": "mech"},
        },
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 1: an excluded ticket (misuse) is no repair",
        {
            "claim": 200,
            "fault": "mech",
            "history": [(30, "mech", "repaired", 0), (60, "mech", "excluded", 0)],
        },
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 1: repairs before the period (exchange restarted it) do not count",
        {
            "claim": 200,
            "fault": "mech",
            "start": START + timedelta(days=100),
            "history": [(-40, "mech", "repaired", 0), (-20, "mech", "repaired", 0)],
        },
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 1: a policy that asks three repairs",
        {
            "claim": 200,
            "fault": "mech",
            "history": [(30, "mech", "repaired", 0)] * 2,
            "policy": {"sanbao_repair_count": 3},
        },
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 1: not a 三包 policy",
        {
            "claim": 200,
            "fault": "mech",
            "sanbao": False,
            "history": [(30, "mech", "repaired", 0)] * 2,
        },
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 1: out of the 三包 period",
        {"claim": 400, "fault": "mech", "history": [(30, "mech", "repaired", 0)] * 2},
        "out",
        ["Out of warranty"],
    ),
    (
        "rule 1 in the refund window: refund stays",
        {"claim": 6, "fault": "mech", "history": [(1, "mech", "repaired", 0)] * 2},
        "refund",
        ["Refund window open", "repaired 2 times"],
    ),
    (
        "rule 2: repair days move the end out",
        {"claim": 370, "history": [(100, "mech", "repaired", 10)]},
        "repair",
        ["does not count 10 days", "ends on 03/12/2027 instead of 03/02/2027"],
    ),
    (
        "rule 2: beyond the moved end",
        {"claim": 376, "history": [(100, "mech", "repaired", 10)]},
        "out",
        ["the warranty ended on 03/12/2027"],
    ),
    (
        "rule 2: not a 三包 policy, the end stays",
        {"claim": 370, "sanbao": False, "history": [(100, "mech", "repaired", 10)]},
        "out",
        ["the warranty ended on 03/02/2027"],
    ),
    (
        "rule 2: the exchange window moves too",
        {"claim": 18, "history": [(2, "mech", "repaired", 5)]},
        "exchange",
        ["exchange until 03/22/2026"],
    ),
    (
        "rule 3: waiting for parts 91 days since hand-in",
        {"claim": 30, "hand_in": (91, 91, True)},
        "exchange",
        ["Free exchange: waiting for parts more than 90 days"],
    ),
    (
        "rule 3: waiting for parts 90 days, not yet",
        {"claim": 30, "hand_in": (90, 90, True)},
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 3: repair open 31 days",
        {"claim": 30, "hand_in": (31, 0, False)},
        "exchange",
        ["Exchange at the repairer's cost", "more than 30 days"],
    ),
    (
        "rule 3: repair open 30 days, not yet",
        {"claim": 30, "hand_in": (30, 0, False)},
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 3: open 40 days of which 15 waiting for parts",
        {"claim": 30, "hand_in": (40, 15, False)},
        "repair",
        ["In repair warranty"],
    ),
    (
        "rule 3: a policy with a 20-day repair limit",
        {"claim": 30, "hand_in": (21, 0, False), "policy": {"sanbao_repair_overdue_days": 20}},
        "exchange",
        ["more than 20 days"],
    ),
]


@tagged("post_install", "-at_install")
class TestSanbaoRules(WarrantyCase):
    """The 三包 rule book: the coverage decision and its reason, case by case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.lang = "en_US"
        cls.policy.is_sanbao = True
        cls.faults = {
            "mech": cls.fault,
            "elec": cls.fault_2,
            None: cls.env["aftersales.fault.category"],
        }
        cls.stage_waiting_parts = cls.env.ref("aftersales_service.stage_waiting_parts")

    def _history_ticket(self, warranty, day, fault, outcome, repair_days):
        ticket = self.create_ticket(
            lot_id=warranty.lot_id.id,
            fault_category_id=self.faults[fault].id,
            warranty_claim_date=START + timedelta(days=day),
        )
        if outcome == "excluded":
            ticket.warranty_exclusion_reason = "Dropped from a forklift"
            ticket.action_exclude_from_warranty()
        self.close(ticket)
        if repair_days:
            ticket._aftersales_system().sanbao_repair_days = repair_days
        return ticket

    def _hand_in(self, ticket, days_ago, waiting_days, waiting_now):
        now = datetime(2026, 4, 1, 4, 0)
        if waiting_now:
            ticket.stage_id = self.stage_waiting_parts
        values = {
            "sanbao_repair_start": now - timedelta(days=days_ago),
            "sanbao_waiting_days": 0 if waiting_now else waiting_days,
            "sanbao_waiting_since": waiting_now and now - timedelta(days=waiting_days),
        }
        ticket._aftersales_system().write(values)
        with freeze_time(now):
            ticket._sanbao_update_flags()

    def run_case(self, case):
        policy = self.policy
        policy.write({"is_sanbao": case.get("sanbao", True)})
        policy_values = dict(case.get("policy", {}))
        performance = policy_values.pop("performance", None)
        policy.write(
            {
                "sanbao_repair_count": 2,
                "sanbao_repair_overdue_days": 30,
                "sanbao_fault_category_ids": [(6, 0, self.faults[performance].ids)],
                **policy_values,
            }
        )
        lot = self.make_lots(1, prefix=f"CASE{self.case_index}-")
        warranty = self.env["aftersales.warranty"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.product.id,
                "lot_id": lot.id,
                "policy_id": policy.id,
                "start_date": case.get("start", START),
            }
        )
        history = [self._history_ticket(warranty, *entry) for entry in case.get("history", [])]
        ticket = self.create_ticket(
            lot_id=lot.id,
            fault_category_id=self.faults[case.get("fault")].id,
            warranty_claim_date=START + timedelta(days=case["claim"]),
        )
        if case.get("hand_in"):
            self._hand_in(ticket, *case["hand_in"])
        return ticket, history

    def test_rule_book_table(self):
        self.assertGreaterEqual(len(CASES), 20)
        for self.case_index, (name, case, coverage, fragments) in enumerate(CASES):
            with self.subTest(name):
                ticket, history = self.run_case(case)
                self.env.invalidate_all()
                self.assertEqual(ticket.coverage, coverage, f"{name}: {ticket.coverage_reason}")
                for fragment in fragments:
                    self.assertIn(fragment, ticket.coverage_reason or "", name)
                if coverage == "refund" and history and "repaired 2" in fragments[-1]:
                    for earlier in history:
                        self.assertIn(earlier.number, ticket.coverage_reason, name)


@tagged("post_install", "-at_install")
class TestSanbaoLifeCycle(WarrantyCase):
    """Rules 2 to 7 as the tickets live: repair days, flags, repeats, depreciation, parts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.lang = "en_US"
        cls.policy.is_sanbao = True
        cls.lots = cls.make_lots(2, prefix="LC")
        cls.add_stock(cls.product, lots=cls.lots)
        cls.stage_waiting_parts = cls.env.ref("aftersales_service.stage_waiting_parts")

    def deliver_one(self, invoice=False):
        with freeze_time("2026-03-02 04:00:00"):
            order = self.sell([(self.product, 1)])
            self.validate(order.picking_ids)
            if invoice:
                self.invoice(order)
        return order, order.aftersales_warranty_ids

    def test_rule_2_repair_and_waiting_days_move_the_end(self):
        _order, warranty = self.deliver_one()
        self.assertEqual(warranty.end_date, date(2027, 3, 2))
        with freeze_time("2026-05-01 02:00:00"):
            ticket = self.create_ticket(lot_id=warranty.lot_id.id, fault_category_id=self.fault.id)
            ticket.stage_id = self.stage_in_progress
        self.assertEqual(ticket.sanbao_repair_start, datetime(2026, 5, 1, 2, 0))
        with freeze_time("2026-05-03 02:00:00"):
            ticket.stage_id = self.stage_waiting_parts
        with freeze_time("2026-05-10 02:00:00"):
            ticket.stage_id = self.stage_in_progress
        self.assertEqual(ticket.sanbao_waiting_days, 7)
        self.assertFalse(ticket.sanbao_waiting_since)
        with freeze_time("2026-05-13 02:00:00"):
            self.close(ticket)
        self.assertEqual(ticket.sanbao_repair_days, 12)
        self.assertEqual(warranty.sanbao_paused_days, 12)
        self.assertEqual(warranty.end_date, date(2027, 3, 14))
        self.assertEqual(warranty.original_end_date, date(2027, 3, 2))
        self.assertEqual(warranty.exchange_end_date, date(2026, 3, 29))
        # a user cannot write the recorded days
        with self.assertRaises(UserError):
            ticket.with_user(self.agent).sanbao_repair_days = 0
        # the warranty card shows both ends
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.action_report_warranty_card", warranty.ids)[0]
            .decode()
        )
        self.assertIn("03/14/2027", html)
        self.assertIn("03/02/2027", html)

    def test_rule_3_flags_and_exchange_after_a_free_repair(self):
        _order, warranty = self.deliver_one()
        with freeze_time("2026-04-01 02:00:00"):
            ticket = self.create_ticket(lot_id=warranty.lot_id.id, type_id=self.type_repair.id)
            self.assertEqual(ticket.coverage, "repair")
            ticket.action_warranty_repair()
            ticket.stage_id = self.stage_in_progress
            self.assertFalse(ticket.can_warranty_exchange)
        with freeze_time("2026-05-01 02:00:00"):
            self.env["aftersales.ticket"]._cron_sanbao_rules()
            self.assertFalse(ticket.sanbao_repair_overdue, "30 days: not yet")
        with freeze_time("2026-05-02 02:00:00"):
            self.env["aftersales.ticket"]._cron_sanbao_rules()
        self.assertTrue(ticket.sanbao_repair_overdue)
        self.assertTrue(ticket.sanbao_repairer_cost)
        self.assertEqual(ticket.coverage, "exchange")
        self.assertTrue(ticket.can_warranty_exchange, "the free repair may turn into an exchange")
        self.assertIn("repairer's cost", ticket.message_ids[:1].body)
        ticket.action_warranty_exchange()
        self.assertEqual(ticket.coverage_action, "exchange")

    def test_rule_3_parts_wait_counts_for_the_producer(self):
        _order, warranty = self.deliver_one()
        with freeze_time("2026-04-01 02:00:00"):
            ticket = self.create_ticket(lot_id=warranty.lot_id.id)
            ticket.stage_id = self.stage_waiting_parts
        with freeze_time("2026-06-30 02:00:00"):  # 90 days
            self.env["aftersales.ticket"]._cron_sanbao_rules()
            self.assertFalse(ticket.sanbao_parts_overdue)
            self.assertFalse(ticket.sanbao_repair_overdue, "waiting for parts is no repair delay")
        with freeze_time("2026-07-01 02:00:00"):
            self.env["aftersales.ticket"]._cron_sanbao_rules()
        self.assertTrue(ticket.sanbao_parts_overdue)
        self.assertFalse(ticket.sanbao_repairer_cost)
        self.assertEqual(ticket.coverage, "exchange")

    def test_rule_4_a_sanbao_policy_restarts_after_an_exchange(self):
        policy = self.env["aftersales.warranty.policy"].create(
            {"name": "Other", "exchange_warranty": "remainder"}
        )
        self.assertEqual(policy.exchange_warranty, "remainder")
        policy.is_sanbao = True
        self.assertEqual(policy.exchange_warranty, "restart")
        new = self.env["aftersales.warranty.policy"].create({"name": "三包", "is_sanbao": True})
        self.assertEqual(new.exchange_warranty, "restart")
        self.assertEqual(
            (new.sanbao_repair_count, new.sanbao_parts_wait_days, new.sanbao_repair_overdue_days),
            (2, 90, 30),
        )
        self.assertEqual((new.sanbao_repeat_days, new.sanbao_supply_years), (30, 5))

    def test_rule_5_repeat_within_the_repair_guarantee_whatever_the_fault(self):
        _order, warranty = self.deliver_one()
        self.team_a.repeat_window_days = 7
        now = self.env.cr.now()  # the creation time of every ticket of the test

        def earlier(age, fault):
            ticket = self.create_ticket(lot_id=warranty.lot_id.id, fault_category_id=fault.id)
            self.close(ticket)
            ticket._aftersales_system().closed_date = now - age
            return ticket

        first = earlier(timedelta(days=30), self.fault)
        second = self.create_ticket(lot_id=warranty.lot_id.id, fault_category_id=self.fault_2.id)
        self.assertEqual(second.repeat_of_id, first, "30 days after a repair, another fault")
        self.assertFalse(first.first_time_fix)
        no_fault = self.create_ticket(lot_id=warranty.lot_id.id)
        self.assertEqual(no_fault.repeat_of_id, first, "even before the fault is known")
        (second | no_fault).write({"lot_id": False})
        first._aftersales_system().closed_date = now - timedelta(days=30, seconds=1)
        third = self.create_ticket(lot_id=warranty.lot_id.id, fault_category_id=self.fault_2.id)
        self.assertFalse(third.repeat_of_id, "more than 30 days after the repair")
        # not a 三包 policy: the fault must match, within the team's window
        self.policy.is_sanbao = False
        first._aftersales_system().closed_date = now - timedelta(days=3)
        fourth = self.create_ticket(lot_id=warranty.lot_id.id, fault_category_id=self.fault_2.id)
        self.assertFalse(fourth.repeat_of_id)

    def test_rule_6_depreciation_on_the_refund_credit_note(self):
        self.category.aftersales_depreciation_rate = 0.1
        order, warranty = self.deliver_one(invoice=True)
        invoice = order.invoice_ids
        with freeze_time("2026-03-20 02:00:00"):
            earlier = self.create_ticket(lot_id=warranty.lot_id.id, fault_category_id=self.fault.id)
            earlier.stage_id = self.stage_in_progress
        with freeze_time("2026-03-25 02:00:00"):
            self.close(earlier)
        with freeze_time("2026-04-10 02:00:00"):
            again = self.create_ticket(lot_id=warranty.lot_id.id, fault_category_id=self.fault.id)
            again.stage_id = self.stage_in_progress
        with freeze_time("2026-04-12 02:00:00"):
            self.close(again)
        with freeze_time("2026-06-10 02:00:00"):
            ticket = self.create_ticket(lot_id=warranty.lot_id.id, fault_category_id=self.fault.id)
            self.assertEqual(ticket.coverage, "refund", ticket.coverage_reason)
            self.assertIn(earlier.number, ticket.coverage_reason)
            ticket.action_warranty_refund()
        # 100 days since the invoice of 2 March, 7 of repair: 1000 × 0.1% × 93
        self.assertEqual(warranty.sanbao_paused_days, 7)
        self.assertAlmostEqual(ticket.sanbao_depreciation_amount, 93.0)
        self.assertIn("100 days since the invoice", ticket.sanbao_depreciation_note)
        credit_note = ticket.warranty_credit_note_id
        self.assertAlmostEqual(credit_note.amount_untaxed, invoice.amount_untaxed - 93.0, places=2)

    def test_rule_7_parts_of_a_discontinued_product_stay_orderable(self):
        part = self.env["product.product"].create({"name": "Heater Band", "sale_ok": True})
        self.product.product_tmpl_id.write(
            {
                "aftersales_discontinued_date": date(2024, 6, 1),
                "aftersales_spare_part_ids": part.ids,
            }
        )
        self.assertEqual(self.product.aftersales_supply_until, date(2029, 6, 1))
        with freeze_time("2026-06-01"):
            with self.assertRaises(UserError):
                part.active = False
            with self.assertRaises(UserError):
                part.product_tmpl_id.sale_ok = False
            self.env.flush_all()
            report = self.env["aftersales.parts.supply.report"].search(
                [("part_id", "=", part.id), ("supply_until", ">=", "2026-06-01")]
            )
            self.assertEqual(report.product_tmpl_id, self.product.product_tmpl_id)
        with freeze_time("2029-06-02"):
            part.active = False  # the obligation has ended
