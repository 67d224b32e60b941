from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_requested_date_days = fields.Integer(
        string="Requested Date Horizon (days)",
        default=365,
        help="How far ahead customers may ask for a visit (the requested date of a ticket, "
        "from the portal, the API, mail or an import).",
    )

    aftersales_mail_authserv_id = fields.Char(
        string="Trusted Mail Server",
        help="The name (authserv-id) your receiving mail server writes at the start of the "
        "Authentication-Results header of incoming mails, e.g. mx.example.com. A mail from a "
        "known customer address that this server saw pass DMARC, or DKIM or SPF aligned with "
        "the From domain, is trusted as sent by the customer. Leave empty to have every such "
        "mail confirmed by an agent. The server must remove headers that claim its name from "
        "outside (Postfix with OpenDMARC, rspamd and the big mail providers do).",
    )

    _aftersales_requested_date_days_range = models.Constraint(
        "CHECK(aftersales_requested_date_days BETWEEN 1 AND 1095)",
        "The requested date horizon is between 1 and 1095 days (three years).",
    )
