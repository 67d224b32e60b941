from odoo import api, fields, models
from odoo.exceptions import ValidationError

ESCALATION_ACTIONS = [
    ("notify_engineer", "Notify the engineer"),
    ("notify_leader", "Notify the team leader"),
    ("raise_priority", "Raise the priority"),
    ("reassign", "Reassign to a team"),
]


class AftersalesSlaEscalation(models.Model):
    _name = "aftersales.sla.escalation"
    _description = "After-Sales SLA Escalation Level"
    _order = "target_id, percent, sequence, id"

    target_id = fields.Many2one(
        "aftersales.sla.target", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    percent = fields.Integer(
        string="At (%)",
        required=True,
        default=100,
        help="Fired once when this share of the target's time is used: 80 warns before the "
        "breach, 100 at the deadline, 150 well after it.",
    )
    action = fields.Selection(ESCALATION_ACTIONS, required=True, default="notify_engineer")
    team_id = fields.Many2one("aftersales.team", string="To Team")

    _percent_positive = models.Constraint(
        "CHECK(percent > 0)", "An escalation level fires after a positive share of the time."
    )

    @api.constrains("action", "team_id")
    def _check_team(self):
        for level in self:
            if level.action == "reassign" and not level.team_id:
                raise ValidationError(
                    self.env._("An escalation that reassigns the ticket needs the team.")
                )

    @api.depends("percent", "action", "team_id")
    def _compute_display_name(self):
        actions = dict(self._fields["action"]._description_selection(self.env))
        for level in self:
            level.display_name = f"{level.percent}%: {actions.get(level.action, '')}"
