from odoo.tests import TransactionCase, new_test_user
from odoo.tools import classproperty


class AftersalesCase(TransactionCase):
    """Shared data: two teams of engineers, customers with tiers, a serial-tracked machine."""

    @classproperty
    def sla_installed(cls):
        """Whether `aftersales_service_sla` is loaded in the registry under test.

        `make test` runs the core's tests in two configurations: with both addons installed,
        and with the core alone (database `<TEST_DB>_core`). The SLA addon extends the
        ticket's life cycle (timers, escalations), so what it costs differs; pin a query
        count per configuration with `pin`::

            with self.assertQueryCount(__system__=self.pin(core=11, sla=14)):
                ...

        True only when the SLA models are in the registry: the core's at_install tests run
        before the SLA addon is loaded, even when both are installed. Readable from the class
        (in `setUpClass`, after `super().setUpClass()`) and from the tests.
        """
        return "aftersales.ticket.sla" in cls.env

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notrack=False))
        cls.company = cls.env.company
        user_group = "aftersales_service.group_aftersales_user"
        cls.manager = new_test_user(
            cls.env,
            login="as_manager",
            name="Manager Wang",
            groups="aftersales_service.group_aftersales_manager",
        )
        cls.agent = new_test_user(cls.env, login="as_agent", name="Agent Li", groups=user_group)
        cls.engineer_a1 = new_test_user(
            cls.env, login="as_eng_a1", name="Alice Zhao", groups=user_group
        )
        cls.engineer_a2 = new_test_user(
            cls.env, login="as_eng_a2", name="Bob Qian", groups=user_group
        )
        cls.engineer_b = new_test_user(
            cls.env, login="as_eng_b", name="Carol Sun", groups=user_group
        )
        Team = cls.env["aftersales.team"]
        cls.team_a = Team.create(
            {
                "name": "Shanghai Service Centre",
                "leader_id": cls.manager.id,
                "member_ids": [(6, 0, [cls.agent.id, cls.engineer_a1.id, cls.engineer_a2.id])],
            }
        )
        cls.team_b = Team.create(
            {"name": "Guangzhou Service Centre", "member_ids": [(6, 0, [cls.engineer_b.id])]}
        )
        cls.tier_key = cls.env.ref("aftersales_service.tier_key")
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Huadong Plastics Co., Ltd.",
                "is_company": True,
                "email": "service@huadong.example.com",
                "aftersales_tier_id": cls.tier_key.id,
            }
        )
        cls.customer_contact = Partner.create(
            {
                "name": "Zhang Wei",
                "parent_id": cls.customer.id,
                "email": "zhang.wei@huadong.example.com",
            }
        )
        cls.other_customer = Partner.create(
            {"name": "Nanfang Packaging", "is_company": True, "email": "it@nanfang.example.com"}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Injection Moulding Machine HX-200",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.lot = cls.env["stock.lot"].create({"name": "HX200-0001", "product_id": cls.product.id})
        cls.lot_2 = cls.env["stock.lot"].create(
            {"name": "HX200-0002", "product_id": cls.product.id}
        )
        cls.fault = cls.env.ref("aftersales_service.fault_mechanical")
        cls.fault_2 = cls.env.ref("aftersales_service.fault_electrical")
        cls.type_repair = cls.env.ref("aftersales_service.type_repair")
        cls.type_guidance = cls.env.ref("aftersales_service.type_guidance")
        cls.stage_new = cls.env.ref("aftersales_service.stage_new")
        cls.stage_dispatched = cls.env.ref("aftersales_service.stage_dispatched")
        cls.stage_in_progress = cls.env.ref("aftersales_service.stage_in_progress")
        cls.stage_resolved = cls.env.ref("aftersales_service.stage_resolved")
        cls.stage_closed = cls.env.ref("aftersales_service.stage_closed")

    def pin(self, core, sla):
        """A pinned query count in each configuration `make test` runs: the core addon
        alone (`core`) and with `aftersales_service_sla` installed (`sla`)."""
        return sla if self.sla_installed else core

    def flush_tracking(self):
        """End the request: tracking messages and their mails are written at commit."""
        self.env.flush_all()
        self.env.cr.flush()

    def _life_step(self, queries, call, *args, **kwargs):
        """`call` as one request: at `queries` queries (None: not counted)."""
        self.env.invalidate_all()
        if queries is None:
            result = call(*args, **kwargs)
            self.flush_tracking()
            return result
        with self.assertQueryCount(__system__=queries):
            result = call(*args, **kwargs)
            self.flush_tracking()
        return result

    def ticket_life(self, pins):
        """The 4 calls of a ticket's life in benchmark B7 (create with customer, team and
        type; assign an engineer; the engineer replies to the customer; close), each at
        its pinned query count {"create": n, "assign": n, "post": n, "close": n}, after a
        warm-up life. Returns the ticket."""
        self.team_a.assignment_method = "manual"
        for warm_up in (True, False):
            ticket = self._life_step(None if warm_up else pins["create"], self.create_ticket)
            assign = {"user_id": self.engineer_a1.id}
            self._life_step(None if warm_up else pins["assign"], ticket.write, assign)
            self._life_step(
                None if warm_up else pins["post"],
                ticket.with_user(self.engineer_a1).message_post,
                body="We come tomorrow morning.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            closing = {"stage_id": self.stage_closed.id, "resolution": "<p>Fan replaced.</p>"}
            self._life_step(None if warm_up else pins["close"], ticket.write, closing)
        return ticket

    @classmethod
    def create_ticket(cls, **values):
        vals = {
            "name": "Machine stops with alarm E07",
            "partner_id": cls.customer_contact.id,
            "team_id": cls.team_a.id,
            "type_id": cls.type_guidance.id,
        }
        vals.update(values)
        return cls.env["aftersales.ticket"].create(vals)

    @classmethod
    def close(cls, ticket, **values):
        vals = {"resolution": "<p>Replaced the worn bearing.</p>"}
        vals.update(values)
        ticket.write(vals)
        ticket.stage_id = cls.stage_closed
        return ticket
