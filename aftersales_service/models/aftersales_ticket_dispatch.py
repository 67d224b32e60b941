from odoo import fields, models

DISPATCH_METHODS = [
    ("manual", "Manual"),
    ("round_robin", "Round-robin"),
    ("least_load", "Least open tickets"),
    ("reassign", "Reassignment"),
]


class AftersalesTicketDispatch(models.Model):
    """派遣记录: one row per assignment or reassignment of a ticket."""

    _name = "aftersales.ticket.dispatch"
    _description = "After-Sales Dispatch Record"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    author_id = fields.Many2one(
        "res.users", string="Dispatched By", default=lambda self: self.env.user, readonly=True
    )
    method = fields.Selection(DISPATCH_METHODS, required=True, default="manual")
    from_team_id = fields.Many2one("aftersales.team")
    to_team_id = fields.Many2one("aftersales.team")
    from_user_id = fields.Many2one("res.users", string="From Engineer")
    to_user_id = fields.Many2one("res.users", string="To Engineer")
    reason = fields.Text()
