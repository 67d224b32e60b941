from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime


class AftersalesTicket(models.Model):
    """服务过程透明: the customer is told of each stage (its mail template), of every later
    expected completion and its reason."""

    _inherit = "aftersales.ticket"

    delay_reason = fields.Char(
        string="Reason of Delay",
        tracking=True,
        help="Shown to the customer when the expected completion moves later.",
    )

    def write(self, vals):
        if "expected_date" not in vals:
            return super().write(vals)
        if not self.env.context.get("aftersales_dispatching"):
            self._check_delay_reason(vals)
        old_expected = {t.id: t.expected_date for t in self}
        res = super().write(vals)
        self._notify_expected_date_change(old_expected)
        return res

    def _check_delay_reason(self, vals):
        new = fields.Datetime.to_datetime(vals["expected_date"])
        reason = vals.get("delay_reason")
        for ticket in self:
            postponed = ticket.expected_date and new and new > ticket.expected_date
            if postponed and not reason:
                raise UserError(
                    self.env._(
                        "The expected completion of %(ticket)s moves later: give the reason "
                        "of the delay, the customer will see it.",
                        ticket=ticket.display_name,
                    )
                )

    def _notify_expected_date_change(self, old_expected):
        for ticket in self.filtered(lambda t: t.expected_date != old_expected.get(t.id)):
            old = old_expected.get(ticket.id)
            if not old or not ticket.partner_id:
                continue
            tz = ticket.partner_id.tz or self.env.user.tz or "UTC"
            lang = ticket.partner_id.lang
            body = self.with_context(lang=lang).env._(
                "The expected completion of your request %(number)s has changed from "
                "%(old)s to %(new)s. Reason: %(reason)s",
                number=ticket.number,
                old=format_datetime(ticket.with_context(lang=lang).env, old, tz=tz),
                new=format_datetime(
                    ticket.with_context(lang=lang).env, ticket.expected_date, tz=tz
                ),
                reason=ticket.delay_reason or "-",
            )
            ticket.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=ticket.partner_id.ids,
            )

    def _track_template(self, changes):
        res = super()._track_template(changes)
        ticket = self[0]
        template = ticket.stage_id.mail_template_id
        if "stage_id" in changes and template and ticket.partner_id:
            res["stage_id"] = (
                template,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _notify_by_email_prepare_rendering_context(self, message, msg_vals=False, **kwargs):
        # the acknowledgements are sent in mass-mail mode, whose message has no record name yet:
        # the mail's header names the ticket all the same
        context = super()._notify_by_email_prepare_rendering_context(
            message, msg_vals=msg_vals, **kwargs
        )
        if not context.get("record_name") and len(self) == 1:
            context["record_name"] = context["record"].display_name
            context["subtitles"] = [context["record_name"]]
        return context

    def _track_subtype(self, initial_values):
        self.ensure_one()
        if "stage_id" in initial_values:
            return self.env.ref("aftersales_service.mt_ticket_stage")
        return super()._track_subtype(initial_values)
