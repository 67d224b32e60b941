from odoo import fields, models

from ..aftersales_ticket_type import PRIORITIES
from ..satisfaction.survey_question import SCORED_DIMENSIONS
from ..warranty.aftersales_ticket import COVERAGES


class AftersalesKpiReport(models.Model):
    """统计分析: one row per ticket with the measures managers steer by (R-8).

    A plain SQL view over the ticket table (no aggregation inside the view) so that the
    pivot and graph views group it with one indexed scan; rates are averages of 0/100
    columns that are NULL where they do not apply (AVG ignores NULL).
    Other addons add columns by extending `_select` (e.g. SLA compliance).
    """

    _name = "aftersales.kpi.report"
    _inherit = ["aftersales.ticket.report.mixin"]
    _description = "After-Sales KPI Analysis"
    _auto = False
    _depends = {
        "aftersales.ticket": [
            "create_date",
            "fault_category_id",
            "channel_id",
            "stage_id",
            "priority",
            "is_closed",
            "is_complaint",
            "complaint_grade_id",
            "dispatched_date",
            "first_time_fix",
            "is_repeat",
            "survey_state",
            "score_tangibles",
            "score_reliability",
            "score_responsiveness",
            "score_assurance",
            "score_empathy",
            "score_overall",
            "cost_parts",
            "cost_labour",
            "cost_travel",
            "cost_total",
            "coverage",
        ],
        "product.template": ["categ_id"],
    }

    # dimensions
    date = fields.Datetime(string="Created on", readonly=True)
    fault_category_id = fields.Many2one("aftersales.fault.category", readonly=True)
    channel_id = fields.Many2one("aftersales.channel", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    coverage = fields.Selection(COVERAGES, string="Coverage Decision", readonly=True)
    stage_id = fields.Many2one("aftersales.ticket.stage", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    is_complaint = fields.Boolean(string="Complaint", readonly=True)
    complaint_grade_id = fields.Many2one("aftersales.complaint.grade", readonly=True)
    # measures
    ticket_count = fields.Integer(string="Tickets", readonly=True, aggregator="sum")
    closed_count = fields.Integer(string="Tickets Handled", readonly=True, aggregator="sum")
    response_hours = fields.Float(
        string="First Response (h)",
        readonly=True,
        aggregator="avg",
        help="Hours from the request to its dispatch to an engineer.",
    )
    resolution_hours = fields.Float(
        string="Resolution (h)",
        readonly=True,
        aggregator="avg",
        help="Hours from the request to closing, for closed tickets.",
    )
    first_time_fix_rate = fields.Float(
        string="First-Time-Fix Rate (%)", readonly=True, aggregator="avg"
    )
    repeat_count = fields.Integer(string="Repeat Repairs", readonly=True, aggregator="sum")
    repeat_rate = fields.Float(string="Repeat Rate (%)", readonly=True, aggregator="avg")
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")
    complaint_rate = fields.Float(string="Complaint Rate (%)", readonly=True, aggregator="avg")
    survey_count = fields.Integer(string="Surveys Answered", readonly=True, aggregator="sum")
    score_tangibles = fields.Float(string="Tangibles", readonly=True, aggregator="avg")
    score_reliability = fields.Float(string="Reliability", readonly=True, aggregator="avg")
    score_responsiveness = fields.Float(string="Responsiveness", readonly=True, aggregator="avg")
    score_assurance = fields.Float(string="Assurance", readonly=True, aggregator="avg")
    score_empathy = fields.Float(string="Empathy", readonly=True, aggregator="avg")
    score_overall = fields.Float(string="Overall Satisfaction", readonly=True, aggregator="avg")
    cost_parts = fields.Float(string="Parts Cost", readonly=True, aggregator="sum")
    cost_labour = fields.Float(string="Labour Cost", readonly=True, aggregator="sum")
    cost_travel = fields.Float(string="Travel Cost", readonly=True, aggregator="sum")
    cost_total = fields.Float(string="Service Cost", readonly=True, aggregator="sum")
    cost_per_ticket = fields.Float(string="Cost per Ticket", readonly=True, aggregator="avg")
    warranty_claim_count = fields.Integer(
        string="Warranty Claims",
        readonly=True,
        aggregator="sum",
        help="Tickets the warranty covers: refund, exchange or repair under warranty.",
    )
    warranty_cost = fields.Float(
        readonly=True,
        aggregator="sum",
        help="Service cost of the tickets the warranty covers.",
    )

    def _select(self):
        answered = "t.survey_state = 'done'"
        scores = ",\n".join(
            f"CASE WHEN {answered} THEN t.score_{name} END AS score_{name}"
            for name in SCORED_DIMENSIONS
        )
        claim = "t.coverage IN ('refund', 'exchange', 'repair')"
        return f"""
            t.id AS id,
            t.create_date AS date,
            {self._ticket_dimensions_select()},
            t.fault_category_id AS fault_category_id,
            t.channel_id AS channel_id,
            pt.categ_id AS categ_id,
            t.coverage AS coverage,
            t.stage_id AS stage_id,
            t.priority AS priority,
            COALESCE(t.is_closed, FALSE) AS is_closed,
            COALESCE(t.is_complaint, FALSE) AS is_complaint,
            t.complaint_grade_id AS complaint_grade_id,
            1 AS ticket_count,
            CASE WHEN t.is_closed THEN 1 ELSE 0 END AS closed_count,
            EXTRACT(EPOCH FROM (t.dispatched_date - t.create_date)) / 3600.0 AS response_hours,
            CASE WHEN t.is_closed
                THEN EXTRACT(EPOCH FROM (t.closed_date - t.create_date)) / 3600.0
            END AS resolution_hours,
            CASE WHEN t.is_closed
                THEN CASE WHEN t.first_time_fix THEN 100.0 ELSE 0.0 END
            END AS first_time_fix_rate,
            CASE WHEN t.is_repeat THEN 1 ELSE 0 END AS repeat_count,
            CASE WHEN t.is_repeat THEN 100.0 ELSE 0.0 END AS repeat_rate,
            CASE WHEN t.is_complaint THEN 1 ELSE 0 END AS complaint_count,
            CASE WHEN t.is_complaint THEN 100.0 ELSE 0.0 END AS complaint_rate,
            CASE WHEN {answered} THEN 1 ELSE 0 END AS survey_count,
            {scores},
            COALESCE(t.cost_parts, 0.0) AS cost_parts,
            COALESCE(t.cost_labour, 0.0) AS cost_labour,
            COALESCE(t.cost_travel, 0.0) AS cost_travel,
            COALESCE(t.cost_total, 0.0) AS cost_total,
            CASE WHEN t.is_closed THEN COALESCE(t.cost_total, 0.0) END AS cost_per_ticket,
            CASE WHEN {claim} THEN 1 ELSE 0 END AS warranty_claim_count,
            CASE WHEN {claim} THEN COALESCE(t.cost_total, 0.0) ELSE 0.0 END AS warranty_cost
        """

    def _from(self):
        return """
            aftersales_ticket t
            LEFT JOIN product_product pp ON pp.id = t.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
        """

    def _where(self):
        return "t.active"

    @property
    def _table_query(self):
        return f"SELECT {self._select()} FROM {self._from()} WHERE {self._where()}"
