from pathlib import Path

from odoo.tests import tagged

from .common import AftersalesCase

# the sample mail the README feeds into the demo's gateway
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "sample_ticket.eml"


@tagged("post_install", "-at_install")
class TestDemoMail(AftersalesCase):
    """The demo's mail set-up: an alias domain, a team alias each, the sample mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "example.com"})
        cls.company.alias_domain_id = domain
        cls.team_a.write({"alias_name": "service-sh", "alias_domain_id": domain.id})
        cls.team_b.write({"alias_name": "service-gz", "alias_domain_id": domain.id})

    def process(self, raw):
        self.env["mail.thread"].sudo().message_process(False, raw)
        self.env.invalidate_all()
        message = self.env["mail.message"].search(
            [("model", "=", "aftersales.ticket")], order="id desc", limit=1
        )
        return self.env["aftersales.ticket"].browse(message.res_id)

    def test_sample_mail_creates_a_ticket_of_each_team(self):
        raw = SAMPLE.read_bytes()
        self.assertEqual(self.team_a.alias_id.alias_full_name, "service-sh@example.com")
        ticket = self.process(raw)
        self.assertEqual(ticket.team_id, self.team_a)
        self.assertEqual(ticket.name, "HX-200 注塑机加热圈不加热，料筒温度上不去")
        self.assertEqual(ticket.partner_email, "huang.lei@nanfang-pack.example.com")
        self.assertIn("加热圈不加热", ticket.description)
        to_guangzhou = raw.replace(b"service-sh@example.com", b"service-gz@example.com")
        to_guangzhou = to_guangzhou.replace(b"<hx200-heater-", b"<gz-hx200-heater-")
        other = self.process(to_guangzhou)
        self.assertNotEqual(other, ticket)
        self.assertEqual(other.team_id, self.team_b)

    def test_demo_language(self):
        """The demo speaks Chinese when zh_CN is installed, and stays as it is otherwise."""
        Partner = self.env["res.partner"]
        main = self.env.ref("base.main_partner")
        Partner._aftersales_demo_language(["base.main_partner"], lang="fr_BE")
        self.assertNotEqual(main.lang, "fr_BE", "a language not installed is not set")
        self.env["res.lang"]._activate_lang("zh_CN")
        # as in a database created in Chinese (users still on English: hence SQL)
        self.env.cr.execute("UPDATE res_lang SET active = false WHERE code = 'en_US'")
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        english = (
            self.env["res.lang"].with_context(active_test=False).search([("code", "=", "en_US")])
        )
        self.assertFalse(english.active)
        Partner._aftersales_demo_language(["base.main_partner", "base.no_such_record"])
        self.assertEqual(main.lang, "zh_CN")
        self.assertTrue(english.active, "the demo's customer who reads English can")
