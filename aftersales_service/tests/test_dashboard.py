import json

from odoo.tests import Form, tagged

from .common import AftersalesCase
from .dashboard_check import check_dashboard


@tagged("post_install", "-at_install")
class TestDashboard(AftersalesCase):
    """The spreadsheet dashboard shipped as data, and the Service Dashboard's title."""

    def test_dashboard_data_loads(self):
        dashboard = self.env.ref("aftersales_service.spreadsheet_dashboard_aftersales")
        self.assertIn(self.env.ref("aftersales_service.group_aftersales_user"), dashboard.group_ids)
        served = json.loads(dashboard.with_user(self.agent)._get_serialized_readonly_dashboard())
        self.assertEqual(served["translation_namespace"], "aftersales_service")
        sources = check_dashboard(self, dashboard, self.agent)
        self.assertEqual(
            {model for _what, model, _names, _domain in sources},
            {"aftersales.kpi.report", "aftersales.satisfaction.report"},
            "the charts and pivots read the report models, under the user's record rules",
        )
        titles = " ".join(what for what, *_rest in sources)
        for needed in (
            "opened per week",
            "closed per week",
            "SERVQUAL",
            "faults per product",
            "stage and engineer",
            "Warranty claims",
        ):
            self.assertIn(needed, titles)

    def test_warranty_claims_in_the_report(self):
        covered = self.create_ticket(product_id=self.product.id)
        other = self.create_ticket(product_id=self.product.id)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET coverage = 'repair', cost_total = 120 WHERE id = %s",
            [covered.id],
        )
        self.env.cr.execute(
            "UPDATE aftersales_ticket SET coverage = 'out', cost_total = 80 WHERE id = %s",
            [other.id],
        )
        self.env.invalidate_all()
        Report = self.env["aftersales.kpi.report"].with_user(self.manager)
        [(claims, cost, total)] = Report._read_group(
            [("ticket_id", "in", (covered | other).ids)],
            [],
            ["warranty_claim_count:sum", "warranty_cost:sum", "cost_total:sum"],
        )
        self.assertEqual((claims, cost, total), (1, 120.0, 200.0))
        rows = Report.search([("ticket_id", "=", covered.id)])
        self.assertEqual((rows.product_id, rows.coverage), (self.product, "repair"))

    def test_service_dashboard_title(self):
        """The form opens on a new record: its breadcrumb reads the display name."""
        Dashboard = self.env["aftersales.kpi.dashboard"].with_user(self.manager)
        values = Dashboard.onchange({}, [], {"display_name": {}, "period": {}})["value"]
        self.assertEqual(values["display_name"], "Service Dashboard")
        self.assertEqual(Form(Dashboard).period, "last_90", "the form still opens")
