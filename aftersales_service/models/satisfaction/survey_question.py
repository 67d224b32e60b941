from odoo import fields, models

# SERVQUAL (Parasuraman, Zeithaml and Berry): the five dimensions of service quality
SERVQUAL_DIMENSIONS = [
    ("tangibles", "Tangibles"),
    ("reliability", "Reliability"),
    ("responsiveness", "Responsiveness"),
    ("assurance", "Assurance"),
    ("empathy", "Empathy"),
]
# dimensions scored 0-100 on the ticket
SCORED_DIMENSIONS = [code for code, _label in SERVQUAL_DIMENSIONS] + ["overall"]
AFTERSALES_DIMENSIONS = SERVQUAL_DIMENSIONS + [
    ("overall", "Overall Satisfaction"),
    ("recommend", "Would Recommend"),
    ("comment", "Comment"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    aftersales_dimension = fields.Selection(
        AFTERSALES_DIMENSIONS,
        string="After-Sales Dimension",
        help="What the answer to this question measures on the service ticket: a SERVQUAL "
        "dimension (the mean of its scale questions, as 0-100), the overall satisfaction "
        "(0-100), the recommendation (scale value, 0-10) or the customer's comment.",
    )
