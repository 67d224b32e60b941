from odoo import api, fields, models

SEGMENT_REASONS = [
    ("start", "Start"),
    ("pause", "Pause"),
    ("resume", "Resume"),
    ("rematch", "New target"),
    ("reopen", "Reopened"),
]


class AftersalesTicketSlaSegment(models.Model):
    _name = "aftersales.ticket.sla.segment"
    _description = "After-Sales SLA Timer Segment"
    _order = "timer_id, date_start, id"

    timer_id = fields.Many2one(
        "aftersales.ticket.sla", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="timer_id.company_id", store=True, precompute=True)
    state = fields.Selection([("running", "Running"), ("paused", "Paused")], required=True)
    reason = fields.Selection(SEGMENT_REASONS, required=True)
    date_start = fields.Datetime(required=True)
    date_end = fields.Datetime()
    working_seconds = fields.Integer()
    working_hours = fields.Float(compute="_compute_working_hours", string="Working Time (h)")
    calendar_id = fields.Many2one("resource.calendar", string="Working Hours")

    @api.depends("working_seconds")
    def _compute_working_hours(self):
        for segment in self:
            segment.working_hours = segment.working_seconds / 3600
