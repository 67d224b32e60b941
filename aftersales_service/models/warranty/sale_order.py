from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty",
        "sale_order_id",
        string="Warranty Records",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )
    aftersales_warranty_count = fields.Integer(
        string="Warranties",
        compute="_compute_aftersales_warranty_count",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )
    aftersales_quoted_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Quoted Service Ticket",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The service ticket this out-of-warranty quotation was made for.",
        groups="aftersales_service.group_aftersales_user",
    )

    def _compute_aftersales_warranty_count(self):
        counts = self.env["aftersales.warranty"]._count_by("sale_order_id", self.ids)
        for order in self:
            order.aftersales_warranty_count = counts.get(order.id, 0)

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_for([("sale_order_id", "=", self.id)])

    def action_view_aftersales_quoted_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "res_id": self.aftersales_quoted_ticket_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _aftersales_request_service_context(self):
        context = super()._aftersales_request_service_context()
        warranties = self.aftersales_warranty_ids.filtered(lambda w: w.state != "void")
        if len(warranties) == 1:
            context.update(
                default_warranty_id=warranties.id,
                default_product_id=warranties.product_id.id,
                default_lot_id=warranties.lot_id.id,
                default_sale_line_id=warranties.sale_line_id.id,
            )
        return context

    def _action_confirm(self):
        res = super()._action_confirm()
        self.order_line._aftersales_apply_warranty_extensions()
        self._aftersales_quoted_tickets()._on_quotation_confirmed()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._aftersales_quoted_tickets()._on_quotation_cancelled()
        return res

    def _aftersales_quoted_tickets(self):
        """The service tickets whose out-of-warranty quotation is one of these orders."""
        return self.sudo().aftersales_quoted_ticket_id.filtered(
            lambda ticket: ticket.quotation_id in self
        )
