from odoo import fields, models


class AftersalesSlaEscalationLog(models.Model):
    _name = "aftersales.sla.escalation.log"
    _description = "After-Sales SLA Escalation Fired"
    _order = "fired_date desc, id desc"

    timer_id = fields.Many2one(
        "aftersales.ticket.sla", required=True, ondelete="cascade", index=True
    )
    level_id = fields.Many2one("aftersales.sla.escalation", required=True, ondelete="cascade")
    ticket_id = fields.Many2one("aftersales.ticket", ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company")
    fired_date = fields.Datetime(required=True)
    action = fields.Selection(related="level_id.action")
    percent = fields.Integer(related="level_id.percent")

    _timer_level_uniq = models.Constraint(
        "UNIQUE(timer_id, level_id)", "An escalation level fires once per timer."
    )
