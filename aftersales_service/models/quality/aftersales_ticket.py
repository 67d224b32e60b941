from odoo import api, fields, models


class AftersalesTicket(models.Model):
    """重大质量问题: a ticket flagged as a major quality problem gives each member of the
    company's quality team an activity."""

    _inherit = "aftersales.ticket"

    major_quality_issue = fields.Boolean(
        tracking=True,
        copy=False,
        help="A major quality problem (重大质量问题): the quality team gets an activity.",
        groups="aftersales_service.group_aftersales_user",
    )
    quality_issue_note = fields.Text(
        string="Quality Issue", copy=False, groups="aftersales_service.group_aftersales_user"
    )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._parts_notify_quality_team()
        return tickets

    def write(self, vals):
        flagged = self.browse()
        if vals.get("major_quality_issue"):
            flagged = self.filtered(lambda t: not t.major_quality_issue)
        res = super().write(vals)
        if flagged:
            flagged._parts_notify_quality_team()
        return res

    def _parts_notify_quality_team(self):
        """An activity for each member of the quality team (else the team leader)."""
        # the flag is staff data: tickets made by others (portal, sales) are read in sudo
        for ticket in self.filtered(lambda t: t.sudo().major_quality_issue):
            users = ticket.company_id.aftersales_quality_user_ids or ticket.team_id.leader_id
            for user in users:
                ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Major quality issue (重大质量问题): %(ticket)s", ticket=ticket.number
                    ),
                    note=ticket.sudo().quality_issue_note or ticket.name,
                    user_id=user.id,
                )
