from odoo import fields, models


class AftersalesTicketStage(models.Model):
    _inherit = "aftersales.ticket.stage"

    sla_pause = fields.Boolean(
        string="Pause SLA",
        help="The service promises stop counting while a ticket is in this stage (e.g. "
        "waiting for the customer); leaving it recomputes their deadlines from the working "
        "time left.",
    )
