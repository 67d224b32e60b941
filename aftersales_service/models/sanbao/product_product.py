from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _aftersales_supplied_for(self):
        """{part: discontinued product templates whose supply obligation covers it today}."""
        today = fields.Date.context_today(self)
        templates = (
            self.env["product.template"]
            .sudo()
            .search(
                [
                    ("aftersales_spare_part_ids", "in", self.ids),
                    ("aftersales_supply_until", ">=", today),
                ]
            )
        )
        return {
            part: templates.filtered(lambda t, p=part: p in t.aftersales_spare_part_ids)
            for part in self
        }

    def _aftersales_check_supply_obligation(self):
        """Refuse to archive, or to stop selling, a part whose supply obligation runs."""
        for part, templates in self._aftersales_supplied_for().items():
            if templates:
                raise UserError(
                    self.env._(
                        "%(part)s is a spare part of %(products)s, discontinued but still "
                        "under the 三包 obligation to supply parts until %(until)s: keep it "
                        "active and orderable until then.",
                        part=part.display_name,
                        products=", ".join(templates.mapped("display_name")),
                        until=format_date(
                            self.env, max(templates.mapped("aftersales_supply_until"))
                        ),
                    )
                )

    def write(self, vals):
        if vals.get("active") is False or vals.get("sale_ok") is False:
            self._aftersales_check_supply_obligation()
        return super().write(vals)
