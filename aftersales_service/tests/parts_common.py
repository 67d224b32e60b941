from odoo.fields import Command
from odoo.tests import new_test_user

from .common import AftersalesCase


class PartsCase(AftersalesCase):
    """Spare parts in the company's warehouse, a warehouse clerk, parts tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.spare = cls.warehouse.aftersales_spare_loc_id
        cls.defective = cls.warehouse.aftersales_defective_loc_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.suppliers = cls.env.ref("stock.stock_location_suppliers")
        cls.stage_waiting_parts = cls.env.ref("aftersales_service.stage_waiting_parts")
        cls.clerk = new_test_user(
            cls.env, login="as_clerk", name="Clerk Zhou", groups="stock.group_stock_user"
        )
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Ningbo Bearings Ltd.", "is_company": True}
        )
        Product = cls.env["product.product"]
        cls.bearing = Product.create(
            {
                "name": "Bearing 6204",
                "type": "consu",
                "is_storable": True,
                "lst_price": 45.0,
                "seller_ids": [Command.create({"partner_id": cls.vendor.id, "price": 20.0})],
            }
        )
        cls.board = Product.create(
            {
                "name": "Control Board CB-7",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
                "lst_price": 800.0,
            }
        )
        cls.board_lot_1 = cls.env["stock.lot"].create(
            {"name": "CB7-2401", "product_id": cls.board.id}
        )
        cls.board_lot_2 = cls.env["stock.lot"].create(
            {"name": "CB7-2402", "product_id": cls.board.id}
        )

    @classmethod
    def put_in_stock(cls, product, quantity, location=None, lot=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, location or cls.spare, quantity, lot_id=lot
        )

    @classmethod
    def parts_ticket(cls, *lines, **values):
        """A ticket with part lines given as (product, quantity) or (product, quantity, vals)."""
        commands = []
        for line in lines:
            product, quantity, *extra = line
            vals = {"product_id": product.id, "product_uom_qty": quantity}
            if extra:
                vals.update(extra[0])
            commands.append(Command.create(vals))
        return cls.create_ticket(part_line_ids=commands, **values)

    def validate(self, picking, user=None):
        picking = picking.with_user(user or self.clerk)
        result = picking.button_validate()
        self.assertIs(result, True, "the transfer is validated without a wizard")
        self.assertEqual(picking.state, "done")
        return picking

    def receive(self, product, quantity, location=None):
        """A receipt from a vendor into `location` (default: the spare parts), validated."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.suppliers.id,
                "location_dest_id": (location or self.spare).id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": self.suppliers.id,
                            "location_dest_id": (location or self.spare).id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return self.validate(picking)

    def parts_picking(self, ticket, role="parts"):
        return ticket.parts_picking_ids.filtered(lambda p: p.aftersales_role == role)
