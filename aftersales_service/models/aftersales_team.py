from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

ASSIGNMENT_METHODS = [
    ("manual", "Manual"),
    ("round_robin", "Round-robin"),
    ("least_load", "Least open tickets"),
]


class AftersalesTeam(models.Model):
    _name = "aftersales.team"
    _description = "After-Sales Service Team"
    # each worker keeps the teams' stages (see _get_stages): only they clear the caches
    _inherit = ["mail.alias.mixin", "mail.thread", "aftersales.worker.cache.mixin"]
    _worker_cache_fields = frozenset({"stage_ids"})
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    leader_id = fields.Many2one("res.users", string="Team Leader", tracking=True)
    member_ids = fields.Many2many(
        "res.users",
        "aftersales_team_member_rel",
        "team_id",
        "user_id",
        string="Engineers",
        domain=[("share", "=", False)],
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        compute="_compute_resource_calendar_id",
        store=True,
        readonly=False,
        help="Working time of the team, used to plan visits and count service promises.",
    )
    assignment_method = fields.Selection(
        ASSIGNMENT_METHODS,
        required=True,
        default="manual",
        tracking=True,
        help="How new tickets get an engineer: by hand, in turn among the members, "
        "or to the member with the fewest open tickets.",
    )
    last_assigned_user_id = fields.Many2one(
        "res.users", readonly=True, help="Last engineer picked by round-robin."
    )
    stage_ids = fields.Many2many(
        "aftersales.ticket.stage",
        "aftersales_team_stage_rel",
        "team_id",
        "stage_id",
        string="Stages",
    )
    default_type_id = fields.Many2one("aftersales.ticket.type", string="Default Ticket Type")
    repeat_window_days = fields.Integer(
        string="Repeat Repair Window (days)",
        default=90,
        help="A new ticket on the same serial (or customer and product) with the same fault "
        "category, within this many days after an earlier ticket was closed, is flagged as "
        "a repeat repair.",
    )
    labour_product_id = fields.Many2one(
        "product.product",
        domain=[("type", "=", "service")],
        help="Labour line of this team's out-of-warranty quotations (else the company's).",
    )
    travel_product_id = fields.Many2one(
        "product.product",
        domain=[("type", "=", "service")],
        help="Travel line (人员出差) of this team's out-of-warranty quotations (else the "
        "company's).",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Spare Parts Warehouse",
        domain="[('company_id', '=', company_id)]",
        help="Spare parts of this team's tickets are reserved in this warehouse (else the "
        "company's first warehouse).",
    )
    ticket_ids = fields.One2many("aftersales.ticket", "team_id", string="Tickets")
    open_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    unassigned_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    urgent_ticket_count = fields.Integer(compute="_compute_ticket_counts")
    overdue_ticket_count = fields.Integer(compute="_compute_ticket_counts")

    _repeat_window_positive = models.Constraint(
        "CHECK(repeat_window_days >= 0)", "The repeat repair window cannot be negative."
    )

    @api.depends("company_id")
    def _compute_resource_calendar_id(self):
        for team in self:
            calendar = team.resource_calendar_id
            if not calendar or (calendar.company_id and calendar.company_id != team.company_id):
                team.resource_calendar_id = team.company_id.resource_calendar_id
            else:
                team.resource_calendar_id = calendar

    def _compute_ticket_counts(self):
        Ticket = self.env["aftersales.ticket"]
        base = [("team_id", "in", self.ids), ("is_closed", "=", False)]
        now = fields.Datetime.now()
        counters = {
            "open_ticket_count": [],
            "unassigned_ticket_count": [("user_id", "=", False)],
            "urgent_ticket_count": [("priority", "=", "3")],
            "overdue_ticket_count": [("expected_date", "<", now)],
        }
        for field_name, extra in counters.items():
            groups = Ticket._read_group(base + extra, ["team_id"], ["__count"])
            counts = {team.id: count for team, count in groups}
            for team in self:
                team[field_name] = counts.get(team.id, 0)

    @api.constrains("resource_calendar_id", "company_id")
    def _check_calendar_company(self):
        for team in self:
            calendar = team.resource_calendar_id
            if calendar.company_id and calendar.company_id != team.company_id:
                raise ValidationError(
                    self.env._(
                        "The working hours %(calendar)s belong to another company: choose "
                        "working hours of %(company)s for team %(team)s.",
                        calendar=calendar.display_name,
                        company=team.company_id.display_name,
                        team=team.display_name,
                    )
                )

    # ------------------------------------------------------------ mail alias

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("aftersales.ticket").id
        if self.id:
            defaults = dict(values.get("alias_defaults") or {})
            defaults["team_id"] = self.id
            defaults["company_id"] = self.company_id.id
            values["alias_defaults"] = defaults
        return values

    # ------------------------------------------------------------ dispatch

    def _get_stages(self):
        """Stages of this team: its own, or the shared ones when it has none (active ones,
        in their order; kept by each worker until a stage or a team's stages change)."""
        self.ensure_one()
        return self.env["aftersales.ticket.stage"].browse(self._stage_ids_cached())

    @tools.ormcache("self.id")
    def _stage_ids_cached(self):
        stages = self.sudo().with_context(active_test=True).stage_ids
        if not stages:
            return self.env["aftersales.ticket.stage"]._shared_stage_ids()
        return tuple(stages.sorted().ids)

    def _pick_engineers(self, count):
        """Engineers for `count` new tickets of this team, by the team's method.

        Archived users are never picked. Round-robin continues after the last engineer
        picked; least-load counts open tickets and breaks ties by the order of the members
        (then by id), adding each pick to the load of the next.
        """
        self.ensure_one()
        members = self.member_ids.filtered("active").sorted(lambda u: (u.name or "", u.id))
        if not members or self.assignment_method == "manual":
            return [self.env["res.users"]] * count
        if self.assignment_method == "round_robin":
            ordered = members.sorted("id")
            start = 0
            if self.last_assigned_user_id in ordered:
                start = list(ordered).index(self.last_assigned_user_id) + 1
            picks = [ordered[(start + offset) % len(ordered)] for offset in range(count)]
            self.sudo().last_assigned_user_id = picks[-1]
            return picks
        groups = self.env["aftersales.ticket"]._read_group(
            [("user_id", "in", members.ids), ("is_closed", "=", False)],
            ["user_id"],
            ["__count"],
        )
        load = {user.id: n for user, n in groups}
        picks = []
        for _index in range(count):
            best = min(members, key=lambda u: (load.get(u.id, 0), u.name or "", u.id))
            load[best.id] = load.get(best.id, 0) + 1
            picks.append(best)
        return picks
