from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction Survey",
        config_parameter="aftersales_service.survey_id",
        help="Survey sent when a ticket closes (the shipped SERVQUAL survey by default).",
    )
    aftersales_survey_on_close = fields.Boolean(
        related="company_id.aftersales_survey_on_close", readonly=False
    )
    aftersales_survey_reminder_days = fields.Integer(
        string="Survey Reminder after (days)",
        config_parameter="aftersales_service.survey_reminder_days",
        default=3,
        help="One reminder is sent when the customer has not answered after this many days. "
        "0: no reminder.",
    )
    aftersales_survey_low_score = fields.Integer(
        string="Low Score Threshold",
        config_parameter="aftersales_service.survey_low_score",
        default=60,
        help="A dimension or overall score (0-100) below this opens a follow-up activity for "
        "the service manager.",
    )
