from odoo import fields, models

from .survey_question import SCORED_DIMENSIONS, SERVQUAL_DIMENSIONS


class AftersalesSatisfactionReport(models.Model):
    """Satisfaction trend: one row per answered survey and dimension (long format).

    Grouping by dimension and month (or team, engineer, product) gives the trend of each
    SERVQUAL dimension and of the overall satisfaction.
    """

    _name = "aftersales.satisfaction.report"
    _inherit = ["aftersales.ticket.report.mixin"]
    _description = "After-Sales Satisfaction Analysis"
    _auto = False
    _depends = {
        "aftersales.ticket": [
            "survey_answer_date",
            "survey_state",
            "score_tangibles",
            "score_reliability",
            "score_responsiveness",
            "score_assurance",
            "score_empathy",
            "score_overall",
        ],
    }

    date = fields.Datetime(string="Answered on", readonly=True)
    dimension = fields.Selection(
        SERVQUAL_DIMENSIONS + [("overall", "Overall Satisfaction")], readonly=True
    )
    score = fields.Float(string="Score (0-100)", readonly=True, aggregator="avg")
    low_score_count = fields.Integer(
        string="Low Scores",
        readonly=True,
        aggregator="sum",
        help="Answers of the dimension below the low-score threshold of the settings.",
    )
    answer_count = fields.Integer(string="Answers", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        threshold = self.env["aftersales.ticket"]._satisfaction_param("survey_low_score", 60)
        values = ", ".join(
            f"({index}, '{name}', t.score_{name})"
            for index, name in enumerate(SCORED_DIMENSIONS, start=1)
        )
        return f"""
            SELECT
                t.id * 10 + d.seq AS id,
                t.survey_answer_date AS date,
                {self._ticket_dimensions_select()},
                d.dimension AS dimension,
                d.score AS score,
                CASE WHEN d.score < {int(threshold)} THEN 1 ELSE 0 END AS low_score_count,
                1 AS answer_count
            FROM aftersales_ticket t
            CROSS JOIN LATERAL (VALUES {values}) AS d(seq, dimension, score)
            LEFT JOIN product_product pp ON pp.id = t.product_id
            WHERE t.survey_state = 'done' AND t.active AND d.score IS NOT NULL
        """
