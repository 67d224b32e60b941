from odoo import fields, models


class AftersalesKpiReport(models.Model):
    """SLA compliance joins the engineer performance (R-8.1, R-6.6)."""

    _inherit = "aftersales.kpi.report"
    _depends = {"aftersales.ticket": ["sla_status"]}

    sla_compliance_rate = fields.Float(
        string="SLA Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the tickets whose service promises are all reached, among those whose "
        "promises are all reached or breached (100: met, 0: breached).",
    )
    sla_breached_count = fields.Integer(string="SLA Breaches", readonly=True, aggregator="sum")

    def _select(self):
        return (
            super()._select()
            + """,
            CASE WHEN t.sla_status = 'met' THEN 100.0
                 WHEN t.sla_status = 'breached' THEN 0.0 END AS sla_compliance_rate,
            CASE WHEN t.sla_status = 'breached' THEN 1 ELSE 0 END AS sla_breached_count
        """
        )
