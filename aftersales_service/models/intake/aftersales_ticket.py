from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize, format_datetime

from .mail_authentication import authenticated_by

#: the longest subject a ticket may have (a mail's subject is cut there)
NAME_MAX_LENGTH = 500
# a customer's mail makes at most this many of the contacts in its CC followers
MAX_CC_FOLLOWERS = 10
# and only this many CC addresses are looked up
MAX_CC_LOOKUP = 100


class AftersalesTicket(models.Model):
    """多渠道受理 by email: a mail to a team's alias opens a ticket, replies follow it and the
    known contacts in CC become followers."""

    _inherit = "aftersales.ticket"

    sender_unverified = fields.Boolean(
        string="Unverified Sender",
        readonly=True,
        copy=False,
        tracking=True,
        help="The ticket came by mail from the address of a known contact. A mail's sender "
        "can be forged: the customer does not see the ticket in their portal until an agent "
        "has confirmed that they sent it.",
    )

    @api.constrains("name")
    def _check_name_length(self):
        if any(len(ticket.name or "") > NAME_MAX_LENGTH for ticket in self):
            raise ValidationError(
                self.env._(
                    "The subject of a ticket is at most %(count)s characters: shorten it and "
                    "put the details in the description.",
                    count=NAME_MAX_LENGTH,
                )
            )

    @api.constrains("requested_date")
    def _check_requested_date(self):
        """The customer's requested date comes from outside (portal, API, mail, import): it
        lies between the start of today in the customer's time zone and the company's
        horizon (Settings › After-Sales), on every path."""
        for ticket in self.filtered("requested_date"):
            earliest, latest = ticket._requested_date_bounds()
            if earliest <= ticket.requested_date <= latest:
                continue
            raise ValidationError(
                self.env._(
                    "The requested date %(date)s is out of range: choose a date between "
                    "%(earliest)s and %(latest)s (requests are accepted up to %(days)s days "
                    "ahead).",
                    date=format_datetime(self.env, ticket.requested_date),
                    earliest=format_datetime(self.env, earliest),
                    latest=format_datetime(self.env, latest),
                    days=(ticket.company_id or self.env.company).aftersales_requested_date_days,
                )
            )

    def _requested_date_bounds(self, partner=None, company=None):
        """(earliest, latest) requested date accepted now, naive UTC: from the start of today
        in the customer's time zone to the company's horizon ahead."""
        partner = self.partner_id if partner is None else partner
        company = company or self.company_id or self.env.company
        try:
            zone = pytz.timezone(partner.tz or self.env.user.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            zone = pytz.utc
        now = fields.Datetime.now()
        today = pytz.utc.localize(now).astimezone(zone).date()
        earliest = zone.localize(datetime.combine(today, time.min)).astimezone(pytz.utc)
        latest = now + timedelta(days=company.aftersales_requested_date_days)
        return earliest.replace(tzinfo=None), latest

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to a team's alias: a new ticket from the sender, channel email.

        The sender is the contact with the same address (case-insensitive) or a new contact
        named after the From display name; it becomes the author of the first message.
        Team and company come from the alias defaults (`custom_values`). A mail from the
        address of a known contact is not proof that the contact sent it: the ticket is
        flagged "unverified sender" and stays out of the customer's portal until an agent
        confirms it (`action_confirm_sender`), unless the company's own mail server saw the
        sender authenticated (`aftersales_mail_authserv_id`).
        """
        values = dict(custom_values or {})
        partner, known = self._mail_intake_partner(msg_dict)
        if partner and not msg_dict.get("author_id"):
            # the gateway posts the mail right after: show the new contact as its author
            msg_dict["author_id"] = partner.id
        channel = self.env["aftersales.channel"]._get_by_code("email")
        # the subject comes from outside: bounded, without NUL characters
        subject = (msg_dict.get("subject") or "").replace("\x00", "").strip()[:NAME_MAX_LENGTH]
        values.setdefault("name", subject or self.env._("(no subject)"))
        values.setdefault("partner_id", partner.id)
        values.setdefault("channel_id", channel.id)
        values.setdefault("description", msg_dict.get("body"))
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        method = authenticated_by(
            self.env.context.get("aftersales_authentication_results"),
            company.aftersales_mail_authserv_id,
            email_normalize(msg_dict.get("email_from") or "") or partner.email_normalized,
        )
        if known and not method:
            values["sender_unverified"] = True
        # the contact fields are computed from the partner; the raw From only when unknown
        parse_dict = dict(msg_dict, email_from=False) if partner else msg_dict
        ticket = super().message_new(parse_dict, custom_values=values)
        if known and method:
            ticket._message_log(
                body=self.env._(
                    "The sender was authenticated by %(server)s (%(method)s): the request is "
                    "shown in the customer's portal.",
                    server=company.aftersales_mail_authserv_id,
                    method=method.upper(),
                )
            )
        ticket._subscribe_cc(msg_dict.get("cc"))
        return ticket

    @api.model
    def _mail_intake_partner(self, msg_dict):
        """(the sender's contact, whether it existed before the mail)."""
        Partner = self.env["res.partner"]
        if msg_dict.get("author_id"):
            return Partner.browse(msg_dict["author_id"]), True
        email = msg_dict.get("email_from") or ""
        known = Partner._find_from_email_for_ticket(email)
        if known:
            return known, True
        return Partner._find_or_create_from_email_for_ticket(email), False

    def message_update(self, msg_dict, update_vals=None):
        res = super().message_update(msg_dict, update_vals=update_vals)
        self._subscribe_cc(msg_dict.get("cc"))
        return res

    def _subscribe_cc(self, cc):
        """Known contacts in CC follow the ticket, at most MAX_CC_FOLLOWERS a mail.

        No contact is created for an address in CC (anyone can put any address there);
        mail aliases (the team's own address in a reply-all) are skipped, and internal
        users are not subscribed by a customer's mail. The addresses stay in the ticket's CC.
        """
        emails = list(self._mail_cc_sanitized_raw_dict(cc).values())[:MAX_CC_LOOKUP]
        if not emails:
            return
        for ticket in self:
            partners = ticket._partner_find_from_emails_single(emails, no_create=True)
            partners = partners.filtered(lambda p: not p.user_ids or p.partner_share)
            if partners:
                ticket.message_subscribe(
                    partner_ids=partners[:MAX_CC_FOLLOWERS].ids,
                    subtype_ids=ticket._customer_subtype_ids(),
                )

    def action_confirm_sender(self):
        """The agent checked that the customer sent the mail: the ticket shows in their
        portal."""
        self.check_access("write")
        todo = self.filtered("sender_unverified")
        todo.sudo().sender_unverified = False
        for ticket in todo:
            ticket.message_post(
                body=self.env._(
                    "%(user)s confirmed that %(customer)s sent this request: it is shown in "
                    "the customer's portal.",
                    user=self.env.user.name,
                    customer=ticket.partner_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
