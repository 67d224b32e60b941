from ast import literal_eval

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.aftersales_service.models.aftersales_ticket_type import PRIORITIES

COMPENSATION_TYPES = [
    ("percent", "Percentage off the service fee"),
    ("free_visit", "Free maintenance visit"),
    ("credit", "Fixed credit"),
]


class AftersalesSlaPolicy(models.Model):
    """服务承诺: which tickets get which promises, counted on which working hours."""

    _name = "aftersales.sla.policy"
    _description = "After-Sales SLA Policy"
    _inherit = ["mail.thread", "aftersales.sla.match.mixin"]
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
    first_response_closing = fields.Selection(
        [
            ("not_needed", "Not needed: the resolution supersedes it"),
            ("met", "Met by the resolution"),
        ],
        string="Closed Before a Response",
        required=True,
        default="not_needed",
        help="A ticket closed before its first response: the promise is not needed any more, "
        "or the resolution counts as the response (met when in time). Either way it is "
        "missed when its deadline had passed.",
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

    @api.model
    @tools.ormcache()
    def _match_rules(self):
        """What matching needs of the active policies with targets, in their order: plain
        values kept by each worker until a policy or a target changes (a new ticket costs
        no query to match)."""
        policies = self.sudo().with_context(active_test=True).search([("target_ids", "!=", False)])
        return tuple(
            {
                "company": policy.company_id.id,
                "teams": frozenset(policy.team_ids.ids),
                "types": frozenset(policy.type_ids.ids),
                "priority": policy.priority,
                "tiers": frozenset(policy.tier_ids.ids),
                "partners": frozenset(policy.partner_ids.ids),
                "categs": tuple(policy.product_categ_ids.ids),
                "domain": policy.domain if policy._get_domain() else False,
                "targets": tuple((target.id, target._key()) for target in policy.target_ids),
            }
            for policy in policies
        )

    @staticmethod
    def _match_rule(rule, ticket):
        """The conditions of a policy (`_match_rules`) that need no query."""
        path = f"/{ticket.product_id.categ_id.parent_path or ''}"
        checks = (
            not rule["company"] or rule["company"] == ticket.company_id.id,
            not rule["teams"] or ticket.team_id.id in rule["teams"],
            not rule["types"] or ticket.type_id.id in rule["types"],
            not rule["priority"] or (ticket.priority or "0") >= rule["priority"],
            not rule["tiers"] or ticket.customer_tier_id.id in rule["tiers"],
            not rule["partners"] or ticket.commercial_partner_id.id in rule["partners"],
            not rule["categs"] or any(f"/{categ}/" in path for categ in rule["categs"]),
        )
        return all(checks)

    @api.model
    def _match_targets(self, tickets):
        """{ticket id: {target key: target}}: per kind of target, the first matching policy.

        The key is the kind, or ("stage", stage id) for the stage targets. The policies come
        from the cache of `_match_rules`; the optional domains are evaluated in memory.
        """
        result = {ticket.id: {} for ticket in tickets}
        if not tickets:
            return result
        rules = self._match_rules()
        target_ids = tuple(target_id for rule in rules for target_id, _key in rule["targets"])
        # records of one recordset: reading one target (its escalations) reads them all
        targets = {t.id: t for t in self.env["aftersales.sla.target"].sudo().browse(target_ids)}
        for rule in rules:
            candidates = tickets.filtered(lambda ticket, rule=rule: self._match_rule(rule, ticket))
            if candidates and rule["domain"]:
                candidates = candidates.filtered_domain(literal_eval(rule["domain"]))
            for ticket in candidates:
                matched = result[ticket.id]
                for target_id, key in rule["targets"]:
                    matched.setdefault(key, targets[target_id])
        return result
