from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.aftersales_service.models.aftersales_ticket_type import PRIORITIES

TARGET_KINDS = [
    ("first_response", "First Response"),
    ("onsite", "On-site Arrival"),
    ("resolution", "Resolution"),
    ("stage", "Reach Stage"),
]
ESCALATION_ACTIONS = [
    ("notify_engineer", "Notify the engineer"),
    ("notify_leader", "Notify the team leader"),
    ("raise_priority", "Raise the priority"),
    ("reassign", "Reassign to a team"),
]
COMPENSATION_TYPES = [
    ("percent", "Percentage off the service fee"),
    ("free_visit", "Free maintenance visit"),
    ("credit", "Fixed credit"),
]


class AftersalesSlaPolicy(models.Model):
    """服务承诺: which tickets get which promises, counted on which working hours."""

    _name = "aftersales.sla.policy"
    _description = "After-Sales SLA Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(
        default=10, help="For each kind of target, the first matching policy applies."
    )
    active = fields.Boolean(default=True)
    description = fields.Html(translate=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to use the policy in every company.",
    )

    # ------------------------------------------------------------ matching
    team_ids = fields.Many2many("aftersales.team", string="Teams", check_company=True)
    type_ids = fields.Many2many("aftersales.ticket.type", string="Ticket Types")
    priority = fields.Selection(
        PRIORITIES,
        string="Minimum Priority",
        help="Tickets of this priority or higher. Leave empty for every priority.",
    )
    tier_ids = fields.Many2many("aftersales.customer.tier", string="Customer Tiers")
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Tickets on a product of these categories or of their subcategories.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain=[("is_company", "=", True)],
        help="Specific customers (companies): their contacts are included.",
    )
    domain = fields.Char(
        string="Other Conditions",
        default="[]",
        help="An optional extra condition on the tickets.",
    )

    # ------------------------------------------------------------ time
    time_mode = fields.Selection(
        [("calendar", "Working hours"), ("24x7", "24×7")],
        string="Clock",
        required=True,
        default="calendar",
        tracking=True,
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        tracking=True,
        help="Working hours and public holidays counted by the promises. Empty: the team's "
        "working hours, then the company's.",
    )
    first_response_event = fields.Selection(
        [
            ("reply", "First reply to the customer"),
            ("dispatch", "Dispatch to an engineer"),
            ("either", "Reply or dispatch, whichever comes first"),
        ],
        string="First Response Is",
        required=True,
        default="reply",
    )
    target_ids = fields.One2many("aftersales.sla.target", "policy_id", string="Targets", copy=True)

    # ------------------------------------------------------------ compensation
    compensation_type = fields.Selection(
        COMPENSATION_TYPES,
        help="Offered when a target marked 'Compensate' is missed through our fault. Empty: "
        "no compensation.",
    )
    compensation_percent = fields.Float(string="Discount (%)", default=10.0)
    compensation_amount = fields.Monetary(string="Credit")
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="The company's currency, or the current company's for a shared policy.",
    )
    timer_count = fields.Integer(compute="_compute_timer_count", string="Timers")

    _percent_range = models.Constraint(
        "CHECK(compensation_percent >= 0 AND compensation_percent <= 100)",
        "The compensation discount is a percentage between 0 and 100.",
    )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for policy in self:
            policy.currency_id = (policy.company_id or self.env.company).currency_id

    def _compute_timer_count(self):
        groups = self.env["aftersales.ticket.sla"]._read_group(
            [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
        )
        counts = {policy.id: count for policy, count in groups}
        for policy in self:
            policy.timer_count = counts.get(policy.id, 0)

    @api.constrains("domain")
    def _check_domain(self):
        Ticket = self.env["aftersales.ticket"]
        for policy in self:
            try:
                Ticket.search_count(policy._get_domain(), limit=1)
            except (ValueError, SyntaxError, KeyError, TypeError) as error:
                raise ValidationError(
                    self.env._(
                        "The other conditions of SLA policy %(policy)s are not a valid "
                        "domain on tickets: %(error)s",
                        policy=policy.display_name,
                        error=error,
                    )
                ) from error

    @api.constrains("time_mode", "compensation_type", "compensation_amount")
    def _check_compensation(self):
        for policy in self:
            if policy.compensation_type == "credit" and policy.compensation_amount <= 0:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s compensates with a fixed credit: give its amount.",
                        policy=policy.display_name,
                    )
                )

    def action_view_timers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service_sla.aftersales_ticket_sla_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------ matching

    def _get_domain(self):
        self.ensure_one()
        return literal_eval(self.domain or "[]")

    def _get_calendar(self, ticket):
        """The calendar counted for `ticket`: the policy's, the team's, the company's.

        An empty recordset means 24×7 (also the last resort, so a missing calendar never
        stops the promises).
        """
        if self.time_mode == "24x7":
            return self.env["resource.calendar"]
        return (
            self.resource_calendar_id
            or ticket.team_id.resource_calendar_id
            or ticket.company_id.resource_calendar_id
        )

    def _match_static(self, ticket):
        """The conditions that need no query (the optional domain is checked in batch)."""
        self.ensure_one()
        path = f"/{ticket.product_id.categ_id.parent_path or ''}"
        checks = (
            not self.company_id or self.company_id == ticket.company_id,
            not self.team_ids or ticket.team_id in self.team_ids,
            not self.type_ids or ticket.type_id in self.type_ids,
            not self.priority or (ticket.priority or "0") >= self.priority,
            not self.tier_ids or ticket.customer_tier_id in self.tier_ids,
            not self.partner_ids or ticket.commercial_partner_id in self.partner_ids,
            not self.product_categ_ids
            or any(f"/{categ.id}/" in path for categ in self.product_categ_ids),
        )
        return all(checks)

    @api.model
    def _match_targets(self, tickets):
        """{ticket id: {target key: target}}: per kind of target, the first matching policy.

        The key is the kind, or ("stage", stage id) for the stage targets. One search for the
        batch; the optional domains are evaluated in memory.
        """
        result = {ticket.id: {} for ticket in tickets}
        if not tickets:
            return result
        policies = self.sudo().search(
            [("company_id", "in", [False, *tickets.company_id.ids]), ("target_ids", "!=", False)]
        )
        for policy in policies:
            candidates = tickets.filtered(policy._match_static)
            domain = policy._get_domain()
            if candidates and domain:
                candidates = candidates.filtered_domain(domain)
            for ticket in candidates:
                matched = result[ticket.id]
                for target in policy.target_ids:
                    matched.setdefault(target._key(), target)
        return result


class AftersalesSlaTarget(models.Model):
    _name = "aftersales.sla.target"
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
        "CHECK(time_hours > 0)", "The working time of an SLA target must be positive."
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
        if self.kind == "stage":
            return self.env._("Reach %(stage)s", stage=self.stage_id.name)
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]


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
