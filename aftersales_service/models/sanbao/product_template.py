from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .aftersales_warranty_policy import SANBAO_PARTS_SUPPLY_YEARS


class ProductTemplate(models.Model):
    """三包 rule 7: a discontinued product's spare parts stay available for years."""

    _inherit = "product.template"

    aftersales_discontinued_date = fields.Date(
        string="Discontinued On",
        help="三包 rule 7: the day production stopped. Its spare parts stay orderable for "
        "the years of its warranty policy (5 by default) after it.",
    )
    aftersales_spare_part_ids = fields.Many2many(
        "product.product",
        "aftersales_product_spare_part_rel",
        "product_tmpl_id",
        "part_id",
        string="Spare Parts",
        help="The spare parts of the product, which its supply obligation covers.",
    )
    aftersales_supply_until = fields.Date(
        string="Parts Supplied Until",
        compute="_compute_aftersales_supply_until",
        store=True,
        help="The end of the obligation to supply the spare parts of the discontinued product.",
    )

    @api.depends(
        "aftersales_discontinued_date",
        "aftersales_warranty_policy_id.sanbao_supply_years",
        "categ_id",
    )
    def _compute_aftersales_supply_until(self):
        for template in self:
            day = template.aftersales_discontinued_date
            if not day:
                template.aftersales_supply_until = False
                continue
            policy = template._aftersales_get_warranty_policy()
            years = policy.sanbao_supply_years if policy else SANBAO_PARTS_SUPPLY_YEARS
            template.aftersales_supply_until = day + relativedelta(years=years)

    def write(self, vals):
        if vals.get("active") is False or vals.get("sale_ok") is False:
            self.product_variant_ids._aftersales_check_supply_obligation()
        return super().write(vals)
