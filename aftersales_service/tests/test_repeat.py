from datetime import timedelta

from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestRepeatRepair(AftersalesCase):
    def setUp(self):
        super().setUp()
        # the creation time of every ticket of the test: the transaction's timestamp
        self.now = self.env.cr.now()

    def _earlier(self, age, **values):
        vals = {"lot_id": self.lot.id, "fault_category_id": self.fault.id}
        vals.update(values)
        ticket = self.create_ticket(**vals)
        self.close(ticket)
        ticket.closed_date = self.now - age
        return ticket

    def _new(self, **values):
        vals = {"lot_id": self.lot.id, "fault_category_id": self.fault.id}
        vals.update(values)
        ticket = self.create_ticket(**vals)
        self.assertEqual(ticket.create_date, self.now)
        return ticket

    def test_repeat_inside_window_edge(self):
        earlier = self._earlier(timedelta(days=90))
        new = self._new()
        self.assertTrue(new.is_repeat, "closed exactly 90 days ago: still a repeat")
        self.assertEqual(new.repeat_of_id, earlier)
        self.assertEqual(earlier.repeat_ticket_ids, new)
        self.assertFalse(earlier.first_time_fix, "the fault came back: not fixed the first time")

    def test_not_repeat_outside_window_edge(self):
        earlier = self._earlier(timedelta(days=90, seconds=1))
        new = self._new()
        self.assertFalse(new.is_repeat)
        self.assertTrue(earlier.first_time_fix)

    def test_team_window(self):
        self.team_a.repeat_window_days = 30
        self._earlier(timedelta(days=31))
        self.assertFalse(self._new().is_repeat)
        recent = self._earlier(timedelta(days=29))
        self.assertEqual(self._new().repeat_of_id, recent)

    def test_most_recent_earlier_ticket_wins(self):
        self._earlier(timedelta(days=60))
        latest = self._earlier(timedelta(days=10))
        self.assertEqual(self._new().repeat_of_id, latest)

    def test_other_fault_or_serial_is_not_repeat(self):
        self._earlier(timedelta(days=5))
        self.assertFalse(self._new(fault_category_id=self.fault_2.id).is_repeat)
        self.assertFalse(self._new(lot_id=self.lot_2.id).is_repeat)

    def test_open_earlier_ticket_is_not_repeated(self):
        self.create_ticket(lot_id=self.lot.id, fault_category_id=self.fault.id)
        self.assertFalse(self._new().is_repeat)

    def test_without_serial_same_customer_and_product(self):
        earlier = self._earlier(timedelta(days=3), lot_id=False, product_id=self.product.id)
        self.assertEqual(self._new(lot_id=False, product_id=self.product.id).repeat_of_id, earlier)
        other = self._new(
            lot_id=False, product_id=self.product.id, partner_id=self.other_customer.id
        )
        self.assertFalse(other.is_repeat, "another customer's machine is not a repeat")

    def test_fault_set_later_flags_repeat(self):
        earlier = self._earlier(timedelta(days=3))
        new = self._new(fault_category_id=False)
        self.assertFalse(new.is_repeat)
        new.fault_category_id = self.fault
        self.assertEqual(new.repeat_of_id, earlier)

    def test_first_time_fix_of_the_repeat(self):
        self._earlier(timedelta(days=3))
        new = self._new()
        self.close(new)
        self.assertFalse(new.first_time_fix, "a repeat repair is not a first-time fix")
        self.assertTrue(new.is_repeat, "closing keeps the repeat link")
