from odoo import fields, models


class AftersalesKpiDashboard(models.TransientModel):
    _inherit = "aftersales.kpi.dashboard"

    sla_compliance_rate = fields.Float(string="SLA Compliance (%)", compute="_compute_kpis")

    def _ticket_kpis(self):
        values = super()._ticket_kpis()
        [(rate,)] = self.env["aftersales.kpi.report"]._read_group(
            self._team_domain() + self._since("date"), [], ["sla_compliance_rate:avg"]
        )
        values["sla_compliance_rate"] = rate or 0.0
        return values
