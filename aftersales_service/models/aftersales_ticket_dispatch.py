from odoo import api, fields, models

DISPATCH_METHODS = [
    ("manual", "Manual"),
    ("round_robin", "Round-robin"),
    ("least_load", "Least open tickets"),
    ("reassign", "Reassignment"),
]


class AftersalesTicketDispatch(models.Model):
    """派遣记录: one row per assignment or reassignment of a ticket."""

    _name = "aftersales.ticket.dispatch"
    _description = "After-Sales Dispatch Record"
    _order = "date desc, id desc"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    author_id = fields.Many2one(
        "res.users", string="Dispatched By", default=lambda self: self.env.user, readonly=True
    )
    method = fields.Selection(DISPATCH_METHODS, required=True, default="manual")
    from_team_id = fields.Many2one("aftersales.team")
    to_team_id = fields.Many2one("aftersales.team")
    from_user_id = fields.Many2one("res.users", string="From Engineer")
    to_user_id = fields.Many2one("res.users", string="To Engineer")
    reason = fields.Text()

    @api.model
    def _log(self, tickets, before, method, reason=False):
        """Log the dispatch of `tickets` and give each new engineer an activity.

        `before`: {ticket id: {"team": team, "user": user}} before the change.
        """
        if not tickets:
            return self
        now = fields.Datetime.now()
        records, activities = [], []
        # by its cached id: env.ref() checks that it exists, one query each dispatch
        todo = self.env["ir.model.data"]._xmlid_to_res_id("mail.mail_activity_data_todo")
        activity_type = self.env["mail.activity.type"].browse(todo)
        model_id = self.env["ir.model"]._get_id(tickets._name)
        summaries = {}  # the activity's summary in each engineer's language, not the dispatcher's
        for ticket in tickets:
            old = before.get(ticket.id, {})
            records.append(
                {
                    "ticket_id": ticket.id,
                    # stored related fields given: no UPDATE after the INSERT
                    "company_id": ticket.company_id.id,
                    "method": method,
                    "from_team_id": old.get("team") and old["team"].id,
                    "to_team_id": ticket.team_id.id,
                    "from_user_id": old.get("user") and old["user"].id,
                    "to_user_id": ticket.user_id.id,
                    "reason": reason,
                    "date": now,
                }
            )
            new_engineer = ticket.user_id and ticket.user_id != old.get("user")
            if new_engineer and not ticket.is_closed and activity_type:
                lang = ticket.user_id.lang or self.env.lang
                if lang not in summaries:
                    summaries[lang] = self.with_context(lang=lang).env._(
                        "Service ticket dispatched to you"
                    )
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": ticket.id,
                        "res_name": ticket.display_name,
                        "activity_type_id": activity_type.id,
                        "user_id": ticket.user_id.id,
                        "summary": summaries[lang],
                        "note": ticket.name,
                        "date_deadline": fields.Date.context_today(ticket),
                    }
                )
        if activities:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activities
            )
        return self.sudo().create(records)
