from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged

from .common import SlaCase, local

NOW = local((2026, 3, 2), 9)


@tagged("post_install", "-at_install")
class TestSlaPortal(HttpCase, SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="sla_portal", name="Portal Li", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = cls.customer
        with freeze_time(NOW):
            cls.ticket = cls.create_ticket()

    def test_customer_sees_the_committed_times(self):
        resolution = self.timer(self.ticket, "resolution")
        with freeze_time(local((2026, 3, 2), 9, 30)):
            self.ticket.stage_id = self.stage_in_progress
        self.authenticate("sla_portal", "sla_portal")
        response = self.url_open(self.ticket.access_url)
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn("Our Service Commitments", html)
        for label in ("First Response", "On-site Arrival", "Resolution"):
            self.assertIn(label, html)
        shown = (
            self.env["ir.qweb.field.datetime"]
            .with_user(self.portal)
            .value_to_html(resolution.deadline, {"hide_seconds": True})
        )
        self.assertIn(str(shown), html, "the deadline in the customer's time zone")

        with freeze_time(local((2026, 3, 2), 10)):
            self.ticket.stage_id = self.stage_waiting
        html = self.url_open(self.ticket.access_url).text
        self.assertIn("On hold while we wait for you", html)

    def test_customer_reads_the_promises_over_rpc(self):
        """A customer reads the promises of the company's ticket, their names included, over
        JSON-RPC (the policies behind them stay unreadable)."""
        self.authenticate("sla_portal", "sla_portal")
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "aftersales.ticket.sla",
                "method": "search_read",
                "args": [[("ticket_id", "=", self.ticket.id)], ["display_name", "kind"]],
                "kwargs": {},
            },
        )
        names = {row["kind"]: row["display_name"] for row in rows}
        self.assertEqual(names["resolution"], "Resolution (Key customers)")
        denied = self.url_open(
            "/web/dataset/call_kw",
            data=(
                '{"jsonrpc": "2.0", "params": {"model": "aftersales.sla.policy", '
                '"method": "search_read", "args": [[], ["name"]], "kwargs": {}}}'
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertIn("error", denied)
