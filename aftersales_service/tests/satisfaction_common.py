from .common import AftersalesCase

# a 1x1 PNG: the customer's signature on the service report
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

# A fixed answer set of the shipped SERVQUAL survey (scale 1-5; recommend 0-10) and the
# scores it must give: (value - 1) / 4 * 100, averaged per dimension.
FIXED_ANSWERS = {
    "tangibles_1": 5,
    "tangibles_2": 4,
    "tangibles_3": 3,  # 100, 75, 50 -> 75.0
    "reliability_1": 5,
    "reliability_2": 5,
    "reliability_3": 5,  # -> 100.0
    "responsiveness_1": 2,
    "responsiveness_2": 3,
    "responsiveness_3": 4,  # 25, 50, 75 -> 50.0
    "assurance_1": 4,
    "assurance_2": 5,  # 75, 100 -> 87.5
    "empathy_1": 1,
    "empathy_2": 2,  # 0, 25 -> 12.5
    "overall": 4,  # -> 75.0
    "recommend": 8,
    "comment": "Fast and friendly, but call before you come.",
}
FIXED_SCORES = {
    "score_tangibles": 75.0,
    "score_reliability": 100.0,
    "score_responsiveness": 50.0,
    "score_assurance": 87.5,
    "score_empathy": 12.5,
    "score_overall": 75.0,
    "survey_recommend": 8.0,
}


class SatisfactionCase(AftersalesCase):
    """Closing repair tickets (which ask for a survey and a return visit) and answering."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref("aftersales_service.survey_servqual")
        cls.type_installation = cls.env.ref("aftersales_service.type_installation")
        cls.type_complaint = cls.env.ref("aftersales_service.type_complaint")
        cls.activity_return_visit = cls.env.ref(
            "aftersales_service.mail_activity_type_return_visit"
        )
        cls.activity_followup = cls.env.ref(
            "aftersales_service.mail_activity_type_satisfaction_followup"
        )
        cls.activity_escalation = cls.env.ref(
            "aftersales_service.mail_activity_type_complaint_escalation"
        )
        cls.env["ir.config_parameter"].sudo().set_param("aftersales_service.survey_low_score", "60")
        cls.env["ir.config_parameter"].sudo().set_param(
            "aftersales_service.survey_reminder_days", "3"
        )

    @classmethod
    def create_repair(cls, **values):
        vals = {
            "type_id": cls.type_repair.id,
            "lot_id": cls.lot.id,
            "fault_category_id": cls.fault.id,
            "user_id": cls.engineer_a1.id,
        }
        vals.update(values)
        return cls.create_ticket(**vals)

    @classmethod
    def close_repair(cls, ticket, **values):
        vals = {
            "work_done": "<p>Bearing replaced, machine tested for one hour.</p>",
            "signature": PIXEL,
            "signed_by": "Zhang Wei",
        }
        vals.update(values)
        return cls.close(ticket, **vals)

    def answer(self, ticket, answers=None):
        """Answer the ticket's survey as the survey controller does, and submit it."""
        user_input = ticket.survey_user_input_id.sudo()
        for key, value in (answers or FIXED_ANSWERS).items():
            question = self.env.ref(f"aftersales_service.survey_servqual_{key}")
            user_input._save_lines(question, str(value))
        user_input._mark_done()
        return user_input

    def customer_mails(self, ticket, partner=None):
        partner = partner or ticket.partner_id
        return self.env["mail.mail"].search(
            [
                ("model", "=", "aftersales.ticket"),
                ("res_id", "=", ticket.id),
                ("recipient_ids", "in", partner.ids),
            ]
        )
