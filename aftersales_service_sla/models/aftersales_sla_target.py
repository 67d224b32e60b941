from odoo import api, fields, models
from odoo.exceptions import ValidationError

TARGET_KINDS = [
    ("first_response", "First Response"),
    ("onsite", "On-site Arrival"),
    ("resolution", "Resolution"),
    ("stage", "Reach Stage"),
]


def promise_label(env, kind, stage):
    """The name of a promise of this kind (and target stage) in the language of `env`."""
    if kind == "stage":
        return env._("Reach %(stage)s", stage=stage.name)
    return dict(env["aftersales.sla.target"]._fields["kind"]._description_selection(env))[kind]


class AftersalesSlaTarget(models.Model):
    _name = "aftersales.sla.target"
    _inherit = ["aftersales.sla.match.mixin"]
    _description = "After-Sales SLA Target"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one(
        "aftersales.sla.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(TARGET_KINDS, string="Promise", required=True, default="resolution")
    stage_id = fields.Many2one(
        "aftersales.ticket.stage",
        help="The promise is kept when the ticket reaches this stage (or a later one).",
    )
    time_hours = fields.Float(
        string="Working Time",
        required=True,
        default=8.0,
        help="Working hours (of the policy's calendar, or 24×7) from the ticket's creation.",
    )
    warning_percent = fields.Integer(
        string="Warning At (%)",
        default=80,
        help="The timer turns to warning when this share of the time is used. 0: no warning.",
    )
    use_requested_date = fields.Boolean(
        string="Customer's Date When Later",
        help="On-site arrival: when the customer asks for a later visit, the promise is "
        "their requested date.",
    )
    compensate = fields.Boolean(
        help="Missing this target through our fault proposes the policy's compensation.",
    )
    escalation_ids = fields.One2many(
        "aftersales.sla.escalation", "target_id", string="Escalation Levels", copy=True
    )

    _time_positive = models.Constraint(
        "CHECK(time_hours > 0 AND time_hours <= 8784)",
        "The working time of an SLA target must be positive and at most 8784 hours (a year).",
    )
    _warning_range = models.Constraint(
        "CHECK(warning_percent >= 0 AND warning_percent < 100)",
        "The warning threshold is a percentage of the target below 100.",
    )

    @api.depends("kind", "stage_id", "time_hours", "policy_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for target in self:
            label = kinds.get(target.kind, "")
            if target.kind == "stage" and target.stage_id:
                label = self.env._("Reach %(stage)s", stage=target.stage_id.name)
            target.display_name = self.env._(
                "%(policy)s: %(target)s in %(hours)sh",
                policy=target.policy_id.name or "",
                target=label,
                hours=f"{target.time_hours:g}",
            )

    @api.constrains("kind", "stage_id")
    def _check_stage(self):
        for target in self:
            if target.kind == "stage" and not target.stage_id:
                raise ValidationError(
                    self.env._("A 'Reach Stage' target needs the stage to reach.")
                )

    @api.constrains("kind", "stage_id", "policy_id")
    def _check_unique_kind(self):
        for policy in self.policy_id:
            keys = [target._key() for target in policy.target_ids]
            if len(keys) != len(set(keys)):
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s has two targets of the same kind: keep one.",
                        policy=policy.display_name,
                    )
                )

    def _key(self):
        self.ensure_one()
        return ("stage", self.stage_id.id) if self.kind == "stage" else self.kind

    def _get_seconds(self):
        """The promised working time in whole seconds."""
        self.ensure_one()
        return round(self.time_hours * 3600)

    def _label(self):
        """Name of the promise shown to users and customers."""
        self.ensure_one()
        return promise_label(self.env, self.kind, self.stage_id)
