from collections import defaultdict

from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty",
        "sale_line_id",
        string="Warranties",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )
    aftersales_warranty_end_date = fields.Date(
        string="Warranty End",
        compute="_compute_aftersales_warranty_end_date",
        help="The latest end of the warranties of the delivered units.",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )
    aftersales_warranty_extension_months = fields.Integer(
        related="product_id.aftersales_warranty_extension_months"
    )
    aftersales_commercial_partner_id = fields.Many2one(
        related="order_id.partner_id.commercial_partner_id", string="Customer Company"
    )
    aftersales_extended_warranty_id = fields.Many2one(
        "aftersales.warranty",
        string="Warranty to Extend",
        index="btree_not_null",
        copy=False,
        domain="[('commercial_partner_id', '=', aftersales_commercial_partner_id),"
        " ('state', '!=', 'void')]",
        help="For an extended-warranty product: the delivered warranty it extends. Leave "
        "empty to extend the warranties of the products of this order.",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )

    def _compute_aftersales_warranty_end_date(self):
        groups = self.env["aftersales.warranty"]._read_group(
            [("sale_line_id", "in", self.ids), ("state", "!=", "void")],
            ["sale_line_id"],
            ["end_date:max"],
        )
        ends = {line.id: end for line, end in groups}
        for line in self:
            line.aftersales_warranty_end_date = ends.get(line.id, False)

    @api.onchange("product_id")
    def _onchange_product_aftersales_extension(self):
        if not self.product_id.aftersales_warranty_extension_months:
            self.aftersales_extended_warranty_id = False

    def _aftersales_apply_warranty_extensions(self):
        """Extend warranties for the confirmed extended-warranty lines of `self`.

        A line naming a warranty extends it; another line extends as many warranties of its
        own order as it has units (those not yet extended first). Each line extends a
        warranty once, so calling this again (new deliveries of the order) is safe.
        """
        # run by sales and by the warehouse (deliveries): the warranty links are read in sudo
        lines = self.sudo().filtered(
            lambda line: (
                line.state == "sale"
                and line.product_id.aftersales_warranty_extension_months > 0
                and line.product_uom_qty > 0
            )
        )
        if not lines:
            return self.env["aftersales.warranty.extension"]
        Extension = self.env["aftersales.warranty.extension"].sudo()
        done = defaultdict(set)
        for extension in Extension.search([("sale_line_id", "in", lines.ids)]):
            done[extension.sale_line_id.id].add(extension.warranty_id.id)
        vals_list = []
        targeted = lines.filtered("aftersales_extended_warranty_id")
        for line in targeted:
            warranty = line.aftersales_extended_warranty_id
            if warranty.id not in done[line.id] and warranty.state != "void":
                vals_list.append(line._aftersales_prepare_extension_vals(warranty))
        open_lines = lines - targeted
        if open_lines:
            warranties = (
                self.env["aftersales.warranty"]
                .sudo()
                .search(
                    [("sale_order_id", "in", open_lines.order_id.ids), ("state", "!=", "void")],
                    order="id",
                )
            )
            for order in open_lines.order_id:
                order_lines = open_lines.filtered(lambda line, order=order: line.order_id == order)
                order_warranties = warranties.filtered(
                    lambda w, order=order: w.sale_order_id == order
                )
                used = set().union(*(done[line.id] for line in order_lines))
                for line in order_lines:
                    slots = int(round(line.product_uom_qty)) - len(done[line.id])
                    candidates = order_warranties.filtered(
                        lambda w, line=line: w.id not in done[line.id]
                    ).sorted(lambda w, used=used: (w.id in used, w.id))
                    for warranty in candidates[: max(slots, 0)]:
                        vals_list.append(line._aftersales_prepare_extension_vals(warranty))
                        done[line.id].add(warranty.id)
                        used.add(warranty.id)
        return Extension.create(vals_list)

    def _aftersales_prepare_extension_vals(self, warranty):
        self.ensure_one()
        return {
            "warranty_id": warranty.id,
            "months": self.product_id.aftersales_warranty_extension_months,
            "sale_line_id": self.id,
            "date": fields.Date.context_today(self),
        }
