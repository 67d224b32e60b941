from odoo import fields, models


class AftersalesTicketStage(models.Model):
    _name = "aftersales.ticket.stage"
    _description = "After-Sales Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="Shown to the customer in the portal.")
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Tickets in this stage are done: a resolution (and, when the ticket type asks "
        "for it, a signed service report) is required to enter it.",
    )
    is_dispatch_stage = fields.Boolean(
        string="Dispatch Stage",
        help="New tickets move to this stage when an engineer is assigned.",
    )
    active = fields.Boolean(default=True)
    team_ids = fields.Many2many(
        "aftersales.team",
        "aftersales_team_stage_rel",
        "stage_id",
        "team_id",
        string="Teams",
        help="Teams using this stage. Leave empty to use it in every team.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Customer Email",
        domain=[("model", "=", "aftersales.ticket")],
        help="Sent to the customer when a ticket enters this stage.",
    )
