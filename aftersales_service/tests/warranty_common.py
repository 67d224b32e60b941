from odoo.fields import Command
from odoo.tests import Form

from .common import AftersalesCase


class WarrantyCase(AftersalesCase):
    """Policies, a serial-tracked machine and an untracked product, stock, sale helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.tz = "Asia/Shanghai"
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        Policy = cls.env["aftersales.warranty.policy"]
        cls.policy = Policy.create(
            {
                "name": "Machines 三包",
                "refund_days": 7,
                "exchange_days": 15,
                "repair_months": 12,
                "cover_parts": True,
                "cover_labour": True,
                "cover_travel": False,
            }
        )
        cls.policy_long = Policy.create(
            {"name": "Premium", "refund_days": 10, "exchange_days": 30, "repair_months": 24}
        )
        cls.category = cls.env["product.category"].create(
            {"name": "Machines", "aftersales_warranty_policy_id": cls.policy.id}
        )
        cls.product.write({"categ_id": cls.category.id, "invoice_policy": "order"})
        cls.product.list_price = 1000.0
        cls.untracked = cls.env["product.product"].create(
            {
                "name": "Mould Temperature Controller",
                "is_storable": True,
                "categ_id": cls.category.id,
                "list_price": 200.0,
            }
        )
        cls.no_policy_product = cls.env["product.product"].create(
            {"name": "Cleaning Cloth", "is_storable": True, "list_price": 1.0}
        )
        Product = cls.env["product.product"]
        cls.extension_product = Product.create(
            {
                "name": "Extended Warranty +12 months",
                "type": "service",
                "aftersales_warranty_extension_months": 12,
                "list_price": 300.0,
            }
        )
        cls.labour_product = Product.create(
            {"name": "Service Labour", "type": "service", "list_price": 80.0}
        )
        cls.travel_product = Product.create(
            {"name": "Engineer Travel", "type": "service", "list_price": 150.0}
        )
        cls.company.write(
            {
                "aftersales_labour_product_id": cls.labour_product.id,
                "aftersales_travel_product_id": cls.travel_product.id,
                "aftersales_warranty_renewal_product_id": cls.extension_product.id,
            }
        )

    # ------------------------------------------------------------ helpers

    @classmethod
    def make_lots(cls, count, prefix="SN", product=None):
        product = product or cls.product
        return cls.env["stock.lot"].create(
            [{"name": f"{prefix}{index:04d}", "product_id": product.id} for index in range(count)]
        )

    @classmethod
    def add_stock(cls, product, quantity=1.0, lots=None):
        Quant = cls.env["stock.quant"]
        if lots:
            for lot in lots:
                Quant._update_available_quantity(product, cls.stock_location, 1.0, lot_id=lot)
        else:
            Quant._update_available_quantity(product, cls.stock_location, quantity)

    @classmethod
    def sell(cls, lines, partner=None, confirm=True):
        """A sale order of [(product, quantity)] for the customer, confirmed."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity})
                    for product, quantity in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def validate(self, picking, backorder=True):
        """Validate as a user would: picked quantities, then the backorder wizard."""
        picking.move_ids.picked = True
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = Form.from_action(self.env, result).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        self.assertEqual(picking.state, "done")
        return picking

    def keep_lines(self, picking, lots=None, quantity=None):
        """Deliver only `lots` (serials) or `quantity` (untracked) of the picking."""
        lines = picking.move_line_ids
        if lots is not None:
            lines.filtered(lambda ml: ml.lot_id not in lots).unlink()
        if quantity is not None:
            lines[0].quantity = quantity
            lines[1:].unlink()

    def invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice
