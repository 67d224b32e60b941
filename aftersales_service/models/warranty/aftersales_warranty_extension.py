from odoo import api, fields, models
from odoo.tools import format_date


class AftersalesWarrantyExtension(models.Model):
    """An extension of a warranty: sold as an extended-warranty product, or granted."""

    _name = "aftersales.warranty.extension"
    _description = "Warranty Extension"
    _order = "date, id"

    warranty_id = fields.Many2one(
        "aftersales.warranty", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="warranty_id.company_id", store=True, index=True)
    months = fields.Integer(required=True, default=12)
    date = fields.Date(required=True, default=fields.Date.context_today)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sold on", index="btree_not_null", ondelete="set null"
    )
    sale_order_id = fields.Many2one(related="sale_line_id.order_id", string="Sale Order")
    note = fields.Char()

    _months_positive = models.Constraint(
        "CHECK(months > 0)", "A warranty extension must add at least one month."
    )
    _line_warranty_uniq = models.UniqueIndex(
        "(warranty_id, sale_line_id) WHERE sale_line_id IS NOT NULL",
        "An order line extends a warranty once.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        extensions = super().create(vals_list)
        extensions.warranty_id.sudo().write({"reminder_sent_date": False})
        extensions.warranty_id._update_state()
        for extension in extensions:
            extension.warranty_id.message_post(
                body=self.env._(
                    "Warranty extended by %(months)s months%(origin)s: it now ends on %(end)s.",
                    months=extension.months,
                    origin=(
                        self.env._(" (order %(order)s)", order=extension.sale_line_id.order_id.name)
                        if extension.sale_line_id
                        else ""
                    ),
                    end=format_date(self.env, extension.warranty_id.end_date),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return extensions
