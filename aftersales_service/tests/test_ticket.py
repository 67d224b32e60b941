from datetime import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL, mute_logger

from ..models.progress.aftersales_ticket import MAIL_GATHER_PARAM
from ..models.progress.cron_wakeup import wake_cron_workers
from .common import AftersalesCase
from .smtp_sink import SmtpSink

PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestTicket(AftersalesCase):
    def test_number_per_company(self):
        first = self.create_ticket()
        second = self.create_ticket()
        year = datetime.now().year
        self.assertRegex(first.number, rf"^AS{year}/\d{{5}}$")
        self.assertEqual(int(second.number[-5:]), int(first.number[-5:]) + 1)
        company_2 = self.env["res.company"].create({"name": "Shenzhen Branch"})
        team_2 = self.env["aftersales.team"].create(
            {"name": "Shenzhen Team", "company_id": company_2.id}
        )
        other = self.create_ticket(company_id=company_2.id, team_id=team_2.id)
        self.assertEqual(other.number, f"AS{year}/00001", "each company counts on its own")

    def test_defaults_from_type_and_team(self):
        self.type_repair.team_id = self.team_b
        ticket = self.env["aftersales.ticket"].create(
            {
                "name": "Noise",
                "partner_id": self.customer_contact.id,
                "type_id": self.type_repair.id,
            }
        )
        self.assertEqual(ticket.team_id, self.team_b)
        self.assertEqual(ticket.priority, "2", "the repair type defaults to high priority")
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.partner_email, "zhang.wei@huadong.example.com")
        self.assertEqual(ticket.customer_tier_id, self.tier_key, "the tier comes from the company")
        self.assertIn(self.customer_contact, ticket.message_partner_ids)

    def test_team_stages(self):
        self.team_b.stage_ids = self.stage_new | self.stage_in_progress | self.stage_closed
        ticket = self.create_ticket(team_id=self.team_b.id)
        self.assertEqual(ticket.stage_id, self.stage_new)
        columns = (
            self.env["aftersales.ticket"]
            .with_context(default_team_id=self.team_b.id)
            ._read_group_stage_ids(self.env["aftersales.ticket.stage"], [])
        )
        self.assertEqual(columns, self.team_b.stage_ids, "the kanban shows the team's stages")

    def test_stages_kept_by_the_worker_follow_changes(self):
        """Each worker keeps the stages of the teams: a change of a stage or of a team's
        stages is seen by the next ticket."""
        self.assertEqual(self.create_ticket(team_id=self.team_b.id).stage_id, self.stage_new)
        self.stage_in_progress.sequence = -1  # a shared stage moves first
        self.assertEqual(
            self.create_ticket(team_id=self.team_b.id).stage_id, self.stage_in_progress
        )
        self.team_b.stage_ids = self.stage_dispatched | self.stage_closed
        self.assertEqual(self.create_ticket(team_id=self.team_b.id).stage_id, self.stage_dispatched)
        self.stage_dispatched.active = False
        self.assertEqual(self.create_ticket(team_id=self.team_b.id).stage_id, self.stage_closed)

    def test_lot_fills_product_and_must_match(self):
        ticket = self.create_ticket(lot_id=self.lot.id)
        self.assertEqual(ticket.product_id, self.product)
        other_product = self.env["product.product"].create({"name": "Chiller", "type": "consu"})
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            ticket.product_id = other_product

    def test_close_requires_resolution(self):
        ticket = self.create_ticket()
        with self.assertRaisesRegex(ValidationError, "Missing: a resolution"):
            ticket.stage_id = self.stage_closed
        self.close(ticket)
        self.assertTrue(ticket.is_closed)
        self.assertTrue(ticket.closed_date)
        self.assertTrue(ticket.first_time_fix)

    def test_close_requires_signed_report_when_type_says_so(self):
        ticket = self.create_ticket(type_id=self.type_repair.id)
        ticket.resolution = "<p>Fixed</p>"
        with self.assertRaises(ValidationError) as caught:
            ticket.stage_id = self.stage_closed
        message = str(caught.exception)
        self.assertIn("the service report (work done)", message)
        self.assertIn("the customer's signature", message)
        self.assertNotIn("a resolution", message)
        ticket.work_done = "<p>Replaced the hydraulic pump seal.</p>"
        with self.assertRaisesRegex(ValidationError, "signature"):
            ticket.stage_id = self.stage_closed
        ticket.signature = PIXEL
        ticket.stage_id = self.stage_closed
        self.assertTrue(ticket.is_closed)

    def test_reopen_clears_closed_date(self):
        ticket = self.close(self.create_ticket())
        ticket.stage_id = self.stage_in_progress
        self.assertFalse(ticket.closed_date)
        self.assertFalse(ticket.first_time_fix)

    def test_closed_ticket_cannot_be_deleted(self):
        ticket = self.close(self.create_ticket())
        with self.assertRaisesRegex(UserError, "archive them instead"):
            ticket.unlink()

    def test_delay_needs_reason_and_informs_customer(self):
        ticket = self.create_ticket(expected_date="2026-12-01 10:00:00")
        with self.assertRaisesRegex(UserError, "give the reason of the delay"):
            ticket.expected_date = "2026-12-05 10:00:00"
        ticket.write(
            {"expected_date": "2026-12-05 10:00:00", "delay_reason": "Spare pump on its way"}
        )
        message = ticket.message_ids[0]
        self.assertIn("Spare pump on its way", message.body)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.customer_contact, message.partner_ids)
        # an earlier date needs no reason
        ticket.write({"expected_date": "2026-12-03 10:00:00", "delay_reason": False})
        self.assertEqual(ticket.expected_date, datetime(2026, 12, 3, 10, 0))

    def test_stage_change_told_to_customers_not_to_staff(self):
        """R-3.5: the customer (and a known contact in CC) is told of each stage; the engineer
        and the other staff following the ticket see it in the chatter without a mail."""
        ticket = self.create_ticket(user_id=self.engineer_a1.id)
        ticket._subscribe_cc(self.customer_contact.email)
        self.flush_tracking()
        ticket.stage_id = self.stage_in_progress
        self.flush_tracking()
        message = ticket.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("aftersales_service.mt_ticket_stage")
        )[:1]
        self.assertTrue(message, "the stage change is logged")
        notified = message.notification_ids.res_partner_id
        self.assertIn(self.customer_contact, notified)
        self.assertIn(self.engineer_a1.partner_id, ticket.message_partner_ids, "follows")
        self.assertNotIn(self.engineer_a1.partner_id, notified, "no mail for each stage")

    def test_stage_template_mails_customer(self):
        ticket = self.create_ticket()
        ticket.write({"resolution": "<p>Adjusted the clamp</p>"})
        self.flush_tracking()  # the stage changes in a later transaction than the creation
        ticket.stage_id = self.stage_resolved
        self.flush_tracking()
        sent = ticket.message_ids.filtered(
            lambda m: (
                m.subject and "resolved" in m.subject and self.customer_contact in m.partner_ids
            )
        )
        self.assertTrue(
            sent, [(m.subject, m.subtype_id.name, m.partner_ids.ids) for m in ticket.message_ids]
        )

    def test_acknowledgement_on_creation(self):
        tickets = self.env["aftersales.ticket"].create(
            [
                {"name": "Noise", "partner_id": self.customer_contact.id},
                {"name": "Leak", "partner_id": self.customer_contact.id},
                {"name": "No customer yet"},
            ]
        )
        self.assertFalse(tickets.message_ids.mail_ids, "not rendered in the user's request")
        Pending = self.env["aftersales.ticket.acknowledgement"]
        pending = Pending.search([("ticket_id", "in", tickets.ids)])
        self.assertEqual(pending.ticket_id, tickets[:2])
        self.assertEqual(pending.template_id, self.stage_new.mail_template_id)
        with self.assertRaises(AccessError, msg="a technical queue: administrators only"):
            Pending.with_user(self.agent).search([])
        self.assertEqual(self.env["aftersales.ticket"]._send_acknowledgements(), 2)
        self.assertFalse(Pending.search([("ticket_id", "in", tickets.ids)]), "done once")
        mails = self.env["mail.mail"].search(
            [("model", "=", "aftersales.ticket"), ("res_id", "in", tickets.ids)]
        )
        self.assertEqual(len(mails), 2, "one acknowledgement a ticket with a customer")
        for ticket in tickets[:2]:
            mail = mails.filtered(lambda m, ticket=ticket: m.res_id == ticket.id)
            self.assertEqual(mail.recipient_ids, self.customer_contact)
            self.assertIn(f"{ticket.number}: we have received your request", mail.subject)
            self.assertIn(ticket.name, mail.body_html)
            self.assertIn(ticket.number.replace("/", "-"), mail.body_html, "the header names it")
            self.assertIn(f"access_token={ticket.access_token}", mail.body_html)
            self.assertIn(mail.mail_message_id, ticket.message_ids, "logged on the ticket")
            self.assertEqual(mail.state, "outgoing", "queued for the mail queue job")
            self.assertEqual(mail.author_id, self.env.user.partner_id, "from the ticket's creator")
        self.assertIn(self.customer_contact, tickets[0].message_partner_ids)

    def test_ticket_mail_job_sends_what_the_requests_queued(self):
        """The ticket mail job renders the acknowledgements and sends them with the ticket
        mails the requests queued (a reply to the customer), after committing each batch:
        no run of the mail queue job for them."""
        ticket = self.create_ticket()
        ticket.message_post(
            body="We come tomorrow", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        job = self.env.ref("aftersales_service.ir_cron_send_acknowledgements")
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        triggered = self.env.cr.precommit.data["aftersales_jobs_triggered"]
        self.assertEqual(triggered, {job.id}, "the requests wake the ticket mail job only")
        reply = ticket.message_ids[0].mail_ids
        self.assertEqual(reply.state, "outgoing", "queued by the request")
        MailMail = type(self.env["mail.mail"])
        sent, send = [], MailMail.send

        def record_send(mails, *args, **kwargs):  # Odoo's own sending, noted
            sent.extend(mails.ids)
            return send(mails, *args, **kwargs)

        self.env["ir.config_parameter"].sudo().set_param(MAIL_GATHER_PARAM, "0")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search([("cron_id", "=", queue.id)])
        # the job commits each batch: here the test's transaction stays open
        with (
            patch.object(self.env.cr, "commit", self.env.flush_all),
            patch.object(MailMail, "send", record_send),
        ):
            self.env["aftersales.ticket"]._cron_send_acknowledgements(batch_size=1)
        acknowledgement = (
            self.env["mail.mail"].search(
                [("model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
            )
            - reply
        )
        self.assertEqual(len(acknowledgement), 1)
        self.assertIn(acknowledgement.id, sent, "rendered and sent by the job")
        self.assertIn(reply.id, sent, "the reply too")
        self.assertFalse(Trigger.search([("cron_id", "=", queue.id)]) - before)
        self.assertFalse(self.env["aftersales.ticket.acknowledgement"].search([]), "all done")

    def test_ticket_mails_sent_together(self):
        """The job sends through Odoo's mail.mail.send() to a real mail server (one of the
        test): what the send reads is fetched for the whole batch, and the mails sent are
        deleted together after it by Odoo's rule (auto_delete, sent): a query count that
        does not grow with a dozen queries a mail. A refused mail is kept, to be retried."""
        sink = SmtpSink()
        self.addCleanup(sink.close)
        self.env["ir.mail_server"].create(
            {"name": "Test sink", "smtp_host": "127.0.0.1", "smtp_port": sink.port}
        )
        refused = self.env["res.partner"].create(
            {"name": "Left the company", "email": "refused@example.com"}
        )
        Ticket = self.env["aftersales.ticket"]
        warm_up = self.create_ticket(name="Sent first, to warm the caches")
        tickets = Ticket.browse(
            [self.create_ticket(name=f"Alarm E0{i}").id for i in range(4)]
            + [self.create_ticket(partner_id=refused.id).id]
        )
        for ticket in warm_up | tickets:
            ticket.message_post(
                body="We come tomorrow", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        Ticket._send_acknowledgements()
        mails = self.env["mail.mail"].search(
            [("model", "=", "aftersales.ticket"), ("res_id", "in", tickets.ids)]
        )
        replies = mails.filtered("auto_delete")
        self.assertEqual(len(replies), 5, "the replies: notifications deleted once sent")
        self.assertEqual(len(mails - replies), 5, "the acknowledgements: kept in the chatter")
        refused_mails = mails.filtered(lambda mail: mail.res_id == tickets[-1].id)
        refused_reply = refused_mails & replies
        notifications = self.env["mail.notification"].search([("mail_mail_id", "in", replies.ids)])
        MailServer = type(self.env["ir.mail_server"])
        # Odoo turns sending off in tests: on here, to the test's own mail server
        with (
            patch.object(MailServer, "_disable_send", lambda *args: False),
            mute_logger("odoo.addons.mail.models.mail_mail"),  # the refused mails
        ):
            Ticket._send_mails(
                self.env["mail.mail"].search(
                    [("model", "=", "aftersales.ticket"), ("res_id", "=", warm_up.id)]
                )
            )
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=self.pin(core=66, sla=67)):
                Ticket._send_mails(mails)
                self.env.flush_all()
        self.assertEqual(sink.delivered, 2 + 8, "the warm-up's 2, each mail but the refused 2")
        self.assertEqual(set(sink.recipients), {self.customer_contact.email})
        self.assertFalse((replies - refused_reply).exists(), "sent: deleted")
        self.assertEqual(set((mails - replies - refused_mails).mapped("state")), {"sent"})
        self.assertEqual(set(refused_mails.mapped("state")), {"exception"}, "kept for a retry")
        self.assertTrue(refused_reply.auto_delete, "still deleted once sent")
        self.assertEqual(
            set(
                notifications.filtered(lambda n: n.res_partner_id != refused).mapped(
                    "notification_status"
                )
            ),
            {"sent"},
        )
        self.assertEqual(
            notifications.filtered(lambda n: n.res_partner_id == refused).notification_status,
            "exception",
        )

    def test_mail_queue_search_is_indexed(self):
        """The job searches the mail queue after each gathering of ticket events: among
        thousands of mails kept after sending or failed, PostgreSQL reads the outgoing ones
        through the addon's index of outgoing mails, not the whole table."""
        message = self.create_ticket().message_ids[:1]
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO mail_mail (mail_message_id, state, body_html) "
            "SELECT %s, (ARRAY['sent', 'exception', 'cancel'])[mod(n, 3) + 1], repeat('x', 500) "
            "FROM generate_series(1, 6000) AS n",
            [message.id],
        )
        self.env.cr.execute("ANALYZE mail_mail")
        Ticket = self.env["aftersales.ticket"]
        query = self.env["mail.mail"]._search(Ticket._queued_mail_domain(), limit=1000, order="id")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.assertIn("mail_mail_aftersales_outgoing_idx", plan)
        self.assertNotIn("Seq Scan", plan)

    def test_ticket_mail_job_gathers_a_moment(self):
        Ticket = self.env["aftersales.ticket"]
        self.assertEqual(Ticket._mail_gather_seconds(), 1.0, "one second by default")
        Param = self.env["ir.config_parameter"].sudo()
        for value, seconds in (
            ("0", 0.0),
            ("2.5", 2.5),
            ("600", 10.0),
            ("-3", 0.0),
            ("soon", 1.0),
            ("nan", 1.0),
        ):
            Param.set_param(MAIL_GATHER_PARAM, value)
            self.assertEqual(Ticket._mail_gather_seconds(), seconds, value)

    def test_acknowledgement_job_woken_by_each_transaction(self):
        """A trigger left by an earlier transaction does not stand for this one: the job may
        be running already and remove it when done, without the tickets created since."""
        cron = self.env.ref("aftersales_service.ir_cron_send_acknowledgements")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.create({"cron_id": cron.id, "call_at": "2020-01-01 00:00:00"})
        self.env.cr.precommit.data.pop("aftersales_jobs_triggered", None)  # a new transaction
        self.env.cr.postcommit.clear()
        before = Trigger.search([("cron_id", "=", cron.id)])
        self.create_ticket()
        self.create_ticket(name="Second ticket of the same transaction")
        self.env.flush_all()
        added = Trigger.search([("cron_id", "=", cron.id)]) - before
        self.assertEqual(len(added), 1, "one trigger a transaction")
        callbacks = list(self.env.cr.postcommit._funcs)
        wakeups = [f for f in callbacks if getattr(f, "func", None) is wake_cron_workers]
        self.assertEqual(len(wakeups), 1, "the cron workers are woken, once")
        self.assertEqual(wakeups[0].args, (self.env.cr.dbname,))
        notifydb = type(self.env["ir.cron"])._notifydb
        self.assertNotIn(
            notifydb,
            [getattr(f, "__func__", None) for f in callbacks],
            "through the connection kept (cron_wakeup), not a new one (Odoo's _notifydb)",
        )

    def test_form_creation(self):
        form = Form(self.env["aftersales.ticket"].with_user(self.agent))
        form.name = "Screen flickers"
        form.partner_id = self.customer_contact
        form.lot_id = self.lot
        ticket = form.save()
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(ticket.team_id, self.team_a, "the agent's team is the default")

    def test_smart_buttons(self):
        ticket = self.create_ticket(lot_id=self.lot.id)
        self.assertEqual(self.customer.aftersales_ticket_count, 1)
        self.assertEqual(self.customer_contact.aftersales_ticket_count, 1)
        self.assertEqual(self.product.aftersales_ticket_count, 1)
        self.assertEqual(self.product.product_tmpl_id.aftersales_ticket_count, 1)
        self.assertEqual(self.lot.aftersales_ticket_count, 1)
        action = self.lot.action_view_aftersales_tickets()
        self.assertEqual(self.env["aftersales.ticket"].search(action["domain"]), ticket)

    def test_query_count_create(self):
        self.create_ticket()  # warm the caches
        self.flush_tracking()
        self.env.invalidate_all()
        # with a serial: its earlier repairs are looked up (三包 repair guarantee, repeat)
        with self.assertQueryCount(__system__=self.pin(core=27, sla=27)):
            self.create_ticket(lot_id=self.lot.id, fault_category_id=self.fault.id)
            self.flush_tracking()

    def test_query_count_create_batch(self):
        """A batch costs the queries of one ticket: numbers, followers and mails in bulk."""
        self.create_ticket()  # warm the caches
        self.flush_tracking()
        self.env.invalidate_all()
        vals = {"partner_id": self.customer_contact.id, "team_id": self.team_a.id}
        counts = {}
        for size in (1, 20):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            tickets = self.env["aftersales.ticket"].create(
                [dict(vals, name=f"Batch {index}") for index in range(size)]
            )
            self.flush_tracking()
            counts[size] = self.env.cr.sql_log_count - before
        self.assertLessEqual(counts[20], counts[1], "no query per ticket")
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=self.pin(core=20, sla=20)):
            tickets = self.env["aftersales.ticket"].create(
                [dict(vals, name=f"Batch {index}") for index in range(20)]
            )
            self.flush_tracking()
        self.assertEqual(len(set(tickets.mapped("number"))), 20)
        self.env["aftersales.ticket"]._send_acknowledgements(limit=100)  # the job
        self.assertEqual(len(tickets.message_ids.mail_ids), 20, "each customer is acknowledged")

    def test_query_count_stage_change(self):
        ticket = self.create_ticket()
        for stage in (self.stage_dispatched, self.stage_in_progress):  # warm the caches
            ticket.stage_id = stage
            self.flush_tracking()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=self.pin(core=29, sla=30)):
            ticket.stage_id = self.stage_dispatched
            self.flush_tracking()  # includes the tracking message and the customer's mail
