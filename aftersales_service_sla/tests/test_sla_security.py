from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SlaCase, local

NOW = local((2026, 3, 2), 9)


@tagged("post_install", "-at_install")
class TestSlaSecurity(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(NOW):
            cls.ticket_a = cls.create_ticket()
            cls.ticket_other = cls.create_ticket(partner_id=cls.other_customer.id)
        cls.portal = new_test_user(
            cls.env, login="sla_portal", name="Portal Li", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = cls.customer

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_engineer_cannot_edit_policies(self):
        Policy = self.env["aftersales.sla.policy"].with_user(self.engineer_a1)
        self.assertTrue(Policy.search([("id", "=", self.policy_key.id)]), "users read them")
        with self.assertRaises(AccessError):
            self.policy_key.with_user(self.engineer_a1).name = "Faster"
        with self.assertRaises(AccessError):
            Policy.create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.policy_key.target_ids[0].with_user(self.engineer_a1).time_hours = 100
        with self.assertRaises(AccessError):
            self.policy_key.with_user(self.engineer_a1).unlink()
        self.policy_key.with_user(self.manager).name = "Key customers (2026)"

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_engineer_reads_only_timers_of_own_teams(self):
        Timer = self.env["aftersales.ticket.sla"]
        mine = Timer.with_user(self.engineer_a1).search([("ticket_id", "=", self.ticket_a.id)])
        self.assertEqual(len(mine), 3)
        with self.assertRaises(AccessError):
            mine[0].write({"deadline": False})
        other_team = Timer.with_user(self.engineer_b).search([("ticket_id", "=", self.ticket_a.id)])
        self.assertFalse(other_team, "team B does not see team A's promises")
        with self.assertRaises(AccessError):
            self.ticket_a.sla_ids.with_user(self.engineer_b).read(["deadline"])
        segments = self.env["aftersales.ticket.sla.segment"].with_user(self.engineer_b)
        self.assertFalse(segments.search([("timer_id.ticket_id", "=", self.ticket_a.id)]))
        tickets = self.ticket_a | self.ticket_other
        self.assertEqual(
            len(Timer.with_user(self.manager).search([("ticket_id", "in", tickets.ids)])),
            5,
            "managers see all",
        )

    def test_engineer_changes_timers_through_the_ticket(self):
        ticket = self.ticket_a.with_user(self.engineer_a1)
        with freeze_time(local((2026, 3, 2), 10)):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(set(self.ticket_a.sla_ids.mapped("status")), {"paused"})

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_portal_reads_own_promises_only(self):
        Timer = self.env["aftersales.ticket.sla"].with_user(self.portal)
        own = Timer.search([("ticket_id", "in", (self.ticket_a | self.ticket_other).ids)])
        self.assertEqual(own.ticket_id, self.ticket_a)
        with self.assertRaises(AccessError):
            self.ticket_other.sla_ids.with_user(self.portal).read(["deadline"])
        with self.assertRaises(AccessError):
            self.env["aftersales.sla.policy"].with_user(self.portal).search([])
        with self.assertRaises(AccessError):
            self.env["aftersales.compensation"].with_user(self.portal).search([])

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_multi_company(self):
        company_2 = self.env["res.company"].create({"name": "Shenzhen Branch"})
        team_2 = self.env["aftersales.team"].create(
            {"name": "Shenzhen Team", "company_id": company_2.id}
        )
        policy_2 = self.env["aftersales.sla.policy"].create(
            {
                "name": "Shenzhen promise",
                "company_id": company_2.id,
                "target_ids": [Command.create({"kind": "resolution", "time_hours": 8})],
            }
        )
        ticket_2 = self.create_ticket(company_id=company_2.id, team_id=team_2.id)
        self.assertEqual(ticket_2.sla_ids.policy_id, policy_2, "the company's own policy")
        self.assertNotIn(policy_2, self.ticket_a.sla_ids.policy_id)
        manager = self.manager.with_user(self.manager)
        self.assertFalse(
            manager.env["aftersales.ticket.sla"].search([("ticket_id", "=", ticket_2.id)]),
            "a manager of the first company only does not see the other company's timers",
        )
        self.assertFalse(manager.env["aftersales.sla.policy"].search([("id", "=", policy_2.id)]))
