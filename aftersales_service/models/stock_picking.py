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
    )
    aftersales_warranty_ids = fields.One2many("aftersales.warranty", "picking_id")
    # ---- spare parts (备品备件)
    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        readonly=True,
        help="The service ticket whose spare parts this transfer issues or brings back.",
    )
    aftersales_role = fields.Selection(
        [
            ("parts", "Parts for a ticket"),
            ("return", "Unused parts back"),
            ("defective", "Defective parts received"),
            ("vendor_return", "Return to vendor"),
        ],
        string="After-Sales Role",
        readonly=True,
        index="btree_not_null",
    )
    aftersales_planned_visit_date = fields.Datetime(
        related="aftersales_ticket_id.planned_visit_date", store=True, string="Planned Visit"
    )
    aftersales_engineer_id = fields.Many2one(
        related="aftersales_ticket_id.user_id", string="Engineer"
    )
    aftersales_warranty_count = fields.Integer(
        string="Warranties", compute="_compute_aftersales_warranty_count"
    )

    def _compute_aftersales_warranty_count(self):
        counts = self.env["aftersales.warranty"].sudo()._count_by("picking_id", self.ids)
        for picking in self:
            picking.aftersales_warranty_count = counts.get(picking.id, 0)

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_for([("picking_id", "=", self.id)])

    def _aftersales_process_done_pickings(self):
        """Called by the automation rule "warranties on validated transfers".

        Deliveries of sale orders create warranties, customer returns void them, and the
        replacement delivery of a 三包 exchange moves the warranty to the new serial.
        """
        done = self.filtered(lambda picking: picking.state == "done")
        if not done:
            return self.env["aftersales.warranty"]
        Warranty = self.env["aftersales.warranty"].sudo()
        move_lines = done.move_line_ids
        created = Warranty._create_from_deliveries(move_lines)
        Warranty._void_from_returns(move_lines)
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

    def _aftersales_setup_from_delivery(self):
        """Automation rule (transfer done): installation tickets (or the serials of those made
        at confirmation) and maintenance plans of the delivered products."""
        move_lines = self.filtered(lambda p: p.state == "done").move_line_ids
        self.env["aftersales.ticket"].sudo()._create_setup_tickets_from_deliveries(move_lines)
        self.env["aftersales.maintenance.plan"].sudo()._create_from_deliveries(move_lines)

    def _aftersales_transfer_exchanged_warranties(self):
        for picking in self:
            ticket = picking.aftersales_warranty_ticket_id.sudo()
            warranty = ticket.warranty_id.sudo()
            line = picking.move_line_ids.filtered(
                lambda ml, warranty=warranty: ml.product_id == warranty.product_id
                and ml.quantity > 0
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

    # ---- spare parts (备品备件)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if default and default.get("return_id"):
            # a return made from an after-sales transfer brings the parts back
            for picking, vals in zip(self, vals_list, strict=True):
                if picking.aftersales_role:
                    vals["aftersales_role"] = (
                        "return" if picking.aftersales_role == "parts" else False
                    )
        return vals_list

    def _get_aftersales_action(self):
        """Window action on these after-sales transfers (one: its form)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        if len(self) == 1:
            action.update({"views": [(False, "form")], "view_mode": "form", "res_id": self.id})
        else:
            action["domain"] = [("id", "in", self.ids)]
        action["context"] = {"create": False}
        return action
