from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .warranty_common import WarrantyCase

OUR_ADDONS = ("aftersales_service", "aftersales_service_sla")


@tagged("post_install", "-at_install")
class TestTrustCoreRoles(WarrantyCase):
    """Users of Sales, Inventory, Invoicing and Repair without after-sales rights read the
    records our fields are added to and do their work as before (issue #12)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lots = cls.make_lots(2, prefix="ROLE")
        cls.add_stock(cls.product, lots=cls.lots)
        cls.order = cls.sell([(cls.product, 1)])
        cls.picking = cls.order.picking_ids
        cls.ticket = cls.create_ticket(
            sale_order_id=cls.order.id, lot_id=cls.lots[0].id, type_id=cls.type_repair.id
        )
        cls.picking.aftersales_ticket_id = cls.ticket

    def user(self, login, groups):
        return new_test_user(self.env, login=login, groups=groups)

    def assert_reads(self, user, records):
        """`user` opens each record as the web client does (the fields of its form view)
        and reads every field our addons add that they may see (fields_get)."""
        for record in records:
            mine = record.with_user(user)
            with self.subTest(user=user.login, model=record._name):
                models = mine.get_views([(False, "form")])["models"]
                self.assertEqual(self.unreadable(mine, models[record._name]["fields"]), [])
                ours = [
                    name
                    for name in mine.fields_get(attributes=["type"])
                    if mine._fields[name]._module in OUR_ADDONS
                ]
                self.assertEqual(self.unreadable(mine, ours), [])

    def unreadable(self, records, names):
        """Our fields among `names` that the records' user cannot read. Some of Odoo's own
        form fields need rights the role lacks without our addons too (a partner's journal
        entries for a warehouse user): those are Odoo's, not ours."""
        failed = []
        for name in names:
            records.invalidate_recordset()
            try:
                records.web_read({name: {}})
            except AccessError:
                failed.append(name)
        return [name for name in failed if records._fields[name]._module in OUR_ADDONS]

    def test_salesperson(self):
        user = self.user("role_salesman", "sales_team.group_sale_salesman")
        self.order.user_id = user
        self.assert_reads(user, [self.order, self.order.order_line, self.customer, self.product])
        self.assertEqual(self.order.with_user(user).aftersales_warranty_count, 0)
        order = (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": user.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assert_reads(user, [order, order.order_line])

    def test_sales_manager(self):
        user = self.user("role_sale_manager", "sales_team.group_sale_manager")
        self.assert_reads(user, [self.order, self.order.order_line, self.customer, self.product])
        order = (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_stock_user(self):
        user = self.user("role_stock", "stock.group_stock_user")
        self.assert_reads(
            user,
            [self.picking, self.picking.move_ids, self.lots[0], self.product, self.customer],
        )
        picking = self.picking.with_user(user)
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assert_reads(user, [picking, picking.move_ids, picking.move_line_ids.lot_id])
        # recording a new serial: the product gives it its nameplate token, not the user
        lot = (
            self.env["stock.lot"]
            .with_user(user)
            .create({"name": "ROLE-STOCK-0001", "product_id": self.product.id})
        )
        self.assertTrue(lot.sudo().aftersales_qr_token)

    def test_invoicing_user(self):
        user = self.user("role_invoice", "account.group_account_invoice")
        invoice = (
            self.env["account.move"]
            .with_user(user)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create({"product_id": self.product.id, "price_unit": 100.0})
                    ],
                }
            )
        )
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assert_reads(user, [invoice, invoice.invoice_line_ids, self.customer, self.product])

    def test_repair_user(self):
        user = self.user("role_repair", "stock.group_stock_user")
        repair = (
            self.env["repair.order"]
            .with_user(user)
            .create(
                {
                    "product_id": self.product.id,
                    "lot_id": self.lots[1].id,
                    "partner_id": self.customer.id,
                }
            )
        )
        repair.action_validate()
        self.assertEqual(repair.state, "confirmed")
        repair.action_repair_start()
        self.assert_reads(user, [repair, self.lots[1], self.product])

    def test_survey_user(self):
        user = self.user("role_survey", "survey.group_survey_manager")
        survey = self.env.ref("aftersales_service.survey_servqual")
        answer = survey._create_answer(partner=self.customer, check_attempts=False)
        self.assert_reads(user, [answer])
