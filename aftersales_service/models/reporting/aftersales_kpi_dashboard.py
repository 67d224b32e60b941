from datetime import timedelta

from odoo import api, fields, models

from ..satisfaction.survey_question import SCORED_DIMENSIONS

PERIODS = [
    ("last_30", "Last 30 Days"),
    ("last_90", "Last 90 Days"),
    ("last_365", "Last 12 Months"),
    ("all", "All Time"),
]
PERIOD_DAYS = {"last_30": 30, "last_90": 90, "last_365": 365}


class AftersalesKpiDashboard(models.TransientModel):
    """The service manager's dashboard: the KPIs of a period at a glance, with links to the
    pivot and graph reports behind each figure."""

    _name = "aftersales.kpi.dashboard"
    _description = "After-Sales Manager Dashboard"

    period = fields.Selection(PERIODS, required=True, default="last_90")
    team_id = fields.Many2one("aftersales.team")
    date_from = fields.Datetime(compute="_compute_date_from")
    currency_id = fields.Many2one("res.currency", compute="_compute_kpis")
    # tickets
    ticket_count = fields.Integer(string="New Tickets", compute="_compute_kpis")
    closed_count = fields.Integer(string="Tickets Handled", compute="_compute_kpis")
    open_count = fields.Integer(string="Open Tickets", compute="_compute_kpis")
    avg_response_hours = fields.Float(string="Avg First Response (h)", compute="_compute_kpis")
    avg_resolution_hours = fields.Float(string="Avg Resolution (h)", compute="_compute_kpis")
    first_time_fix_rate = fields.Float(string="First-Time-Fix Rate (%)", compute="_compute_kpis")
    repeat_count = fields.Integer(string="Repeat Repairs", compute="_compute_kpis")
    avg_cost_per_ticket = fields.Float(string="Avg Cost per Ticket", compute="_compute_kpis")
    # complaints
    complaint_count = fields.Integer(string="Complaints", compute="_compute_kpis")
    complaint_rate = fields.Float(string="Complaint Rate (%)", compute="_compute_kpis")
    complaint_overdue_count = fields.Integer(string="Overdue Complaints", compute="_compute_kpis")
    # satisfaction
    survey_sent_count = fields.Integer(string="Surveys Sent", compute="_compute_kpis")
    survey_answered_count = fields.Integer(string="Surveys Answered", compute="_compute_kpis")
    survey_response_rate = fields.Float(string="Response Rate (%)", compute="_compute_kpis")
    score_overall = fields.Float(string="Overall Satisfaction", compute="_compute_kpis")
    score_tangibles = fields.Float(string="Tangibles", compute="_compute_kpis")
    score_reliability = fields.Float(string="Reliability", compute="_compute_kpis")
    score_responsiveness = fields.Float(string="Responsiveness", compute="_compute_kpis")
    score_assurance = fields.Float(string="Assurance", compute="_compute_kpis")
    score_empathy = fields.Float(string="Empathy", compute="_compute_kpis")
    low_score_count = fields.Integer(string="Low Scores", compute="_compute_kpis")
    # follow-up work
    return_visit_due_count = fields.Integer(string="Return Visits Due", compute="_compute_kpis")
    maintenance_due_count = fields.Integer(
        string="Maintenance Due in 30 Days", compute="_compute_kpis"
    )

    def _compute_display_name(self):
        """The breadcrumb reads the dashboard's name, not the id of an unsaved record."""
        for dashboard in self:
            dashboard.display_name = self.env._("Service Dashboard")

    @api.depends("period")
    def _compute_date_from(self):
        now = fields.Datetime.now()
        for dashboard in self:
            days = PERIOD_DAYS.get(dashboard.period)
            dashboard.date_from = now - timedelta(days=days) if days else False

    def _team_domain(self, field="team_id"):
        return [(field, "=", self.team_id.id)] if self.team_id else []

    def _since(self, field):
        return [(field, ">=", self.date_from)] if self.date_from else []

    @api.depends("period", "team_id")
    def _compute_kpis(self):
        for dashboard in self:
            dashboard.currency_id = self.env.company.currency_id
            dashboard.update(dashboard._ticket_kpis())
            dashboard.update(dashboard._satisfaction_kpis())
            dashboard.update(dashboard._follow_up_kpis())

    def _ticket_kpis(self):
        Report = self.env["aftersales.kpi.report"]
        team = self._team_domain()
        [(count, complaints, complaint_rate, response)] = Report._read_group(
            team + self._since("date"),
            [],
            ["ticket_count:sum", "complaint_count:sum", "complaint_rate:avg", "response_hours:avg"],
        )
        [(closed, resolution, ftf, repeats, cost)] = Report._read_group(
            team + [("is_closed", "=", True)] + self._since("closed_date"),
            [],
            [
                "closed_count:sum",
                "resolution_hours:avg",
                "first_time_fix_rate:avg",
                "repeat_count:sum",
                "cost_per_ticket:avg",
            ],
        )
        Ticket = self.env["aftersales.ticket"]
        open_count = Ticket.search_count(team + [("is_closed", "=", False)])
        overdue = Ticket.search_count(
            team
            + [
                ("is_complaint", "=", True),
                ("is_closed", "=", False),
                ("complaint_deadline", "<", fields.Datetime.now()),
            ]
        )
        return {
            "ticket_count": count or 0,
            "complaint_count": complaints or 0,
            "complaint_rate": complaint_rate or 0.0,
            "avg_response_hours": response or 0.0,
            "closed_count": closed or 0,
            "avg_resolution_hours": resolution or 0.0,
            "first_time_fix_rate": ftf or 0.0,
            "repeat_count": repeats or 0,
            "avg_cost_per_ticket": cost or 0.0,
            "open_count": open_count,
            "complaint_overdue_count": overdue,
        }

    def _satisfaction_kpis(self):
        Ticket = self.env["aftersales.ticket"]
        team = self._team_domain()
        sent = Ticket.search_count(
            team + [("survey_state", "!=", False)] + self._since("survey_sent_date")
        )
        measures = [f"score_{name}:avg" for name in SCORED_DIMENSIONS]
        [(answered, *scores)] = Ticket._read_group(
            team + [("survey_state", "=", "done")] + self._since("survey_answer_date"),
            [],
            ["__count", *measures],
        )
        low = Ticket.search_count(
            team
            + [("survey_state", "=", "done"), ("survey_low_score", "=", True)]
            + self._since("survey_answer_date")
        )
        values = {
            "survey_sent_count": sent,
            "survey_answered_count": answered,
            "survey_response_rate": answered * 100.0 / sent if sent else 0.0,
            "low_score_count": low,
        }
        values.update(
            {
                f"score_{name}": score or 0.0
                for name, score in zip(SCORED_DIMENSIONS, scores, strict=True)
            }
        )
        return values

    def _follow_up_kpis(self):
        today = fields.Date.context_today(self)
        return_visits = self.env["aftersales.ticket"].search_count(
            self._team_domain()
            + [("return_visit_state", "=", "planned"), ("return_visit_date", "<=", today)]
        )
        maintenance = self.env["aftersales.maintenance.plan"].search_count(
            self._team_domain()
            + [("next_date", "!=", False), ("next_date", "<=", today + timedelta(days=30))]
        )
        return {"return_visit_due_count": return_visits, "maintenance_due_count": maintenance}

    # ------------------------------------------------------------ links to the reports

    def _open(self, xmlid, date_field=None, extra_domain=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        domain = self._team_domain() + (extra_domain or [])
        if date_field:
            domain += self._since(date_field)
        action["domain"] = domain
        return action

    def action_open_engineer_kpis(self):
        return self._open("aftersales_service.aftersales_kpi_report_action_engineer", "date")

    def action_open_satisfaction_trend(self):
        return self._open("aftersales_service.aftersales_satisfaction_report_action", "date")

    def action_open_faults(self):
        return self._open("aftersales_service.aftersales_kpi_report_action_faults", "date")

    def action_open_costs(self):
        return self._open(
            "aftersales_service.aftersales_kpi_report_action_costs",
            "closed_date",
            [("is_closed", "=", True)],
        )

    def action_open_complaints(self):
        return self._open("aftersales_service.aftersales_complaint_action", "complaint_date")

    def action_open_return_visits(self):
        return self._open("aftersales_service.aftersales_return_visit_action")

    def action_open_maintenance_plans(self):
        return self._open("aftersales_service.aftersales_maintenance_plan_action")
