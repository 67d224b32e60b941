import math
import time
from functools import partial

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime, split_every

from .cron_wakeup import wake_cron_workers

# seconds the ticket mail job waits for the mails of the requests in flight (0: none)
MAIL_GATHER_PARAM = "aftersales_service.mail_gather_seconds"
# queued ticket mails a batch of the job sends at most (the mail queue job sends the others)
QUEUED_MAILS_BATCH = 1000
# mails sent between two commits of the job
MAIL_SEND_CHUNK = 50
# what mail.mail.send() reads of the mails, their messages and their recipients
SEND_MAIL_FIELDS = [
    "body_html",
    "headers",
    "email_to",
    "email_cc",
    "recipient_ids",
    "state",
    "is_notification",
    "auto_delete",
    "references",
    "mail_message_id",
    "failure_type",
]
SEND_MESSAGE_FIELDS = [
    "model",
    "res_id",
    "email_from",
    "reply_to",
    "subject",
    "message_id",
    "attachment_ids",
    "mail_server_id",
    "record_alias_domain_id",
    "create_uid",
    "mail_ids",
]
SEND_PARTNER_FIELDS = ["name", "email", "email_normalized", "partner_share"]
# the failures after which Odoo still deletes an auto_delete mail (mail.mail, sent)
DELETED_FAILURES = ("mail_email_invalid", "mail_email_missing")


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

    def _send_stage_template(self):
        """On creation the customer's acknowledgement is not rendered in the user's request:
        it is queued (aftersales.ticket.acknowledgement), and the job "send the
        acknowledgements" renders and queues the mails right after the commit."""
        tickets = self.filtered(lambda t: t.partner_id and t.stage_id.mail_template_id)
        self.env["aftersales.ticket.acknowledgement"].sudo().create(
            [
                {
                    "ticket_id": ticket.id,
                    "template_id": ticket.stage_id.mail_template_id.id,
                    "user_id": self.env.uid,
                }
                for ticket in tickets
            ]
        )
        if tickets:
            self._trigger_ticket_mails()

    def _mail_customers(self, template):
        """Mail `template` to the tickets' customers in one mass mailing (logged on each
        chatter, answered into its thread), queued."""
        return self.message_mail_with_source(
            template,
            message_type="comment",
            auto_delete=False,
            auto_delete_keep_log=True,
            email_layout_xmlid="mail.mail_notification_light",
            reply_to_mode="update",
            force_send=False,
        )

    @api.model
    def _cron_send_acknowledgements(self, batch_size=200):
        """The ticket mail job, woken by each transaction that queues a ticket mail: it
        gathers them for a moment (MAIL_GATHER_PARAM), then renders the pending
        acknowledgements and sends them with the other queued mails of tickets, in batches
        committed one by one (a failed batch stays pending). Under load one run sends the
        mails of many requests, not one run each."""
        gather = self._mail_gather_seconds()
        if gather:
            # a wait here rather than a trigger due a second later: Odoo's cron workers are
            # woken by triggers due now, and see a later one at their next poll (60 s)
            time.sleep(gather)
        Cron = self.env["ir.cron"]
        Cron._commit_progress(0)  # what the requests committed meanwhile is seen
        Pending = self.env["aftersales.ticket.acknowledgement"].sudo()
        while True:
            done, mails = self._render_acknowledgements(batch_size)
            remaining = Pending.search_count([])
            mails |= self._queued_mails(QUEUED_MAILS_BATCH)
            more = Cron._commit_progress(done, remaining=remaining)
            # committed: a mail left unsent here (the job stopped) goes with the mail queue.
            # Sent MAIL_SEND_CHUNK at a time, each chunk's states committed together (Odoo's
            # mail queue commits after each mail): a failure resends at most one chunk
            for chunk in split_every(MAIL_SEND_CHUNK, mails.ids, mails.browse):
                self._send_mails(chunk)
                Cron._commit_progress(0)
            if not more or not remaining:
                break

    @api.model
    def _send_mails(self, mails):
        """Send `mails` with Odoo's mail.mail.send(), in a few queries for the whole batch
        rather than a dozen for each mail: what the send reads is fetched for all at once,
        and the mails to delete after sending (auto_delete) are deleted together at the
        end, by Odoo's rule (sent, or failed for a missing or invalid address), instead of
        one by one, each deletion emptying the cache of the others."""
        mails = mails.sudo()
        auto_delete = mails.filtered("auto_delete")
        if auto_delete:
            auto_delete.auto_delete = False
        mails.fetch(SEND_MAIL_FIELDS)
        mails.mail_message_id.fetch(SEND_MESSAGE_FIELDS)
        mails.recipient_ids.fetch(SEND_PARTNER_FIELDS)
        mails.send()
        done = auto_delete.filtered(
            lambda mail: mail.state == "sent" or mail.failure_type in DELETED_FAILURES
        )
        (auto_delete - done).auto_delete = True
        done.unlink()

    @api.model
    def _mail_gather_seconds(self):
        """The seconds the ticket mail job waits (MAIL_GATHER_PARAM, 1 by default, 0 to 10)."""
        value = self.env["ir.config_parameter"].sudo().get_param(MAIL_GATHER_PARAM, "1")
        try:
            seconds = float(value)
        except ValueError:
            return 1.0
        return min(max(seconds, 0.0), 10.0) if math.isfinite(seconds) else 1.0

    @api.model
    def _queued_mails(self, limit):
        """The ticket mails waiting in the mail queue (of the `limit` oldest queued mails):
        searched on the mail queue's own columns, the mail's document read after."""
        Mail = self.env["mail.mail"].sudo()
        queued = Mail.search(self._queued_mail_domain(), limit=limit, order="id")
        return queued.filtered(lambda mail: mail.model == self._name)

    @api.model
    def _queued_mail_domain(self):
        """The mails of the queue due now (the index of outgoing mails serves it)."""
        return [
            ("state", "=", "outgoing"),
            "|",
            ("scheduled_date", "=", False),
            ("scheduled_date", "<=", fields.Datetime.now()),
        ]

    @api.model
    def _send_acknowledgements(self, limit=200):
        """Render and queue the pending acknowledgements (at most `limit`) in this
        transaction; the ticket mail job sends them after it. Returns the number done."""
        done, mails = self._render_acknowledgements(limit)
        if mails:
            self._trigger_ticket_mails()
        return done

    @api.model
    def _render_acknowledgements(self, limit):
        """Render the pending acknowledgements (at most `limit`) as the tickets' creators,
        with the template of the stage each ticket was created in, into queued mails.
        Returns (the number done, the mails)."""
        pending = self.env["aftersales.ticket.acknowledgement"].sudo().search([], limit=limit)
        mails = self.env["mail.mail"].sudo()
        for (user, template), group in pending.grouped(
            lambda a: (a.user_id, a.template_id)
        ).items():
            mails |= group.ticket_id.with_user(user).sudo()._mail_customers(template)
        if pending:
            # a technical queue: no attachment, default, activity nor XML id to clean up
            self.env.cr.execute(
                SQL("DELETE FROM aftersales_ticket_acknowledgement WHERE id IN %s", pending._ids)
            )
            pending.invalidate_recordset()
        return len(pending), mails

    def _trigger_ticket_mails(self):
        """The ticket mail job sends the ticket mails this transaction queued, after it."""
        self._trigger_job("aftersales_service.ir_cron_send_acknowledgements")

    def _trigger_job(self, xmlid):
        """Run the job `xmlid` right after this transaction: one query (ir.cron._trigger()
        costs five), none when it was triggered in this transaction already. A trigger of
        an earlier transaction does not do: the job may be running and remove it when done,
        after reading the data this transaction adds. The cron workers are woken after the
        commit through the connection this process keeps (see cron_wakeup)."""
        cron = self.env["ir.model.data"]._xmlid_to_res_id(xmlid)
        triggered = self.env.cr.precommit.data.setdefault("aftersales_jobs_triggered", set())
        if not cron or cron in triggered:
            return
        if not triggered:
            self.env.cr.postcommit.add(partial(wake_cron_workers, self.env.cr.dbname))
        triggered.add(cron)
        query = """INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, create_date)
                   VALUES (%s, %s, %s, %s)"""
        now = fields.Datetime.now()
        self.env.cr.execute(SQL(query, cron, now, self.env.uid, now))

    def _notify_thread_by_email(self, message, recipients_data, **kwargs):
        # the ticket's notifications are queued, not sent in the user's request: the ticket
        # mail job sends them right after the commit, with those of the other requests
        if "mail_notify_force_send" not in self.env.context:
            kwargs["force_send"] = False
            self._trigger_ticket_mails()
        return super()._notify_thread_by_email(message, recipients_data, **kwargs)

    def _message_auto_subscribe_notify(self, partner_ids, template):
        # the engineer dispatched follows the ticket and gets the dispatch activity (see
        # aftersales.ticket.dispatch): no second notice "You have been assigned"
        if template == "mail.message_user_assigned":
            return
        super()._message_auto_subscribe_notify(partner_ids, template)

    def _track_subtype(self, initial_values):
        self.ensure_one()
        if "stage_id" in initial_values:
            # by its cached id: env.ref() would check that it exists, one query each time
            xmlid = "aftersales_service.mt_ticket_stage"
            return self.env["mail.message.subtype"].browse(
                self.env["ir.model.data"]._xmlid_to_res_id(xmlid)
            )
        return super()._track_subtype(initial_values)
