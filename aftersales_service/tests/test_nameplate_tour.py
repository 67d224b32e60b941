from odoo.tests import tagged

from .test_nameplate import NameplateCase


@tagged("post_install", "-at_install")
class TestNameplateTour(NameplateCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def make_lots(cls, count, prefix="SN", product=None):
        return super().make_lots(count, prefix="QRT" if prefix == "QR" else prefix, product=product)

    def test_scan_report_and_the_agent_sees_it(self):
        """Phone-sized: scan URL → warranty shown → fault reported → the agent's ticket."""
        self.start_tour(self.url, "aftersales_nameplate_tour")
        ticket = self.qr_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.lot_id, self.qr_lot)
        self.assertEqual(ticket.partner_id, self.customer)
        self.start_tour(
            "/odoo/action-aftersales_service.aftersales_ticket_action",
            "aftersales_nameplate_agent_tour",
            login="as_agent",
        )
