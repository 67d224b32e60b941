from odoo import fields, models
from odoo.fields import Command


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_warranty_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="三包 Service Ticket",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The service ticket whose 三包 exchange or refund created this transfer.",
        groups="base.group_user",
    )
    aftersales_warranty_role = fields.Selection(
        [
            ("exchange_return", "三包 exchange: return of the faulty unit"),
            ("exchange_delivery", "三包 exchange: replacement delivery"),
            ("refund_return", "三包 refund: return"),
        ],
        string="三包 Role",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty",
        "picking_id",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )
    aftersales_warranty_count = fields.Integer(
        string="Warranties",
        compute="_compute_aftersales_warranty_count",
        groups="aftersales_service.group_aftersales_user,sales_team.group_sale_salesman",
    )

    def _action_done(self):
        res = super()._action_done()
        self._aftersales_process_done_pickings()
        return res

    def _compute_aftersales_warranty_count(self):
        counts = self.env["aftersales.warranty"].sudo()._count_by("picking_id", self.ids)
        for picking in self:
            picking.aftersales_warranty_count = counts.get(picking.id, 0)

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_for([("picking_id", "=", self.id)])

    def _aftersales_process_done_pickings(self):
        """Validated transfers: deliveries of sale orders create warranties (when the
        company's setting says so), customer returns void them, and the replacement delivery
        of a 三包 exchange moves the warranty to the new serial.
        """
        done = self.filtered(lambda picking: picking.state == "done")
        if not done:
            return self.env["aftersales.warranty"]
        creating = done.filtered("company_id.aftersales_warranty_on_delivery")
        created = creating.move_line_ids._aftersales_create_warranties()
        done.move_line_ids._aftersales_void_warranties()
        done.filtered(
            lambda picking: picking.aftersales_warranty_role == "exchange_delivery"
        )._aftersales_transfer_exchanged_warranties()
        for picking in done:
            count = len(created.filtered(lambda w, picking=picking: w.picking_id == picking))
            if count:
                picking.sudo()._message_log(
                    body=self.env._("%(count)s warranties created.", count=count)
                )
        return created

    def _aftersales_transfer_exchanged_warranties(self):
        for picking in self:
            ticket = picking.aftersales_warranty_ticket_id.sudo()
            warranty = ticket.warranty_id.sudo()
            line = picking.move_line_ids.filtered(
                lambda ml, warranty=warranty: (
                    ml.product_id == warranty.product_id and ml.quantity > 0
                )
            )[:1]
            if warranty and line and warranty.move_line_id != line:
                warranty._transfer_to_replacement(line, ticket)

    def _aftersales_set_returned_lot(self, lot):
        """Put the serial `lot` on the return move of its product (one unit)."""
        for move in self.move_ids.filtered(lambda m, lot=lot: m.product_id == lot.product_id):
            lines = move.move_line_ids
            if lines:
                lines[0].write({"lot_id": lot.id, "quantity": 1.0})
                lines[1:].unlink()
            else:
                move.write(
                    {
                        "move_line_ids": [
                            Command.create(
                                {
                                    "product_id": move.product_id.id,
                                    "lot_id": lot.id,
                                    "quantity": 1.0,
                                    "location_id": move.location_id.id,
                                    "location_dest_id": move.location_dest_id.id,
                                    "picking_id": self.id,
                                }
                            )
                        ]
                    }
                )
