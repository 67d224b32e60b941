import json
import re
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .field_common import NEAR, FieldCase, png


@tagged("post_install", "-at_install")
class TestFieldAccess(HttpCase, FieldCase):
    """From the outsider's side: another team's engineer, a colleague, a customer, the
    public; engineers see their own visits and van, leaders their team's, the warehouse the
    vans."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="as_field_portal", name="Li Na", groups="base.group_portal"
        )
        cls.portal.partner_id.parent_id = cls.customer
        cls.leader_b = new_test_user(
            cls.env,
            login="as_leader_b",
            name="Leader Huang",
            groups="aftersales_service.group_aftersales_user",
        )
        cls.team_b.leader_id = cls.leader_b
        cls.visit_b = cls.create_ticket(
            name="Guangzhou visit",
            team_id=cls.team_b.id,
            user_id=cls.engineer_b.id,
            planned_visit_date=cls.now,
        )

    def rpc(self, route, params):
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def payload(self, action, ticket, key="outsider-0001", **values):
        return {"key": key, "action": action, "ticket_id": ticket.id, "values": values}

    # ------------------------------------------------------------ records

    def test_other_team_engineer_cannot_record_a_visit(self):
        with self.assertRaises(AccessError):
            self.act("checkin", user=self.engineer_b, latitude=NEAR[0], longitude=NEAR[1])
        self.assertFalse(self.visit.visit_event_ids)

    def test_colleague_cannot_record_anothers_visit(self):
        with self.assertRaisesRegex(AccessError, "only they, their team leader"):
            self.act("checkin", user=self.engineer_a2, latitude=NEAR[0], longitude=NEAR[1])
        # the team leader may (e.g. the engineer's phone is broken)
        self.act("checkin", user=self.manager, latitude=NEAR[0], longitude=NEAR[1])
        self.assertEqual(len(self.visit.visit_event_ids), 1)

    def test_checkins_photos_and_old_parts_are_seen_by_their_people(self):
        self.act("checkin", latitude=NEAR[0], longitude=NEAR[1])
        self.act("photo", kind="before", image=png())
        self.act("checkin", ticket=self.visit_b, user=self.engineer_b, reason="No GPS")
        Event = self.env["aftersales.visit.event"]
        mine = self.visit.visit_event_ids
        theirs = self.visit_b.visit_event_ids
        self.assertEqual(Event.with_user(self.engineer_a1).search([]), mine)
        self.assertEqual(Event.with_user(self.engineer_a2).search([]), Event)
        self.assertEqual(Event.with_user(self.leader_b).search([]), theirs)
        self.assertEqual(Event.with_user(self.manager).search([]), mine | theirs)
        with self.assertRaises(AccessError):
            mine.with_user(self.engineer_b).read(["latitude"])
        Photo = self.env["aftersales.ticket.photo"]
        self.assertFalse(Photo.with_user(self.engineer_b).search([]))
        self.assertEqual(Photo.with_user(self.engineer_a2).search([]), self.visit.photo_ids)
        with self.assertRaises(AccessError):
            self.visit.photo_ids.with_user(self.portal).read(["image"])
        with self.assertRaises(AccessError):
            self.visit.photo_ids.with_user(self.engineer_a1).write({"note": "edited"})
        Action = self.env["aftersales.field.action"]
        self.assertEqual(Action.with_user(self.engineer_b).search([]).user_id, self.engineer_b)

    def test_old_parts_are_seen_by_the_engineer_leader_and_warehouse(self):
        self.act("part", product_id=self.bearing.id, quantity=1)
        line = self.visit.part_line_ids
        line.sudo().covered_by_warranty = True  # the warranty covers it (see test_field_van)
        old = line.sudo()._field_old_parts_due(self.engineer_a1)
        Old = self.env["aftersales.old.part"]
        self.assertEqual(Old.with_user(self.engineer_a1).search([]), old)
        self.assertFalse(Old.with_user(self.engineer_a2).search([]))
        self.assertFalse(Old.with_user(self.leader_b).search([]))
        self.assertEqual(Old.with_user(self.clerk).search([]), old)
        with self.assertRaises(AccessError):
            old.with_user(self.engineer_a1).write({"quantity": 0})

    def test_vans_are_seen_by_the_warehouse(self):
        vans = (
            self.env["stock.location"]
            .with_user(self.clerk)
            .search([("aftersales_van_user_id", "!=", False)])
        )
        self.assertIn(self.van_a1, vans)
        self.assertIn(self.van_b, vans)
        with self.assertRaises(AccessError):
            self.van_a1.with_user(self.engineer_a1).write({"name": "My own van"})
        # an engineer cannot make vans (a public method, callable over RPC)
        newcomer = new_test_user(
            self.env, login="as_eng_new", groups="aftersales_service.group_aftersales_user"
        )
        self.team_b.member_ids |= newcomer
        with self.assertRaisesRegex(AccessError, "create the engineers' vans"):
            self.team_b.with_user(self.engineer_b).action_create_vans()
        self.assertFalse(newcomer._aftersales_van())
        self.team_b.with_user(self.manager).action_create_vans()
        self.assertTrue(newcomer._aftersales_van())

    # ------------------------------------------------------------ pages

    def test_pages_are_for_after_sales_staff_only(self):
        self.authenticate(None, None)
        response = self.url_open("/aftersales/field", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self.authenticate("as_field_portal", "as_field_portal")
        self.assertEqual(self.url_open("/aftersales/field").status_code, 403)
        self.assertEqual(self.url_open("/aftersales/field/van").status_code, 403)
        answer = self.rpc("/aftersales/field/action", self.payload("note", self.visit, note="x"))
        self.assertIn("error", answer)
        self.assertFalse(
            self.env["aftersales.field.action"].search([("key", "=", "outsider-0001")])
        )

    def test_engineer_sees_own_day_and_van_only(self):
        self.authenticate("as_eng_b", "as_eng_b")
        page = self.url_open("/aftersales/field")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Guangzhou visit", page.text)
        self.assertNotIn("Hydraulic leak", page.text)
        self.assertEqual(self.url_open(f"/aftersales/field/visit/{self.visit.id}").status_code, 404)
        self.assertEqual(self.url_open("/aftersales/field/visit/999999").status_code, 404)
        van = self.url_open("/aftersales/field/van").text
        self.assertIn("Van Carol Sun", van)
        self.assertNotIn("Van Alice Zhao", van)
        answer = self.rpc("/aftersales/field/action", self.payload("note", self.visit, note="x"))
        self.assertEqual(answer["result"]["status"], "error")
        self.assertFalse(self.visit.message_ids.filtered(lambda m: m.body and m.body == "x"))

    def test_engineer_page_shows_the_visit_and_applies_once(self):
        self.authenticate("as_eng_a1", "as_eng_a1")
        page = self.url_open("/aftersales/field").text
        self.assertIn("Hydraulic leak", page)
        self.assertIn("tel:+862155550101", page)
        self.assertIn("geo:31.2304,121.4737", page)
        self.assertIn("uri.amap.com/marker?position=121.4737,31.2304", page)
        self.assertIn("api.map.baidu.com/marker?location=31.2304,121.4737", page)
        self.visit.requested_date = self.now.replace(second=5) + timedelta(days=2)
        visit_page = self.url_open(f"/aftersales/field/visit/{self.visit.id}").text
        self.assertIn('data-field-action="checkin"', visit_page)
        deadline = re.search(r"Deadline\s*<span[^>]*>([^<]*)</span>", visit_page).group(1)
        self.assertRegex(deadline, r"\d\d:\d\d", "the deadline to the minute")
        self.assertNotRegex(deadline, r"\d\d:\d\d:\d\d", "without its seconds")
        self.assertIn("Bearing 6204", visit_page, "the van's parts are offered")
        payload = self.payload(
            "checkin",
            self.visit,
            key="phone-checkin-01",
            latitude=NEAR[0],
            longitude=NEAR[1],
            accuracy=8,
        )
        first = self.rpc("/aftersales/field/action", payload)["result"]
        second = self.rpc("/aftersales/field/action", payload)["result"]
        self.assertEqual((first["status"], second["status"]), ("done", "duplicate"))
        self.assertEqual(len(self.visit.visit_event_ids), 1)
        refused = self.rpc(
            "/aftersales/field/action",
            self.payload(
                "part", self.visit, key="phone-part-0001", product_id=self.bearing.id, quantity=50
            ),
        )["result"]
        self.assertEqual(refused["status"], "error")
        self.assertIn("Your van holds", refused["message"])
        # the refused action left nothing behind: sent again (after a fix), it applies
        self.assertFalse(
            self.env["aftersales.field.action"].search([("key", "=", "phone-part-0001")])
        )
        replenish = self.rpc(
            "/aftersales/field/replenish",
            {"lines": [{"product_id": self.bearing.id, "quantity": 2}, "junk", {"quantity": "x"}]},
        )["result"]
        self.assertEqual(replenish["status"], "done")

    def test_team_leader_sees_the_team_day(self):
        Ticket = self.env["aftersales.ticket"].with_user(self.leader_b)
        visits = Ticket._field_team_visits(self.leader_b)
        self.assertEqual(visits[self.engineer_b], self.visit_b)
        self.assertNotIn(self.engineer_a1, visits)
        self.authenticate("as_leader_b", "as_leader_b")
        page = self.url_open("/aftersales/field").text
        self.assertIn("My Team", page)
        self.assertIn("Guangzhou visit", page)
        self.assertNotIn("Hydraulic leak", page)
        # the leader may record the visit of their engineer (e.g. a broken phone)
        answer = self.rpc(
            "/aftersales/field/action",
            self.payload("checkin", self.visit_b, key="leader-checkin-1", reason="Phone broken"),
        )["result"]
        self.assertEqual(answer["status"], "done")
        self.assertEqual(self.visit_b.visit_event_ids.user_id, self.leader_b)
