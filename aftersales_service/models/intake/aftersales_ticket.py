from odoo import api, models


class AftersalesTicket(models.Model):
    """多渠道受理 by email: a mail to a team's alias opens a ticket, replies follow it and the
    addresses in CC become followers."""

    _inherit = "aftersales.ticket"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to a team's alias: a new ticket from the sender, channel email.

        The sender is the contact with the same address (case-insensitive) or a new contact
        named after the From display name; it becomes the author of the first message.
        Team and company come from the alias defaults (`custom_values`).
        """
        values = dict(custom_values or {})
        partner = self._mail_intake_partner(msg_dict)
        if partner and not msg_dict.get("author_id"):
            # the gateway posts the mail right after: show the new contact as its author
            msg_dict["author_id"] = partner.id
        channel = self.env["aftersales.channel"]._get_by_code("email")
        values.setdefault("name", msg_dict.get("subject") or self.env._("(no subject)"))
        values.setdefault("partner_id", partner.id)
        values.setdefault("channel_id", channel.id)
        values.setdefault("description", msg_dict.get("body"))
        # the contact fields are computed from the partner; the raw From only when unknown
        parse_dict = dict(msg_dict, email_from=False) if partner else msg_dict
        ticket = super().message_new(parse_dict, custom_values=values)
        ticket._subscribe_cc(msg_dict.get("cc"))
        return ticket

    @api.model
    def _mail_intake_partner(self, msg_dict):
        if msg_dict.get("author_id"):
            return self.env["res.partner"].browse(msg_dict["author_id"])
        return self.env["res.partner"]._find_or_create_from_email_for_ticket(
            msg_dict.get("email_from") or ""
        )

    def message_update(self, msg_dict, update_vals=None):
        res = super().message_update(msg_dict, update_vals=update_vals)
        self._subscribe_cc(msg_dict.get("cc"))
        return res

    def _subscribe_cc(self, cc):
        """Addresses in CC follow the ticket: matched to contacts, created when unknown.

        Mail aliases (the team's own address in a reply-all) never become contacts, and
        internal users are not subscribed by a customer's mail.
        """
        emails = list(self._mail_cc_sanitized_raw_dict(cc).values())
        if not emails:
            return
        for ticket in self:
            partners = ticket._partner_find_from_emails_single(emails, no_create=False)
            partners = partners.filtered(lambda p: not p.user_ids or p.partner_share)
            if partners:
                ticket.message_subscribe(partner_ids=partners.ids)
