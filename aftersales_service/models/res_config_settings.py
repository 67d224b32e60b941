from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_labour_product_id = fields.Many2one(
        related="company_id.aftersales_labour_product_id", readonly=False
    )
    aftersales_travel_product_id = fields.Many2one(
        related="company_id.aftersales_travel_product_id", readonly=False
    )
    aftersales_warranty_reminder_days = fields.Integer(
        related="company_id.aftersales_warranty_reminder_days", readonly=False
    )
    aftersales_warranty_renewal_product_id = fields.Many2one(
        related="company_id.aftersales_warranty_renewal_product_id", readonly=False
    )
    # ---- spare parts (备品备件)
    aftersales_purchase_user_id = fields.Many2one(
        related="company_id.aftersales_purchase_user_id", readonly=False
    )
    aftersales_quality_user_ids = fields.Many2many(
        related="company_id.aftersales_quality_user_ids", readonly=False
    )
    # ---- satisfaction, return visits and installation
    aftersales_survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction Survey",
        config_parameter="aftersales_service.survey_id",
        help="Survey sent when a ticket closes (the shipped SERVQUAL survey by default).",
    )
    aftersales_survey_on_close = fields.Boolean(
        string="Send the Survey on Closing",
        compute="_compute_aftersales_survey_on_close",
        inverse="_inverse_aftersales_survey_on_close",
        help="Switches the automation rule that sends the survey when a ticket closes.",
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
    aftersales_installation_trigger = fields.Selection(
        [("confirm", "On order confirmation"), ("delivery", "On delivery")],
        string="Create Installation Tickets",
        config_parameter="aftersales_service.installation_trigger",
        default="confirm",
        help="On confirmation: one ticket per order line (serials added at delivery). On "
        "delivery: one installation ticket per delivered serial number.",
    )

    def _compute_aftersales_survey_on_close(self):
        rule = self.env.ref(
            "aftersales_service.automation_survey_on_close", raise_if_not_found=False
        )
        for settings in self:
            settings.aftersales_survey_on_close = bool(rule and rule.sudo().active)

    def _inverse_aftersales_survey_on_close(self):
        rule = self.env.ref(
            "aftersales_service.automation_survey_on_close", raise_if_not_found=False
        )
        if rule:
            rule.sudo().active = self[:1].aftersales_survey_on_close
