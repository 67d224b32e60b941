from odoo import fields, models


class AftersalesTicketAcknowledgement(models.Model):
    """A new ticket's acknowledgement, to be rendered and queued after the request that
    created the ticket (the job "send the acknowledgements"). A queue of its own: the job
    never writes the ticket's row, which users go on changing meanwhile."""

    _name = "aftersales.ticket.acknowledgement"
    _description = "Pending Ticket Acknowledgement"
    _order = "id"
    _log_access = False

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    template_id = fields.Many2one("mail.template", required=True, ondelete="cascade")
    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", help="The ticket's creator: the sender."
    )
