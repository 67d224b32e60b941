from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

STAGE_ROLES = [
    ("new", "New"),
    ("dispatched", "Dispatched"),
    ("in_progress", "In Progress"),
    ("waiting_parts", "Waiting Parts"),
    ("waiting_customer", "Waiting Customer"),
    ("waiting_quotation", "Waiting Quotation"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
]


class AftersalesTicketStage(models.Model):
    _name = "aftersales.ticket.stage"
    _inherit = ["aftersales.worker.cache.mixin"]  # each worker keeps the teams' stages
    _description = "After-Sales Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="Shown to the customer in the portal.")
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Tickets in this stage are done: a resolution (and, when the ticket type asks "
        "for it, a signed service report) is required to enter it.",
    )
    role = fields.Selection(
        STAGE_ROLES,
        index="btree_not_null",
        help="What the stage means to the product: new tickets start in the New stage, an "
        "assigned engineer moves them to Dispatched, missing spare parts to Waiting Parts, an "
        "out-of-warranty quotation to Waiting Quotation, and so on. A team has at most one "
        "stage of each role; a role without a stage in the team is simply skipped.",
    )
    active = fields.Boolean(default=True)
    team_ids = fields.Many2many(
        "aftersales.team",
        "aftersales_team_stage_rel",
        "stage_id",
        "team_id",
        string="Teams",
        help="Teams using this stage. Leave empty to use it in every team.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Customer Email",
        domain=[("model", "=", "aftersales.ticket")],
        help="Sent to the customer when a ticket enters this stage.",
    )

    @api.model
    @tools.ormcache()
    def _shared_stage_ids(self):
        """The active stages of every team (no team of their own), in their order: kept by
        each worker until a stage changes (see aftersales.team._get_stages)."""
        return tuple(
            self.sudo().with_context(active_test=True).search([("team_ids", "=", False)]).ids
        )

    @api.constrains("role", "team_ids", "active", "is_closed")
    def _check_role(self):
        for stage in self.filtered("role"):
            if stage.role == "closed" and not stage.is_closed:
                raise ValidationError(
                    self.env._(
                        "Stage %(stage)s has the role Closed: tick Closing Stage too.",
                        stage=stage.name,
                    )
                )
            domain = [("role", "=", stage.role), ("id", "!=", stage.id)]
            if stage.team_ids:
                domain.append(("team_ids", "in", stage.team_ids.ids))
            else:
                domain.append(("team_ids", "=", False))
            other = self.search(domain, limit=1)
            if other:
                role = dict(self._fields["role"]._description_selection(self.env))[stage.role]
                raise ValidationError(
                    self.env._(
                        "Stages %(stage)s and %(other)s both have the role %(role)s in the same "
                        "team: a team has one stage per role. Clear the role of one of them.",
                        stage=stage.name,
                        other=other.name,
                        role=role,
                    )
                )
