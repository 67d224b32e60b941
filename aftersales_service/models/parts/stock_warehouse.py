from odoo import fields, models

# the after-sales locations and operation types every warehouse gets (备品备件库, 不良品库)
AFTERSALES_LOCATION_FIELDS = ("aftersales_spare_loc_id", "aftersales_defective_loc_id")
AFTERSALES_TYPE_FIELDS = ("aftersales_parts_type_id", "aftersales_return_type_id")


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    aftersales_spare_loc_id = fields.Many2one(
        "stock.location",
        string="Spare Parts Location",
        check_company=True,
        copy=False,
        help="Spare parts for service tickets are reserved and issued from this location "
        "(备品备件库).",
    )
    aftersales_defective_loc_id = fields.Many2one(
        "stock.location",
        string="Defective Parts Location",
        check_company=True,
        copy=False,
        help="Replaced defective parts brought back from the customers are received here, "
        "before a return to the vendor or scrapping (不良品库).",
    )
    aftersales_parts_type_id = fields.Many2one(
        "stock.picking.type",
        string="After-sales Parts Type",
        check_company=True,
        copy=False,
        help="Operation type of the spare parts issued for tickets: from the spare parts "
        "location to the customer site or the engineer.",
    )
    aftersales_return_type_id = fields.Many2one(
        "stock.picking.type",
        string="After-sales Returns Type",
        check_company=True,
        copy=False,
        help="Operation type of the unused and defective parts coming back from tickets.",
    )

    # ------------------------------------------------------------ locations

    def _get_locations_values(self, vals, code=False):
        values = super()._get_locations_values(vals, code=code)
        code = (vals.get("code") or code or "").replace(" ", "").upper()
        company_id = vals.get("company_id", self.default_get(["company_id"])["company_id"])
        values.update(
            {
                "aftersales_spare_loc_id": {
                    "name": self.env._("Spare Parts"),
                    "active": True,
                    "usage": "internal",
                    "barcode": self._valid_barcode(code + "SPARE", company_id),
                },
                "aftersales_defective_loc_id": {
                    "name": self.env._("Defective Parts"),
                    "active": True,
                    "usage": "internal",
                    "barcode": self._valid_barcode(code + "DEFECT", company_id),
                },
            }
        )
        return values

    # ------------------------------------------------------------ operation types

    def _get_sequence_values(self, name=False, code=False):
        values = super()._get_sequence_values(name=name, code=code)
        name = name or self.name
        code = code or self.code
        values.update(
            {
                "aftersales_parts_type_id": {
                    "name": self.env._("%(name)s Sequence after-sales parts", name=name),
                    "prefix": f"{code}/{self.aftersales_parts_type_id.sequence_code or 'ASP'}/",
                    "padding": 5,
                    "company_id": self.company_id.id,
                },
                "aftersales_return_type_id": {
                    "name": self.env._("%(name)s Sequence after-sales returns", name=name),
                    "prefix": f"{code}/{self.aftersales_return_type_id.sequence_code or 'ASR'}/",
                    "padding": 5,
                    "company_id": self.company_id.id,
                },
            }
        )
        return values

    def _get_picking_type_create_values(self, max_sequence):
        data, next_sequence = super()._get_picking_type_create_values(max_sequence)
        customers = self.env.ref("stock.stock_location_customers")
        data.update(
            {
                "aftersales_parts_type_id": {
                    "name": self.env._("After-sales Parts"),
                    "code": "outgoing",
                    "sequence_code": "ASP",
                    "sequence": next_sequence + 1,
                    "default_location_src_id": self.aftersales_spare_loc_id.id,
                    "default_location_dest_id": customers.id,
                    "use_create_lots": False,
                    "use_existing_lots": True,
                    "print_label": False,
                    "company_id": self.company_id.id,
                },
                "aftersales_return_type_id": {
                    "name": self.env._("After-sales Returns"),
                    "code": "incoming",
                    "sequence_code": "ASR",
                    "sequence": next_sequence + 2,
                    "default_location_src_id": customers.id,
                    "default_location_dest_id": self.aftersales_spare_loc_id.id,
                    "use_create_lots": True,
                    "use_existing_lots": True,
                    "company_id": self.company_id.id,
                },
            }
        )
        return data, next_sequence + 3

    def _get_picking_type_update_values(self):
        data = super()._get_picking_type_update_values()
        code = self.code.replace(" ", "").upper()
        data.update(
            {
                "aftersales_parts_type_id": {"active": self.active, "barcode": code + "ASP"},
                "aftersales_return_type_id": {"active": self.active, "barcode": code + "ASR"},
            }
        )
        return data

    def _create_or_update_sequences_and_picking_types(self):
        created = super()._create_or_update_sequences_and_picking_types()
        parts_type_id = created.get("aftersales_parts_type_id")
        return_type_id = created.get("aftersales_return_type_id")
        if parts_type_id and return_type_id:
            PickingType = self.env["stock.picking.type"]
            PickingType.browse(parts_type_id).return_picking_type_id = return_type_id
            PickingType.browse(return_type_id).return_picking_type_id = parts_type_id
        return created

    # ------------------------------------------------------------ set-up

    def _aftersales_setup_parts(self):
        """Give existing warehouses their after-sales locations and operation types.

        New warehouses get them at creation; this is for the warehouses that existed when
        the addon was installed (post_init_hook). It is idempotent.
        """
        for warehouse in self.with_context(active_test=False):
            if any(not warehouse[f] for f in AFTERSALES_LOCATION_FIELDS):
                warehouse._create_missing_locations({})
            if any(not warehouse[f] for f in AFTERSALES_TYPE_FIELDS):
                values = warehouse._create_or_update_sequences_and_picking_types()
                if values:
                    warehouse.write(values)
