from odoo import models
from odoo.tools import float_compare

from .dates import customer_tz, local_date


class StockMoveLine(models.Model):
    """Warranties follow the goods: created by deliveries, voided by customer returns."""

    _inherit = "stock.move.line"

    def _aftersales_lines_needing_warranty(self):
        """The delivered move lines of sale orders whose product has a warranty policy."""
        return self.filtered(
            lambda ml: (
                ml.state == "done"
                and ml.location_dest_id.usage == "customer"
                and ml.location_id.usage != "customer"
                and ml.move_id.sale_line_id
                and ml.quantity > 0
                and ml.product_id.product_tmpl_id._aftersales_get_warranty_policy()
            )
        )

    def _aftersales_create_warranties(self):
        """Warranties of delivered move lines: one per serial, else one per move line.

        Lines that already have a warranty, and serials that already have a live one, are
        skipped, so validating again, backorders and partial deliveries never duplicate.
        A fixed number of queries, whatever the number of lines.
        """
        Warranty = self.env["aftersales.warranty"].sudo()
        # the warehouse validates deliveries without after-sales rights: the policies and
        # warranties are the system's work, read and written in sudo
        move_lines = self.sudo()._aftersales_lines_needing_warranty()
        if not move_lines:
            return Warranty
        serial_lines = move_lines.filtered(
            lambda ml: ml.lot_id and ml.product_id.tracking == "serial"
        )
        domain = [("move_line_id", "in", move_lines.ids)]
        if serial_lines:
            domain = [
                "|",
                *domain,
                "&",
                ("lot_id", "in", serial_lines.lot_id.ids),
                ("state", "!=", "void"),
            ]
        existing = Warranty.search(domain)
        done_lines = existing.move_line_id
        covered_lots = existing.filtered(lambda w: w.state != "void").lot_id
        vals_list = []
        for line in move_lines:
            if line in done_lines or (line in serial_lines and line.lot_id in covered_lots):
                continue
            if line in serial_lines:
                covered_lots |= line.lot_id
            vals_list.append(line._aftersales_prepare_warranty_vals())
        if not vals_list:
            return Warranty
        warranties = Warranty.with_context(tracking_disable=True).create(vals_list)
        warranties._message_log_batch(
            bodies={
                w.id: self.env._(
                    "Warranty created on the delivery %(picking)s.", picking=w.picking_id.name
                )
                for w in warranties
            }
        )
        warranties.sale_order_id.order_line._aftersales_apply_warranty_extensions()
        return warranties

    def _aftersales_prepare_warranty_vals(self):
        self.ensure_one()
        line = self
        move = line.move_id
        order = move.sale_line_id.order_id
        partner = order.partner_id
        serial = line.product_id.tracking == "serial"
        return {
            "company_id": move.company_id.id,
            "partner_id": partner.id,
            "product_id": line.product_id.id,
            "lot_id": line.lot_id.id,
            "quantity": 1.0 if serial else line.quantity_product_uom,
            "policy_id": line.product_id.product_tmpl_id._aftersales_get_warranty_policy().id,
            "sale_order_id": order.id,
            "sale_line_id": move.sale_line_id.id,
            "picking_id": line.picking_id.id,
            "move_id": move.id,
            "move_line_id": line.id,
            "start_date": local_date(move.date or line.date, customer_tz(partner, move.company_id)),
        }

    def _aftersales_void_warranties(self):
        """A product returned by the customer loses its warranty.

        Serials: the live warranty of the serial is voided. Other products: the warranty
        of the returned delivery loses the returned quantity and is voided at zero.
        Returns made for a 三包 exchange keep the warranty: it moves to the replacement.
        """
        returned = self.filtered(
            lambda ml: (
                ml.state == "done"
                and ml.location_id.usage == "customer"
                and ml.location_dest_id.usage != "customer"
                and ml.picking_id.aftersales_warranty_role != "exchange_return"
            )
        )
        Warranty = self.env["aftersales.warranty"].sudo()
        if not returned:
            return Warranty
        serial_lines = returned.filtered(
            lambda ml: ml.lot_id and ml.product_id.tracking == "serial"
        )
        other_lines = returned - serial_lines
        origin_moves = other_lines.move_id.origin_returned_move_id
        domain = [("state", "!=", "void")]
        if serial_lines and origin_moves:
            domain += [
                "|",
                ("lot_id", "in", serial_lines.lot_id.ids),
                ("move_id", "in", origin_moves.ids),
            ]
        elif serial_lines:
            domain += [("lot_id", "in", serial_lines.lot_id.ids)]
        elif origin_moves:
            domain += [("move_id", "in", origin_moves.ids)]
        else:
            return Warranty
        candidates = Warranty.search(domain, order="start_date, id")
        to_void = candidates.filtered(lambda w: w.lot_id in serial_lines.lot_id)
        reasons = {
            w.id: serial_lines.filtered(lambda ml, w=w: ml.lot_id == w.lot_id)[:1] for w in to_void
        }
        for line in other_lines:
            remaining = line.quantity_product_uom
            origin = line.move_id.origin_returned_move_id
            for warranty in candidates.filtered(lambda w, origin=origin: w.move_id == origin):
                if float_compare(remaining, 0, precision_digits=6) <= 0:
                    break
                taken = min(remaining, warranty.quantity)
                remaining -= taken
                if float_compare(warranty.quantity, taken, precision_digits=6) <= 0:
                    to_void |= warranty
                    reasons[warranty.id] = line
                else:
                    warranty.quantity -= taken
        for warranty in to_void:
            picking = reasons[warranty.id].picking_id
            warranty._action_void(
                self.env._("Returned by the customer (%(picking)s)", picking=picking.name)
            )
        return to_void
