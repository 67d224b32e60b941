from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestSecurity(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a = cls.create_ticket(name="Team A ticket")
        cls.ticket_b = cls.create_ticket(
            name="Team B ticket", team_id=cls.team_b.id, partner_id=cls.other_customer.id
        )
        cls.ticket_b.user_id = cls.engineer_b
        cls.portal_a = new_test_user(cls.env, login="portal_a", groups="base.group_portal")
        cls.portal_a.partner_id.parent_id = cls.customer
        cls.portal_b = new_test_user(cls.env, login="portal_b", groups="base.group_portal")
        cls.portal_b.partner_id.parent_id = cls.other_customer
        cls.outsider = new_test_user(cls.env, login="as_nogroup", groups="base.group_user")

    def _visible(self, user, model="aftersales.ticket"):
        return self.env[model].with_user(user).search([])

    def test_engineer_sees_own_team_only(self):
        visible = self._visible(self.engineer_a1)
        self.assertIn(self.ticket_a, visible)
        self.assertNotIn(self.ticket_b, visible)
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.engineer_a1).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.engineer_a1).write({"name": "hijacked"})
        self.assertEqual(self.ticket_b.name, "Team B ticket")

    def test_engineer_sees_own_ticket_in_other_team(self):
        own = self.create_ticket(team_id=self.team_b.id, user_id=self.engineer_a1.id)
        self.assertIn(own, self._visible(self.engineer_a1))

    def test_team_leader_sees_team(self):
        leader = new_test_user(
            self.env, login="as_leader_b", groups="aftersales_service.group_aftersales_user"
        )
        self.team_b.leader_id = leader
        self.assertIn(self.ticket_b, self._visible(leader))
        self.assertNotIn(self.ticket_a, self._visible(leader))

    def test_dispatch_records_follow_tickets(self):
        visible = self._visible(self.engineer_a1, "aftersales.ticket.dispatch")
        self.assertFalse(visible & self.ticket_b.dispatch_ids)
        self.assertEqual(
            self._visible(self.engineer_b, "aftersales.ticket.dispatch"), self.ticket_b.dispatch_ids
        )

    def test_manager_sees_all(self):
        visible = self._visible(self.manager)
        self.assertIn(self.ticket_a, visible)
        self.assertIn(self.ticket_b, visible)

    def test_engineer_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.team"].with_user(self.engineer_a1).create({"name": "Rogue"})
        with self.assertRaises(AccessError):
            self.stage_new.with_user(self.engineer_a1).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.ticket_a.with_user(self.engineer_a1).unlink()

    def test_internal_user_without_group_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.env["aftersales.ticket"].with_user(self.outsider).search([])

    def test_portal_sees_own_company_only(self):
        visible = self._visible(self.portal_a)
        self.assertIn(self.ticket_a, visible)
        self.assertNotIn(self.ticket_b, visible)
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket_a.with_user(self.portal_a).write({"name": "changed"})
        self.assertEqual(self._visible(self.portal_b), self.ticket_b)

    def test_company_isolation(self):
        company_2 = self.env["res.company"].create({"name": "Shenzhen Branch"})
        team_2 = self.env["aftersales.team"].create(
            {"name": "Shenzhen", "company_id": company_2.id}
        )
        ticket_2 = self.create_ticket(company_id=company_2.id, team_id=team_2.id)
        self.assertNotIn(ticket_2, self._visible(self.manager))
        self.assertNotIn(team_2, self._visible(self.manager, "aftersales.team"))
        with self.assertRaises(AccessError):
            ticket_2.with_user(self.manager).read(["name"])
        self.manager.company_ids |= company_2
        visible = (
            self.env["aftersales.ticket"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, company_2.id])
            .search([])
        )
        self.assertIn(ticket_2, visible)
