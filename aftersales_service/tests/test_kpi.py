from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AftersalesCase

MARCH = datetime(2026, 3, 2, 8, 0)
APRIL = datetime(2026, 4, 6, 8, 0)


@tagged("post_install", "-at_install")
class TestKpi(AftersalesCase):
    """统计分析: exact KPI figures on a small fixed data set, and who sees them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_complaint = cls.env.ref("aftersales_service.type_complaint")
        cls.t1 = cls.make(cls.engineer_a1, MARCH, 2, 10, fault=cls.fault, ftf=True)
        cls.t2 = cls.make(
            cls.engineer_a1, MARCH + timedelta(days=1), 4, 20, fault=cls.fault, repeat=True
        )
        cls.t3 = cls.make(
            cls.engineer_a2, MARCH + timedelta(days=2), 6, None, type_id=cls.type_complaint.id
        )
        cls.t4 = cls.make(cls.engineer_b, APRIL, 1, 5, fault=cls.fault_2, ftf=True, team=cls.team_b)
        cls.t5 = cls.make(cls.engineer_a2, MARCH + timedelta(days=3), None, None, fault=cls.fault)
        cls.t1.write({"cost_parts": 100.0, "cost_labour": 50.0, "cost_travel": 30.0})
        cls.t2.write({"cost_parts": 200.0, "cost_labour": 100.0})
        cls.rate(cls.t1, MARCH + timedelta(days=3), 80, 90, 70, 100, 60, overall=80)
        cls.rate(cls.t2, MARCH + timedelta(days=5), 40, 40, 40, 40, 40, overall=40)
        cls.rate(cls.t4, APRIL + timedelta(days=2), 100, 100, 100, 100, 100, overall=100)
        cls.env.invalidate_all()
        cls.tickets = cls.t1 | cls.t2 | cls.t3 | cls.t4 | cls.t5
        cls.teams = [("team_id", "in", (cls.team_a | cls.team_b).ids)]

    @classmethod
    def make(
        cls,
        user,
        created,
        response,
        resolution,
        fault=None,
        ftf=False,
        repeat=False,
        team=None,
        **values,
    ):
        """A ticket created at `created`, dispatched `response` hours and closed
        `resolution` hours later (None: never)."""
        ticket = cls.create_ticket(
            team_id=(team or cls.team_a).id,
            product_id=cls.product.id,
            fault_category_id=fault and fault.id,
            **values,
        )
        if resolution is not None:
            cls.close(ticket)
        cls.env.flush_all()
        cls.env.cr.execute(
            """UPDATE aftersales_ticket
                  SET create_date = %s, user_id = %s, dispatched_date = %s, closed_date = %s,
                      first_time_fix = %s, is_repeat = %s
                WHERE id = %s""",
            (
                created,
                user.id,
                created + timedelta(hours=response) if response is not None else None,
                created + timedelta(hours=resolution) if resolution is not None else None,
                ftf,
                repeat,
                ticket.id,
            ),
        )
        return ticket

    @classmethod
    def rate(cls, ticket, answered, *dimensions, overall):
        names = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
        scores = dict(zip(names, dimensions, strict=True))
        cls.env.cr.execute(
            """UPDATE aftersales_ticket
                  SET survey_state = 'done', survey_sent_date = %s, survey_answer_date = %s,
                      score_tangibles = %s, score_reliability = %s, score_responsiveness = %s,
                      score_assurance = %s, score_empathy = %s, score_overall = %s
                WHERE id = %s""",
            (answered, answered, *(scores[n] for n in names), overall, ticket.id),
        )

    def by(self, model, groupby, measures, user=None, domain=None):
        Model = self.env[model].with_user(user) if user else self.env[model]
        groups = Model._read_group(self.teams + (domain or []), [groupby], measures)
        return {group: values for group, *values in groups}

    def test_engineer_performance(self):
        measures = [
            "ticket_count:sum",
            "closed_count:sum",
            "response_hours:avg",
            "resolution_hours:avg",
            "first_time_fix_rate:avg",
            "repeat_count:sum",
            "score_overall:avg",
            "cost_total:sum",
            "cost_per_ticket:avg",
        ]
        kpis = self.by("aftersales.kpi.report", "user_id", measures)
        a1 = kpis[self.engineer_a1]
        self.assertEqual(a1[:2], [2, 2])
        self.assertAlmostEqual(a1[2], 3.0)  # (2 + 4) / 2 hours to the first response
        self.assertAlmostEqual(a1[3], 15.0)  # (10 + 20) / 2 hours to resolve
        self.assertAlmostEqual(a1[4], 50.0)  # one of two fixed the first time
        self.assertEqual(a1[5], 1)
        self.assertAlmostEqual(a1[6], 60.0)
        self.assertAlmostEqual(a1[7], 480.0)
        self.assertAlmostEqual(a1[8], 240.0)
        a2 = kpis[self.engineer_a2]
        self.assertEqual(a2[:2], [2, 0])
        self.assertAlmostEqual(a2[2], 6.0, msg="the undispatched ticket does not count")
        self.assertFalse(a2[3], "nothing closed")
        self.assertFalse(a2[4])
        self.assertFalse(a2[6], "no survey")
        b = kpis[self.engineer_b]
        self.assertEqual(b[:2], [1, 1])
        self.assertAlmostEqual(b[2], 1.0)
        self.assertAlmostEqual(b[3], 5.0)
        self.assertAlmostEqual(b[4], 100.0)

    def test_satisfaction_by_dimension_and_month(self):
        Report = self.env["aftersales.satisfaction.report"]
        rows = Report.search(self.teams)
        self.assertEqual(len(rows), 18, "3 answered surveys x (5 dimensions + overall)")
        dims = self.by("aftersales.satisfaction.report", "dimension", ["score:avg"])
        self.assertAlmostEqual(dims["overall"][0], (80 + 40 + 100) / 3)
        self.assertAlmostEqual(dims["tangibles"][0], (80 + 40 + 100) / 3)
        self.assertAlmostEqual(dims["empathy"][0], (60 + 40 + 100) / 3)
        self.assertAlmostEqual(dims["reliability"][0], (90 + 40 + 100) / 3)
        months = Report._read_group(
            self.teams + [("dimension", "=", "overall")], ["date:month"], ["score:avg"]
        )
        self.assertEqual(
            [(month.strftime("%Y-%m"), score) for month, score in months],
            [("2026-03", 60.0), ("2026-04", 100.0)],
        )
        teams = self.by(
            "aftersales.satisfaction.report",
            "team_id",
            ["score:avg"],
            domain=[("dimension", "=", "responsiveness")],
        )
        self.assertAlmostEqual(teams[self.team_a][0], 55.0)
        self.assertAlmostEqual(teams[self.team_b][0], 100.0)
        low = self.by("aftersales.satisfaction.report", "ticket_id", ["low_score_count:sum"])
        self.assertEqual(low[self.t2][0], 6, "all six scores of 40 are below 60")
        self.assertEqual(low[self.t1][0], 0)

    def test_complaint_rate_and_faults_per_product(self):
        teams = self.by(
            "aftersales.kpi.report",
            "team_id",
            ["ticket_count:sum", "complaint_count:sum", "complaint_rate:avg"],
        )
        self.assertEqual(teams[self.team_a][:2], [4, 1])
        self.assertAlmostEqual(teams[self.team_a][2], 25.0)
        self.assertAlmostEqual(teams[self.team_b][2], 0.0)
        faults = self.env["aftersales.kpi.report"]._read_group(
            self.teams, ["product_tmpl_id", "fault_category_id"], ["ticket_count:sum"]
        )
        self.assertEqual(
            {(p, f): n for p, f, n in faults},
            {
                (self.product.product_tmpl_id, self.fault): 3,
                (self.product.product_tmpl_id, self.fault_2): 1,
                (self.product.product_tmpl_id, self.env["aftersales.fault.category"]): 1,
            },
        )

    def test_service_costs(self):
        costs = self.by(
            "aftersales.kpi.report",
            "type_id",
            ["cost_parts:sum", "cost_labour:sum", "cost_travel:sum", "cost_per_ticket:avg"],
            domain=[("is_closed", "=", True)],
        )
        parts, labour, travel, per_ticket = costs[self.type_guidance]
        self.assertEqual((parts, labour, travel), (300.0, 150.0, 30.0))
        self.assertAlmostEqual(per_ticket, 160.0, msg="(180 + 300 + 0) / 3 closed tickets")
        # a change not yet written to the database is flushed before the report is read
        self.t2.cost_travel = 60.0
        costs = self.by(
            "aftersales.kpi.report",
            "type_id",
            ["cost_travel:sum"],
            domain=[("is_closed", "=", True)],
        )
        self.assertEqual(costs[self.type_guidance], [90.0])

    def test_engineers_see_their_own_kpis_managers_all(self):
        Report = self.env["aftersales.kpi.report"]
        Satisfaction = self.env["aftersales.satisfaction.report"]
        own = Report.with_user(self.engineer_a1).search(self.teams)
        self.assertEqual(own.ticket_id, self.t1 | self.t2)
        self.assertEqual(
            Satisfaction.with_user(self.engineer_a1).search(self.teams).ticket_id,
            self.t1 | self.t2,
        )
        self.assertEqual(Report.with_user(self.engineer_b).search(self.teams).ticket_id, self.t4)
        # engineer A2 has a ticket but no survey: no satisfaction row of the others
        self.assertFalse(Satisfaction.with_user(self.engineer_a2).search(self.teams))
        # a team leader sees the team's figures
        self.team_b.leader_id = self.agent
        self.assertEqual(Report.with_user(self.agent).search(self.teams).ticket_id, self.t4)
        # the manager sees all
        self.assertEqual(Report.with_user(self.manager).search(self.teams).ticket_id, self.tickets)
        self.assertEqual(len(Satisfaction.with_user(self.manager).search(self.teams)), 18)
        # grouped figures follow the same rule
        kpis = self.by(
            "aftersales.kpi.report", "user_id", ["ticket_count:sum"], user=self.engineer_a1
        )
        self.assertEqual(list(kpis), [self.engineer_a1])

    def test_portal_and_other_companies_see_nothing(self):
        portal = new_test_user(self.env, login="as_kpi_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.env["aftersales.kpi.report"].with_user(portal).search([])
        with self.assertRaises(AccessError):
            self.env["aftersales.satisfaction.report"].with_user(portal).search([])
        other = self.env["res.company"].create({"name": "Other Service Co."})
        outsider = new_test_user(
            self.env,
            login="as_kpi_other",
            groups="aftersales_service.group_aftersales_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self.env["aftersales.kpi.report"].with_user(outsider).search(self.teams))

    def test_manager_dashboard(self):
        Dashboard = self.env["aftersales.kpi.dashboard"].with_user(self.manager)
        dashboard = Dashboard.create({"period": "all", "team_id": self.team_a.id})
        self.assertEqual(dashboard.ticket_count, 4)
        self.assertEqual(dashboard.closed_count, 2)
        self.assertEqual(dashboard.open_count, 2)
        self.assertAlmostEqual(dashboard.avg_response_hours, 4.0)  # (2 + 4 + 6) / 3
        self.assertAlmostEqual(dashboard.avg_resolution_hours, 15.0)
        self.assertAlmostEqual(dashboard.first_time_fix_rate, 50.0)
        self.assertEqual(dashboard.repeat_count, 1)
        self.assertEqual(dashboard.complaint_count, 1)
        self.assertAlmostEqual(dashboard.complaint_rate, 25.0)
        self.assertEqual(dashboard.survey_answered_count, 2)
        self.assertAlmostEqual(dashboard.survey_response_rate, 100.0)
        self.assertAlmostEqual(dashboard.score_overall, 60.0)
        self.assertAlmostEqual(dashboard.score_assurance, 70.0)
        self.assertEqual(dashboard.low_score_count, 0, "low-score flags come from real answers")
        self.assertAlmostEqual(dashboard.avg_cost_per_ticket, 240.0)

        with freeze_time(APRIL + timedelta(days=4)):
            recent = Dashboard.create({"period": "last_30", "team_id": self.team_b.id})
            self.assertEqual(recent.ticket_count, 1)
            self.assertEqual(recent.closed_count, 1)
            self.assertAlmostEqual(recent.score_overall, 100.0)
            older = Dashboard.create({"period": "last_30", "team_id": self.team_a.id})
            self.assertEqual(older.ticket_count, 0)
        action = dashboard.action_open_engineer_kpis()
        self.assertEqual(action["res_model"], "aftersales.kpi.report")
        self.assertIn(("team_id", "=", self.team_a.id), action["domain"])
        for method in (
            "action_open_satisfaction_trend",
            "action_open_faults",
            "action_open_costs",
            "action_open_complaints",
            "action_open_return_visits",
            "action_open_maintenance_plans",
        ):
            self.assertEqual(getattr(dashboard, method)()["type"], "ir.actions.act_window")
