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
    # ---- satisfaction, return visits and complaints
    survey_required = fields.Boolean(
        string="Satisfaction Survey",
        help="When a ticket of this type is closed, the customer receives the satisfaction "
        "survey (SERVQUAL) by email and in the portal.",
    )
    return_visit_required = fields.Boolean(
        string="Return Visit",
        help="A return visit (回访) is scheduled for the team after a ticket of this type closes.",
    )
    return_visit_delay_days = fields.Integer(
        string="Return Visit After (days)",
        default=7,
        help="Number of days after closing when the return visit is due.",
    )
    is_complaint = fields.Boolean(
        string="Complaint",
        help="Tickets of this type are complaints (投诉): graded, watched against the grade's "
        "handling time limit, and closed only with root cause, corrective action and "
        "lessons learned.",
    )

    _code_uniq = models.Constraint("UNIQUE(code)", "The code of a ticket type must be unique.")
    _return_visit_delay_positive = models.Constraint(
        "CHECK(return_visit_delay_days >= 0)", "The return visit delay cannot be negative."
    )
