from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesTicketReassign(models.TransientModel):
    """转派: move tickets to another team or engineer, with the reason."""

    _name = "aftersales.ticket.reassign"
    _description = "Reassign After-Sales Tickets"

    ticket_ids = fields.Many2many("aftersales.ticket", string="Tickets", required=True)
    team_id = fields.Many2one("aftersales.team", string="New Team", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="New Engineer",
        domain="[('share', '=', False), ('id', 'in', member_ids)]",
    )
    member_ids = fields.Many2many(related="team_id.member_ids")
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ids = self.env.context.get("active_ids") or []
        if self.env.context.get("active_model") == "aftersales.ticket" and ids:
            tickets = self.env["aftersales.ticket"].browse(ids)
            values["ticket_ids"] = [fields.Command.set(tickets.ids)]
            if "team_id" in fields_list and len(tickets.team_id) == 1:
                values["team_id"] = tickets.team_id.id
        return values

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.user_id and self.user_id not in self.team_id.member_ids:
            self.user_id = False

    def action_reassign(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason of the reassignment."))
        closed = self.ticket_ids.filtered("is_closed")
        if closed:
            raise UserError(
                self.env._(
                    "Closed tickets cannot be reassigned: %(tickets)s. Reopen them first.",
                    tickets=", ".join(closed.mapped("display_name")),
                )
            )
        unchanged = self.ticket_ids.filtered(
            lambda t: t.team_id == self.team_id and t.user_id == self.user_id
        )
        if unchanged == self.ticket_ids:
            raise UserError(self.env._("Choose another team or engineer: nothing would change."))
        tickets = (self.ticket_ids - unchanged).with_context(
            aftersales_dispatch_reason=self.reason.strip()
        )
        tickets.write({"team_id": self.team_id.id, "user_id": self.user_id.id})
        if not self.user_id:
            tickets._auto_assign()
        return {"type": "ir.actions.act_window_close"}
