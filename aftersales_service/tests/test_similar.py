from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.similar.tokens import similarity_tokens
from .parts_common import PartsCase


@tagged("post_install", "-at_install")
class TestSimilarTickets(PartsCase):
    """Similar solved tickets at intake: same product or category, Chinese and English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        machines = Category.create({"name": "Injection Moulding Machines"})
        packing = Category.create({"name": "Packing Machines"})
        cls.product.categ_id = machines
        Product = cls.env["product.product"]
        cls.hx300 = Product.create(
            {"name": "Injection Moulding Machine HX-300", "type": "consu", "categ_id": machines.id}
        )
        cls.ps50 = Product.create(
            {"name": "Packing Machine PS-50", "type": "consu", "categ_id": packing.id}
        )
        cls.heater = Product.create({"name": "Heater Band HB-60", "type": "consu"})
        cls.solved = {}
        for key, product, subject, description, parts in [
            ("zh_heater", cls.product, "加热圈不加热", "料筒温度上不去，加热圈烧坏", True),
            ("zh_oil", cls.product, "液压油泄漏", "油缸密封圈老化，地面有油", False),
            ("zh_heater_hx300", cls.hx300, "加热圈烧坏", "温度升不上去", False),
            ("zh_heater_ps50", cls.ps50, "加热圈不加热", "料筒温度上不去，加热圈烧坏", False),
            ("en_heater", cls.product, "Heater band failed", "Barrel temperature too low", False),
            ("en_pump", cls.product, "Hydraulic pump noisy", "Oil leaking at the pump", False),
        ]:
            lines = [
                (cls.heater, 2, {"source": "customer"}),
                (cls.bearing, 1, {"source": "customer"}),
            ]
            ticket = cls.parts_ticket(
                *(lines if parts else []),
                name=subject,
                description=f"<p>{description}</p>",
                product_id=product.id,
            )
            cls.close(ticket, root_cause="加热圈老化" if parts else "Wear")
            cls.solved[key] = ticket

    def similar(self, user=None, **values):
        values.setdefault("product_id", self.product.id)
        ticket = self.create_ticket(**values)
        return ticket.with_user(user or self.agent).similar_ticket_ids

    def test_tokens(self):
        self.assertEqual(
            similarity_tokens("加热圈坏了", "<p>The heater band HX-200 is broken</p>"),
            ["加热", "热圈", "圈坏", "坏了", "heater", "band", "hx", "200", "broken"],
            "pairs of Chinese characters, Latin words without stop words and letters",
        )

    def test_chinese_same_product_first(self):
        found = self.similar(name="注塑机加热圈不加热", description="<p>温度上不去</p>")
        solved = self.solved
        self.assertEqual(found[0], solved["zh_heater"], "the same product and symptom first")
        self.assertEqual(found[1], solved["zh_heater_hx300"], "then the same category")
        self.assertNotIn(solved["zh_heater_ps50"], found, "another category is left out")
        self.assertNotIn(solved["zh_oil"], found, "another symptom is left out")
        self.assertTrue(found[0].root_cause, "the engineer reads the root cause")
        self.assertIn("Heater Band HB-60", found[0].parts_summary)
        self.assertIn("Replaced the worn bearing", found[0].similar_resolution_text)

    def test_english_ranking(self):
        found = self.similar(name="Heater band not heating", description="<p>Temperature low</p>")
        self.assertEqual(found[0], self.solved["en_heater"])
        self.assertNotIn(self.solved["en_pump"], found)
        found = self.similar(name="Oil leaking", description="<p>The hydraulic pump leaks</p>")
        self.assertEqual(found[0], self.solved["en_pump"])

    def test_without_product_nothing_yet(self):
        self.assertFalse(self.similar(name="加热圈不加热", product_id=False))
        found = self.similar(name="加热圈不加热", product_id=self.ps50.id)
        self.assertEqual(found, self.solved["zh_heater_ps50"], "its own category only")

    def test_closed_and_unrelated_tickets_show_nothing(self):
        self.assertFalse(self.solved["zh_heater"].similar_ticket_ids, "only open tickets ask")
        self.assertFalse(self.similar(name="屏幕不亮"), "no shared word, no suggestion")

    def test_access_rights_followed(self):
        """An engineer of another team sees no ticket of the first team."""
        found = self.similar(user=self.engineer_b, name="加热圈不加热", team_id=self.team_b.id)
        self.assertFalse(found)

    def test_new_ticket_form(self):
        form = Form(self.env["aftersales.ticket"].with_user(self.agent))
        form.name = "加热圈不加热"
        form.partner_id = self.customer_contact
        form.product_id = self.product
        self.assertEqual(form.similar_ticket_ids.ids[:1], self.solved["zh_heater"].ids)

    def test_add_parts_in_one_click(self):
        ticket = self.create_ticket(name="加热圈不加热", product_id=self.product.id)
        solved = ticket.with_user(self.agent).similar_ticket_ids[0]
        solved.with_context(aftersales_similar_target_id=ticket.id).action_add_similar_parts()
        lines = ticket.part_line_ids
        self.assertEqual(
            sorted((line.product_id.name, line.product_uom_qty, line.source) for line in lines),
            [("Bearing 6204", 1.0, "stock"), ("Heater Band HB-60", 2.0, "stock")],
        )
        with self.assertRaisesRegex(UserError, "no spare part"):
            solved.with_context(aftersales_similar_target_id=ticket.id).action_add_similar_parts()
        with self.assertRaisesRegex(UserError, "Save the ticket"):
            solved.action_add_similar_parts()
        other_team = self.create_ticket(name="加热圈不加热", team_id=self.team_b.id)
        with self.assertRaises(AccessError, msg="only onto a ticket the user may change"):
            solved.with_user(self.agent).with_context(
                aftersales_similar_target_id=other_team.id
            ).action_add_similar_parts()

    def test_query_count(self):
        """One query per scope: the same product; its category only when the product has
        fewer than five. Then one query reads what the list shows, whatever the rows."""
        for name, hx300, queries, expected in (
            ("液压油泄漏", False, 2, 1),  # one of the product: its category is searched too
            ("加热圈", False, 2, 2),
            ("Heater band pump", True, 1, 5),  # five of the product: one query
        ):
            if hx300:
                for n in range(4):
                    self.close(self.create_ticket(name=f"Pump {n}", product_id=self.product.id))
            ticket = self.create_ticket(name=name, product_id=self.product.id)
            ticket = ticket.with_user(self.agent)
            ticket.similar_ticket_ids.mapped("parts_summary")  # the user's groups and rules
            ticket.invalidate_recordset(["similar_ticket_ids"])
            with self.assertQueryCount(__system__=self.pin(core=queries, sla=queries)):
                found = ticket.similar_ticket_ids
            self.assertEqual(len(found), expected)
            found.invalidate_recordset()
            with self.assertQueryCount(__system__=self.pin(core=1, sla=1)):
                found.mapped("parts_summary")
                found.mapped("similar_resolution_text")
