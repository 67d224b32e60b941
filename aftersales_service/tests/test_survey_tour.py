from odoo.tests import HttpCase, new_test_user, tagged

from .satisfaction_common import FIXED_ANSWERS, FIXED_SCORES, SatisfactionCase


@tagged("post_install", "-at_install")
class TestSurveyTour(HttpCase, SatisfactionCase):
    """The customer answers the satisfaction survey from the portal page of the request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="as_portal_survey", name="Zhou Min", groups="base.group_portal"
        )
        cls.portal.partner_id.write(
            {"parent_id": cls.customer.id, "email": "zhou@huadong.example.com"}
        )
        cls.colleague = new_test_user(
            cls.env, login="as_portal_colleague", name="Qian Lei", groups="base.group_portal"
        )
        cls.colleague.partner_id.parent_id = cls.customer
        cls.ticket = cls.create_repair(partner_id=cls.portal.partner_id.id)
        cls.close_repair(cls.ticket)

    def test_customer_answers_the_survey_from_the_portal(self):
        self.assertEqual(self.ticket.survey_state, "sent")
        self.start_tour(
            f"/my/tickets/{self.ticket.id}",
            "aftersales_survey_portal_tour",
            login=self.portal.login,
        )
        self.env.invalidate_all()
        self.assertEqual(self.ticket.survey_state, "done")
        self.assertEqual(self.ticket.survey_user_input_id.state, "done")
        self.assertEqual(self.ticket.survey_user_input_id.partner_id, self.portal.partner_id)
        for field_name, score in FIXED_SCORES.items():
            self.assertAlmostEqual(self.ticket[field_name], score, places=2, msg=field_name)
        self.assertEqual(self.ticket.survey_comment, FIXED_ANSWERS["comment"])
        self.assertTrue(self.ticket.survey_low_score, "empathy 12.5: a follow-up")

        # the page thanks the customer instead of offering the survey again
        self.authenticate(self.portal.login, self.portal.login)
        page = self.url_open(f"/my/tickets/{self.ticket.id}").text
        self.assertNotIn("o_aftersales_survey_link", page)
        self.assertIn("o_aftersales_survey_done", page)

    def test_the_link_is_personal(self):
        url = f"/my/tickets/{self.ticket.id}"
        self.authenticate(self.portal.login, self.portal.login)
        page = self.url_open(url).text
        self.assertIn(self.ticket.survey_user_input_id.get_start_url(), page.replace("&amp;", "&"))
        # a colleague of the same company sees the request, not the personal survey link
        self.authenticate(self.colleague.login, self.colleague.login)
        page = self.url_open(url).text
        self.assertIn(self.ticket.number, page)
        self.assertNotIn("o_aftersales_survey_link", page)
        # the link of the mail works without logging in
        self.authenticate(None, None)
        response = self.url_open(self.ticket.survey_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Start Survey", response.text)
