from odoo import fields, models, tools


class AftersalesPartsSupplyReport(models.Model):
    """三包 rule 7: the spare parts of discontinued products and how long they must be
    supplied (one line per part and discontinued product)."""

    _name = "aftersales.parts.supply.report"
    _description = "Spare Parts Supply Obligation"
    _auto = False
    _order = "supply_until, part_id"

    part_id = fields.Many2one("product.product", string="Spare Part", readonly=True)
    product_tmpl_id = fields.Many2one(
        "product.template", string="Discontinued Product", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    discontinued_date = fields.Date(string="Discontinued On", readonly=True)
    supply_until = fields.Date(string="Supplied Until", readonly=True)
    part_active = fields.Boolean(readonly=True)
    part_sale_ok = fields.Boolean(string="Part Can Be Sold", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            tools.SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT row_number() OVER (ORDER BY rel.product_tmpl_id, rel.part_id) AS id,
                           rel.part_id AS part_id,
                           rel.product_tmpl_id AS product_tmpl_id,
                           tmpl.company_id AS company_id,
                           tmpl.aftersales_discontinued_date AS discontinued_date,
                           tmpl.aftersales_supply_until AS supply_until,
                           part.active AS part_active,
                           part_tmpl.sale_ok AS part_sale_ok
                      FROM aftersales_product_spare_part_rel rel
                      JOIN product_template tmpl ON tmpl.id = rel.product_tmpl_id
                      JOIN product_product part ON part.id = rel.part_id
                      JOIN product_template part_tmpl ON part_tmpl.id = part.product_tmpl_id
                     WHERE tmpl.aftersales_discontinued_date IS NOT NULL
                )
                """,
                tools.SQL.identifier(self._table),
            )
        )
