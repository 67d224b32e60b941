from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class StockLocation(models.Model):
    _inherit = "stock.location"

    aftersales_van_user_id = fields.Many2one(
        "res.users",
        string="Van of Engineer",
        index="btree_not_null",
        domain=[("share", "=", False)],
        help="This location is the van stock (车载库存) of this engineer: the parts they carry "
        "and issue on site from the phone.",
    )

    _aftersales_van_user_uniq = models.UniqueIndex(
        "(aftersales_van_user_id, company_id) WHERE aftersales_van_user_id IS NOT NULL",
        "An engineer has one van per company.",
    )

    @api.constrains("aftersales_van_user_id", "usage")
    def _check_aftersales_van(self):
        for location in self.filtered("aftersales_van_user_id"):
            if location.usage != "internal":
                raise ValidationError(
                    self.env._(
                        "The van of %(engineer)s must be an internal location: %(location)s "
                        "is not.",
                        engineer=location.aftersales_van_user_id.name,
                        location=location.display_name,
                    )
                )

    def _aftersales_van_content(self):
        """[{product, lot, quantity, uom}] of the van, by product name (read as superuser:
        engineers have no Inventory rights)."""
        self.ensure_one()
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search([("location_id", "=", self.id), ("quantity", ">", 0)])
            .sorted(lambda q: (q.product_id.display_name, q.lot_id.name or ""))
        )
        return [
            {
                "product": quant.product_id,
                "lot": quant.lot_id,
                "quantity": quant.quantity,
                "available": quant.quantity - quant.reserved_quantity,
                "uom": quant.product_uom_id,
            }
            for quant in quants
        ]

    def _aftersales_van_open_refills(self):
        """The replenishment transfers of the van not received yet."""
        self.ensure_one()
        return (
            self.env["stock.picking"]
            .sudo()
            .search(
                [
                    ("location_dest_id", "=", self.id),
                    ("aftersales_role", "=", "van_refill"),
                    ("state", "not in", ("done", "cancel")),
                ]
            )
        )

    def _aftersales_van_replenish(self, wanted):
        """车载库存补货: an internal transfer of `wanted` [(product id, quantity)] from the
        warehouse's spare parts location to the van, for the warehouse to prepare."""
        self.ensure_one()
        if self.aftersales_van_user_id != self.env.user and not self.env.user.has_group(
            "aftersales_service.group_aftersales_manager"
        ):
            raise UserError(self.env._("You can only ask a replenishment of your own van."))
        warehouse = self.warehouse_id.sudo()
        products = self.env["product.product"].browse(p for p, _qty in wanted).exists()
        products = products.filtered(lambda p: p.type == "consu" and p.is_storable)
        if not wanted or not products or not warehouse.aftersales_spare_loc_id:
            raise UserError(self.env._("Choose the parts and quantities you need in your van."))
        source = warehouse.aftersales_spare_loc_id
        moves = [
            fields.Command.create(
                {
                    "product_id": product_id,
                    "product_uom_qty": quantity,
                    "product_uom": products.browse(product_id).uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": self.id,
                }
            )
            for product_id, quantity in wanted
            if product_id in products.ids
        ]
        picking = (
            self.env["stock.picking"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "picking_type_id": warehouse.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": self.id,
                    "origin": self.env._("Van %(engineer)s", engineer=self.env.user.name),
                    "company_id": self.company_id.id,
                    "aftersales_role": "van_refill",
                    "user_id": False,
                }
            )
        )
        picking.write({"move_ids": moves})
        picking.action_confirm()
        picking.message_post(
            body=self.env._(
                "Van replenishment asked by %(engineer)s from the phone.",
                engineer=self.env.user.name,
            )
        )
        return picking
