"""Who may touch spare parts, and what a reservation costs in queries."""

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .parts_common import PartsCase


@tagged("post_install", "-at_install")
class TestPartsAccess(PartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.put_in_stock(cls.bearing, 5)
        cls.ticket_a = cls.parts_ticket((cls.bearing, 1))
        cls.ticket_b = cls.parts_ticket(
            (cls.bearing, 1), team_id=cls.team_b.id, partner_id=cls.other_customer.id
        )
        cls.portal = new_test_user(cls.env, login="as_portal_parts", groups="base.group_portal")
        cls.portal.partner_id.parent_id = cls.customer

    def test_engineer(self):
        Line = self.env["aftersales.part.line"].with_user(self.engineer_a1)
        self.assertEqual(Line.search([]), self.ticket_a.part_line_ids)
        line = self.ticket_a.part_line_ids.with_user(self.engineer_a1)
        line.product_uom_qty = 2
        self.ticket_a.with_user(self.engineer_a1).action_reserve_parts()
        self.assertEqual(line.state, "reserved", "no Inventory rights needed to reserve")
        with self.assertRaises(AccessError):
            self.ticket_b.part_line_ids.with_user(self.engineer_a1).read(["product_id"])
        with self.assertRaises(AccessError):
            self.ticket_b.part_line_ids.with_user(self.engineer_a1).write({"product_uom_qty": 3})
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.engineer_a1).action_reserve_parts()
        with self.assertRaises(AccessError):
            self.parts_picking(self.ticket_a).with_user(self.engineer_a1).read(["name"])

    def test_warehouse_user(self):
        self.ticket_a.action_reserve_parts()
        Line = self.env["aftersales.part.line"].with_user(self.clerk)
        self.assertEqual(
            Line.search([]) & (self.ticket_a | self.ticket_b).part_line_ids,
            (self.ticket_a | self.ticket_b).part_line_ids,
        )
        line = self.ticket_a.part_line_ids.with_user(self.clerk)
        spec = {"ticket_id": {"fields": {"display_name": {}}}, "state": {}}
        self.assertEqual(
            line.web_read(spec)[0]["ticket_id"]["display_name"], self.ticket_a.display_name
        )
        picking = self.parts_picking(self.ticket_a).with_user(self.clerk)
        spec = {
            "aftersales_ticket_id": {"fields": {"display_name": {}}},
            "aftersales_engineer_id": {},
        }
        values = picking.web_read(spec)[0]
        self.assertEqual(values["aftersales_ticket_id"]["display_name"], self.ticket_a.display_name)
        self.assertEqual(picking.aftersales_planned_visit_date, self.ticket_a.planned_visit_date)
        with self.assertRaises(AccessError):
            self.ticket_a.with_user(self.clerk).read(["description"])
        with self.assertRaises(AccessError):
            Line.create({"ticket_id": self.ticket_a.id, "product_id": self.bearing.id})

    def test_portal_user(self):
        with self.assertRaises(AccessError):
            self.ticket_a.part_line_ids.with_user(self.portal).read(["product_id"])
        with self.assertRaises(AccessError):
            self.ticket_a.with_user(self.portal).action_reserve_parts()

    def test_other_company(self):
        other = self.env["res.company"].create({"name": "Beifang Service Co."})
        ticket = self.parts_ticket((self.bearing, 1), company_id=other.id, team_id=False)
        line = ticket.part_line_ids
        Line = self.env["aftersales.part.line"].with_user(self.manager)
        self.assertNotIn(line, Line.search([]))
        with self.assertRaises(AccessError):
            line.with_user(self.manager).read(["product_id"])
        self.manager.write({"company_ids": [Command.link(other.id)]})
        both = [self.company.id, other.id]
        self.assertNotIn(line, Line.with_context(allowed_company_ids=[self.company.id]).search([]))
        self.assertIn(line, Line.with_context(allowed_company_ids=both).search([]))


@tagged("post_install", "-at_install")
class TestPartsQueryCount(PartsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.parts = Product.create(
            [{"name": f"Spare part {i:02d}", "is_storable": True} for i in range(20)]
        )
        for product in cls.parts:
            cls.put_in_stock(product, 5)
        # warm the caches: one ticket reserved
        cls.parts_ticket((cls.parts[0], 1)).action_reserve_parts()

    def _reserve(self, count, queries):
        ticket = self.parts_ticket(*((product, 1) for product in self.parts[:count]))
        self.flush_tracking()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=queries):
            ticket.action_reserve_parts()
            self.flush_tracking()
        self.assertEqual(set(ticket.part_line_ids.mapped("state")), {"reserved"})

    # About 10 queries a line come from Odoo's own reservation (quants gathered, move line
    # and quant written per move); the ticket side costs the same for 1 or 20 lines (one of
    # them: the old parts due of the lines, whose state follows their moves).
    def test_reserve_one_line(self):
        self._reserve(1, 59)  # with the lock of the ticket

    def test_reserve_twenty_lines(self):
        self._reserve(20, 241)
