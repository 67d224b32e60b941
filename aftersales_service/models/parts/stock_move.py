from odoo import api, fields, models

# stock moves of part lines: what they do for the ticket
PART_MOVE_ROLES = [
    ("issue", "Issue to the ticket"),
    ("return", "Unused part back"),
    ("defective", "Defective part received"),
    ("vendor_return", "Return to vendor"),
    ("repair", "Workshop repair"),
]


class StockMove(models.Model):
    _inherit = "stock.move"

    # ---- spare parts (备品备件)
    aftersales_part_line_id = fields.Many2one(
        "aftersales.part.line",
        string="Ticket Part Line",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        groups="base.group_user",
    )
    aftersales_part_role = fields.Selection(
        PART_MOVE_ROLES, string="Part Role", readonly=True, groups="base.group_user"
    )

    def _prepare_merge_moves_distinct_fields(self):
        # two part lines of the same product stay two moves: each keeps its line
        return [*super()._prepare_merge_moves_distinct_fields(), "aftersales_part_line_id"]

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if default and default.get("origin_returned_move_id"):
            # a return of an issued part (return wizard) brings the unused part back
            for move, vals in zip(self, vals_list, strict=True):
                if move.aftersales_part_role:
                    role = move.aftersales_part_role
                    vals["aftersales_part_role"] = "return" if role == "issue" else False
                    if role != "issue":
                        vals["aftersales_part_line_id"] = False
        return vals_list

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals and not self.env.context.get("aftersales_skip_parts_sync"):
            issues = self.filtered(lambda m: m.aftersales_part_role in ("issue", "repair"))
            if issues:
                # the ticket enters or leaves "Waiting parts" with its reservation
                issues.aftersales_part_line_id.ticket_id.sudo()._parts_sync_waiting_stage()
        return res

    def _update_reserved_quantity(
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        # a part line asking for a given lot reserves that lot only
        line_lot = self.aftersales_part_line_id.lot_id
        if line_lot and not lot_id and self.aftersales_part_role in ("issue", "repair"):
            lot_id = line_lot
        return super()._update_reserved_quantity(
            need,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    def _aftersales_reduce(self, quantity, uom):
        """Open part moves: ask for `quantity` (in `uom`) less, the newest moves first
        (cancelled, or shrunk)."""
        for move in self.sorted("id", reverse=True):
            if uom.compare(quantity, 0) <= 0:
                break
            open_qty = move.product_uom_qty
            if move.product_uom != uom:
                open_qty = move.product_uom._compute_quantity(
                    open_qty, uom, rounding_method="HALF-UP"
                )
            if uom.compare(open_qty, quantity) <= 0:
                move.with_context(aftersales_skip_parts_sync=True)._action_cancel()
                quantity -= open_qty
            else:
                move._do_unreserve()
                remaining = uom._compute_quantity(open_qty - quantity, move.product_uom)
                move.with_context(aftersales_skip_parts_sync=True).write(
                    {"product_uom_qty": remaining}
                )
                quantity = 0.0

    @api.model
    def _aftersales_prepare_part_vals(self, line, role, quantity, picking_vals):
        """A move of `quantity` of the part line `line` in the transfer `picking_vals`."""
        return {
            "product_id": line.product_id.id,
            "product_uom_qty": quantity,
            "product_uom": line.product_uom_id.id,
            "location_id": picking_vals["location_id"],
            "location_dest_id": picking_vals["location_dest_id"],
            "picking_type_id": picking_vals["picking_type_id"],
            "partner_id": picking_vals.get("partner_id"),
            "origin": picking_vals.get("origin"),
            "company_id": line.company_id.id,
            "aftersales_part_line_id": line.id,
            "aftersales_part_role": role,
        }
