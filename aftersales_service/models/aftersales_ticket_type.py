from odoo import fields, models

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]


class AftersalesTicketType(models.Model):
    _name = "aftersales.ticket.type"
    _description = "After-Sales Ticket Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Technical code used by integrations, e.g. repair.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)
    report_required = fields.Boolean(
        string="Service Report Required",
        help="A ticket of this type cannot be closed without a service report.",
    )
    signature_required = fields.Boolean(
        help="A ticket of this type cannot be closed without the customer's signature "
        "on the service report.",
    )
    default_priority = fields.Selection(PRIORITIES, default="1", required=True)
    team_id = fields.Many2one(
        "aftersales.team",
        string="Default Team",
        help="Team that receives new tickets of this type when none is given.",
    )
    company_id = fields.Many2one("res.company", help="Leave empty to share the type.")

    _code_uniq = models.Constraint("UNIQUE(code)", "The code of a ticket type must be unique.")
