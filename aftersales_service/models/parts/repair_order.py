from odoo import api, fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The service ticket that sent the product to the workshop.",
        groups="base.group_user",
    )

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            for repair in self.filtered("aftersales_ticket_id"):
                repair._aftersales_log_state()
        return res

    @api.model
    def _aftersales_prepare_vals(self, ticket, repair_type):
        """The repair order of the product of `ticket`, with its parts not issued yet."""
        lines = ticket._parts_lines_to_issue().filtered(lambda line: not line.qty_issued)
        # the parts go with the product to the workshop: the site transfer releases them
        lines._open_issue_moves().with_context(aftersales_skip_parts_sync=True)._action_cancel()
        moves = [
            fields.Command.create(
                {
                    "product_id": line.product_id.id,
                    "product_uom_qty": line.product_uom_qty,
                    "product_uom": line.product_uom_id.id,
                    "repair_line_type": "add",
                    "company_id": ticket.company_id.id,
                    "aftersales_part_line_id": line.id,
                    "aftersales_part_role": "repair",
                }
            )
            for line in lines
        ]
        return {
            "product_id": ticket.product_id.id,
            "lot_id": ticket.lot_id.id,
            "partner_id": ticket.partner_id.id,
            "picking_type_id": repair_type.id,
            "location_id": (
                ticket.parts_warehouse_id.aftersales_spare_loc_id
                or repair_type.default_location_src_id
            ).id,
            "under_warranty": ticket._is_in_warranty(),
            "internal_notes": ticket.description,
            "company_id": ticket.company_id.id,
            "aftersales_ticket_id": ticket.id,
            "move_ids": moves,
        }

    def _aftersales_log_state(self):
        """The ticket's chatter follows the state of its workshop repair."""
        states = dict(self._fields["state"]._description_selection(self.env))
        for repair in self:
            repair.aftersales_ticket_id.sudo().message_post(
                body=self.env._(
                    "Workshop repair %(repair)s: %(state)s.",
                    repair=repair.name,
                    state=states.get(repair.state, repair.state),
                ),
                subtype_xmlid="mail.mt_note",
            )
