from odoo import fields, models

from .survey_question import SCORED_DIMENSIONS, SERVQUAL_DIMENSIONS


class AftersalesSatisfactionReport(models.Model):
    """Satisfaction trend: one row per answered survey and dimension (long format).

    Grouping by dimension and month (or team, engineer, product) gives the trend of each
    SERVQUAL dimension and of the overall satisfaction.
    """

    _name = "aftersales.satisfaction.report"
    _description = "After-Sales Satisfaction Analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date desc"
    _depends = {
        "aftersales.ticket": [
            "active",
            "survey_answer_date",
            "closed_date",
            "company_id",
            "team_id",
            "user_id",
            "commercial_partner_id",
            "customer_tier_id",
            "type_id",
            "product_id",
            "survey_state",
            "score_tangibles",
            "score_reliability",
            "score_responsiveness",
            "score_assurance",
            "score_empathy",
            "score_overall",
        ],
        "product.product": ["product_tmpl_id"],
    }

    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    date = fields.Datetime(string="Answered on", readonly=True)
    closed_date = fields.Datetime(string="Closed on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Engineer", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_tier_id = fields.Many2one("aftersales.customer.tier", readonly=True)
    type_id = fields.Many2one("aftersales.ticket.type", string="Ticket Type", readonly=True)
    product_id = fields.Many2one("product.product", string="Product Variant", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", readonly=True)
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
                t.id AS ticket_id,
                t.survey_answer_date AS date,
                t.closed_date AS closed_date,
                t.company_id AS company_id,
                t.team_id AS team_id,
                t.user_id AS user_id,
                t.commercial_partner_id AS partner_id,
                t.customer_tier_id AS customer_tier_id,
                t.type_id AS type_id,
                t.product_id AS product_id,
                pp.product_tmpl_id AS product_tmpl_id,
                d.dimension AS dimension,
                d.score AS score,
                CASE WHEN d.score < {int(threshold)} THEN 1 ELSE 0 END AS low_score_count,
                1 AS answer_count
            FROM aftersales_ticket t
            CROSS JOIN LATERAL (VALUES {values}) AS d(seq, dimension, score)
            LEFT JOIN product_product pp ON pp.id = t.product_id
            WHERE t.survey_state = 'done' AND t.active AND d.score IS NOT NULL
        """
