from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    # the mail queue is searched by its outgoing mails, oldest first: by the ticket mail job
    # after each gathering of ticket events, and by Odoo's mail queue cron. Mails kept after
    # sending and mails in exception pile up over the years; without this index each search
    # reads the whole table (43 ms among 40,000 mails, 0.04 ms with it)
    _aftersales_outgoing_idx = models.Index("(id) WHERE state = 'outgoing'")
