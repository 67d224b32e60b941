from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    # a serial is looked up by its exact name (tickets, API, QR page, warranty lookups): the
    # trigram index of stock only serves `ilike`; this btree answers `name = ...` in ~1 ms
    # among a million serials (tests/benchmarks/b5_warranty_lookup.py)
    _aftersales_serial_idx = models.Index("(name, product_id, company_id)")

    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty",
        "lot_id",
        string="Warranty Records",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )
    aftersales_warranty_count = fields.Integer(
        string="Warranties",
        compute="_compute_aftersales_warranty_count",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )

    def _compute_aftersales_warranty_count(self):
        counts = self.env["aftersales.warranty"]._count_by("lot_id", self.ids)
        for lot in self:
            lot.aftersales_warranty_count = counts.get(lot.id, 0)

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_for([("lot_id", "=", self.id)])
