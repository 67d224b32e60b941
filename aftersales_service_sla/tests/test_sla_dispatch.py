"""A dispatch syncs the promises of its whole batch once."""

from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestSlaDispatch(SlaCase):
    def _spy_syncs(self):
        calls = []
        Ticket = type(self.env["aftersales.ticket"])
        original = Ticket._sla_sync

        def spy(records, *args, **kwargs):
            calls.append(frozenset(records.ids))
            return original(records, *args, **kwargs)

        self.patch(Ticket, "_sla_sync", spy)
        return calls

    def test_one_sync_per_dispatch(self):
        tickets = self.env["aftersales.ticket"].create(
            [
                {"name": f"Dispatch {i}", "team_id": self.team_a.id, "partner_id": self.customer.id}
                for i in range(20)
            ]
        )
        self.team_a.assignment_method = "round_robin"
        calls = self._spy_syncs()
        tickets.action_assign()
        self.assertEqual(calls, [frozenset(tickets.ids)], "one sync for the batch")
        self.assertTrue(all(tickets.mapped("dispatched_date")))
        self.assertEqual(set(tickets.mapped("stage_id.role")), {"dispatched"})

    def test_one_sync_per_manual_assignment(self):
        ticket = self.create_ticket()
        calls = self._spy_syncs()
        ticket.user_id = self.engineer_a1
        self.assertEqual(calls, [frozenset(ticket.ids)])
        self.assertTrue(ticket.dispatched_date)
