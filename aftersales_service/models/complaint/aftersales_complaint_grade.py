from odoo import fields, models


class AftersalesComplaintGrade(models.Model):
    """投诉分级: how serious a complaint is, how fast it must be handled and by whom."""

    _name = "aftersales.complaint.grade"
    _description = "After-Sales Complaint Grade"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Technical code used by integrations, e.g. serious.")
    sequence = fields.Integer(default=10, help="The first grade is given to new complaints.")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True, help="Which complaints belong to this grade.")
    time_limit_hours = fields.Float(
        string="Handling Time Limit (hours)",
        required=True,
        default=72.0,
        help="A complaint of this grade must be closed within this many hours after it was "
        "received; it is escalated once when the limit passes.",
    )
    owner_group_id = fields.Many2one(
        "res.groups",
        required=True,
        default=lambda self: self.env.ref(
            "aftersales_service.group_aftersales_manager", raise_if_not_found=False
        ),
        help="Only members of this group can close a complaint of this grade.",
    )
    inform_management = fields.Boolean(
        help="The after-sales managers are informed when a complaint receives this grade and "
        "again when it is escalated.",
    )
    ticket_ids = fields.One2many("aftersales.ticket", "complaint_grade_id", string="Complaints")

    _code_uniq = models.Constraint("UNIQUE(code)", "The code of a complaint grade must be unique.")
    _time_limit_positive = models.Constraint(
        "CHECK(time_limit_hours > 0)",
        "The handling time limit of a complaint grade must be positive.",
    )
