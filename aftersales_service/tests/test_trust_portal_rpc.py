from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .test_portal import AftersalesPortalCase

# Staff-only fields of the records a portal customer can read, by model.
INTERNAL_FIELDS = {
    "aftersales.ticket": [
        "root_cause",
        "corrective_action",
        "lessons_learned",
        "complaint_escalated_date",
        "cost_parts",
        "cost_labour",
        "cost_travel",
        "cost_total",
        "survey_low_score",
        "return_visit_note",
        "major_quality_issue",
        "quality_issue_note",
        "vendor_defect",
        "defect_vendor_id",
        "visit_event_ids",
        "photo_ids",
        "field_checkin_flag",
        "field_checkin_distance",
        "field_checkin_reason",
        "field_state",
    ],
    "aftersales.warranty": ["note"],
    "aftersales.ticket.sla": [
        "exemption_state",
        "exemption_reason",
        "exemption_user_id",
        "exemption_approver_id",
        "segment_ids",
        "escalation_log_ids",
        "can_request_exemption",
    ],
}
# What the customer is shown in the portal: still read.
CUSTOMER_FIELDS = {
    "aftersales.ticket": [
        "number",
        "name",
        "stage_id",
        "resolution",
        "arrival_date",
        "field_work_minutes",
    ],
    "aftersales.warranty": ["number", "state", "start_date", "end_date"],
    "aftersales.ticket.sla": ["name", "kind", "deadline", "status", "reached_date"],
}


@tagged("post_install", "-at_install")
class TestTrustPortalRpc(AftersalesPortalCase):
    """A portal customer reads over Odoo's own JSON-RPC what the portal shows them, never
    the staff's fields (issue #12)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a.write(
            {
                "root_cause": "The customer's operator bypassed the guard",
                "resolution": "<p>Guard repaired.</p>",
            }
        )
        policy = cls.env["aftersales.warranty.policy"].create({"name": "Machines 三包"})
        cls.warranty = cls.env["aftersales.warranty"].create(
            {
                "partner_id": cls.customer.id,
                "product_id": cls.product.id,
                "lot_id": cls.lot.id,
                "policy_id": policy.id,
                "note": "Sold below cost: do not extend for free.",
            }
        )

    def records(self):
        records = {"aftersales.ticket": self.ticket_a, "aftersales.warranty": self.warranty}
        if "aftersales.ticket.sla" in self.env:
            self.ticket_a.flush_recordset()
            if self.ticket_a.sla_ids:
                records["aftersales.ticket.sla"] = self.ticket_a.sla_ids[:1]
        return records

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    @mute_logger("odoo.http")
    def test_portal_customer_cannot_read_internal_fields(self):
        self.authenticate("as_portal_a", "as_portal_a")
        for model, record in self.records().items():
            for field in INTERNAL_FIELDS[model]:
                self.assertIn(field, record._fields, f"{model}.{field} exists")
                with self.subTest(model=model, field=field):
                    with self.assertRaises(JsonRpcException) as caught:
                        self.call(model, "read", record.ids, [field])
                    self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
                    with self.assertRaises(JsonRpcException):
                        self.call(model, "search_read", [("id", "=", record.id)], [field])
            # the fields the web client would read: the internal ones are not offered
            fields_get = self.call(model, "fields_get", [], attributes=["type"])
            self.assertFalse(set(INTERNAL_FIELDS[model]) & set(fields_get))
            values = self.call(model, "read", record.ids, CUSTOMER_FIELDS[model])[0]
            self.assertEqual(set(CUSTOMER_FIELDS[model]), set(values) - {"id"})
        self.assertEqual(
            self.call("aftersales.ticket", "read", self.ticket_a.ids, ["name"])[0]["name"],
            "Hydraulic leak on HX-200",
        )

    def test_portal_page_shows_no_internal_field(self):
        """The customer's own ticket page shows the resolution, not the staff's root cause."""
        self.authenticate("as_portal_a", "as_portal_a")
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Guard repaired.", page.text)
        self.assertNotIn("bypassed the guard", page.text)

    def test_staff_still_read_internal_fields(self):
        ticket = self.ticket_a.with_user(self.engineer_a1)
        self.assertEqual(ticket.root_cause, "The customer's operator bypassed the guard")
        values = ticket.read(INTERNAL_FIELDS["aftersales.ticket"])[0]
        self.assertEqual(values["root_cause"], ticket.root_cause)
        self.assertTrue(self.warranty.with_user(self.engineer_a1).note)
