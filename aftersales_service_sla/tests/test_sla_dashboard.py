from odoo.tests import tagged

from odoo.addons.aftersales_service.tests.dashboard_check import check_dashboard

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestSlaDashboard(SlaCase):
    """The Service Promises dashboard reads the SLA compliance of the KPI report."""

    def test_dashboard_data_loads(self):
        dashboard = self.env.ref("aftersales_service_sla.spreadsheet_dashboard_aftersales_sla")
        sources = check_dashboard(self, dashboard, self.agent)
        measures = {names[0] for _what, _model, names, _domain in sources}
        self.assertIn("sla_compliance_rate", measures)
        self.assertEqual(
            dashboard.dashboard_group_id,
            self.env.ref("aftersales_service.spreadsheet_dashboard_group_aftersales"),
        )
