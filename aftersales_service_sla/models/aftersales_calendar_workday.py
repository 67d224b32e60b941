from odoo import fields, models

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class AftersalesCalendarWorkday(models.Model):
    """调休上班: a day normally off that is worked, to make up for a long public holiday."""

    _name = "aftersales.calendar.workday"
    _inherit = ["aftersales.sla.match.mixin"]  # the working days are cached
    _description = "Make-up Working Day"
    _order = "date"

    name = fields.Char(string="Reason", required=True, translate=True)
    calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="calendar_id.company_id", store=True)
    date = fields.Date(required=True)
    dayofweek = fields.Selection(
        WEEKDAYS,
        string="Works As",
        required=True,
        default="0",
        help="The day is worked with the hours of this weekday of the calendar.",
    )

    _date_uniq = models.Constraint(
        "UNIQUE(calendar_id, date)", "A make-up working day is given only once per calendar."
    )
