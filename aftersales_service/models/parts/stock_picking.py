from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        readonly=True,
        help="The service ticket whose spare parts this transfer issues or brings back.",
        groups="base.group_user",
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
        groups="base.group_user",
    )
    aftersales_planned_visit_date = fields.Datetime(
        related="aftersales_ticket_id.planned_visit_date",
        store=True,
        string="Planned Visit",
        groups="base.group_user",
    )
    aftersales_engineer_id = fields.Many2one(
        related="aftersales_ticket_id.user_id",
        string="Engineer",
        groups="base.group_user",
    )

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

    def _aftersales_schedule_vendor_claim(self, ticket, vendor):
        """Purchasing (else the team leader) handles the claim of this vendor return."""
        user = (
            ticket.company_id.aftersales_purchase_user_id
            or ticket.team_id.leader_id
            or self.env.user
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._(
                "Vendor claim: defective parts of %(ticket)s to %(vendor)s",
                ticket=ticket.number,
                vendor=vendor.display_name,
            ),
            note=self.env._(
                "Defective bought-in components found on service ticket %(ticket)s: agree the "
                "return, replacement or credit with the vendor.",
                ticket=ticket.display_name,
            ),
            user_id=user.id,
        )

    @api.model
    def _aftersales_prepare_vals(
        self, ticket, role, picking_type, location, destination, partner, **extra
    ):
        """An after-sales transfer of `ticket` for `role` (parts, return, ...)."""
        return {
            "picking_type_id": picking_type.id,
            "location_id": location.id,
            "location_dest_id": destination.id,
            "partner_id": partner.id,
            "origin": ticket.number,
            "company_id": ticket.company_id.id,
            "aftersales_ticket_id": ticket.id,
            "aftersales_role": role,
            **extra,
        }
