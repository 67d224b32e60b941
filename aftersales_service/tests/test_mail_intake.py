import base64
import quopri
from urllib.parse import quote

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import html2plaintext

from .common import AftersalesCase

# A valid 1x1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
BOUNDARY = "=_aftersales_test_boundary"


def encoded_word(text, charset, encoding="B"):
    """An RFC 2047 encoded-word, the way Chinese mail clients write headers."""
    raw = text.encode(charset)
    if encoding == "B":
        payload = base64.b64encode(raw).decode()
    else:
        payload = quopri.encodestring(raw, header=True).decode()
    return f"=?{charset.upper()}?{encoding}?{payload}?="


def encode_body(text, charset, transfer):
    raw = text.encode(charset)
    if transfer == "base64":
        return base64.encodebytes(raw).decode()
    return quopri.encodestring(raw).decode()


def raw_mail(
    *,
    subject,
    email_from,
    to,
    body,
    message_id,
    charset="utf-8",
    transfer="base64",
    cc=None,
    in_reply_to=None,
    references=None,
    attachment=None,
):
    """The bytes of an RFC 822 message as a mail server hands it to the gateway.

    `subject` and `email_from` are header values, already encoded by the caller;
    `attachment` is (content type, Content-Disposition filename parameter, bytes).
    """
    headers = [
        f"From: {email_from}",
        f"To: {to}",
        f"Subject: {subject}",
        "Date: Mon, 16 Mar 2026 09:30:00 +0800",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
    ]
    if cc:
        headers.append(f"Cc: {cc}")
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
    if references:
        headers.append(f"References: {references}")
    text_part = [
        f'Content-Type: text/plain; charset="{charset}"',
        f"Content-Transfer-Encoding: {transfer}",
        "",
        encode_body(body, charset, transfer),
    ]
    if not attachment:
        lines = headers + text_part
    else:
        content_type, disposition_filename, content = attachment
        lines = [
            *headers,
            f'Content-Type: multipart/mixed; boundary="{BOUNDARY}"',
            "",
            f"--{BOUNDARY}",
            *text_part,
            f"--{BOUNDARY}",
            f"Content-Type: {content_type}",
            f"Content-Disposition: attachment; {disposition_filename}",
            "Content-Transfer-Encoding: base64",
            "",
            base64.encodebytes(content).decode(),
            f"--{BOUNDARY}--",
            "",
        ]
    return "\r\n".join(lines).encode("ascii")


@tagged("post_install", "-at_install")
class TestMailIntake(AftersalesCase):
    """R-1.2: mails to a team's alias go through the real mail gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {
                "name": "service.example.com",
                "bounce_alias": "bounce",
                "catchall_alias": "catchall",
            }
        )
        cls.company.alias_domain_id = cls.alias_domain
        cls.team_a.write({"alias_name": "shanghai", "alias_domain_id": cls.alias_domain.id})
        cls.alias_a = cls.team_a.alias_id.alias_full_name
        cls.channel_email = cls.env.ref("aftersales_service.channel_email")
        cls.Ticket = cls.env["aftersales.ticket"]
        cls.Partner = cls.env["res.partner"]

    def process(self, raw):
        """Hand the bytes to the gateway as the fetchmail cron does (administrator)."""
        self.env["mail.thread"].sudo().message_process(False, raw)
        self.env.invalidate_all()

    def ticket_of(self, message_id):
        message = self.env["mail.message"].search([("message_id", "=", message_id)])
        self.assertEqual(len(message), 1, "the mail must be stored once")
        self.assertEqual(message.model, "aftersales.ticket")
        return self.Ticket.browse(message.res_id)

    def attachments_of(self, ticket):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "aftersales.ticket"), ("res_id", "=", ticket.id)]
        )

    # ------------------------------------------------------------ new tickets

    def test_alias_creates_ticket(self):
        raw = raw_mail(
            subject="Machine HX-200 does not start",
            email_from="Zhang Wei <zhang.wei@huadong.example.com>",
            to=self.alias_a,
            body="The machine shows alarm E07 after power on.",
            message_id="<new-1@huadong.example.com>",
        )
        tickets_before = self.Ticket.search_count([])
        self.process(raw)
        ticket = self.ticket_of("<new-1@huadong.example.com>")
        self.assertEqual(self.Ticket.search_count([]), tickets_before + 1)
        self.assertEqual(ticket.name, "Machine HX-200 does not start")
        self.assertEqual(
            html2plaintext(ticket.description).strip(),
            "The machine shows alarm E07 after power on.",
        )
        self.assertEqual(ticket.channel_id, self.channel_email)
        self.assertEqual(ticket.team_id, self.team_a)
        self.assertEqual(ticket.company_id, self.company)
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertEqual(ticket.partner_email, "zhang.wei@huadong.example.com")
        self.assertTrue(ticket.number and ticket.number != "/")
        self.assertIn(self.customer_contact, ticket.message_partner_ids)
        first = ticket.message_ids.filtered(lambda m: m.message_id == "<new-1@huadong.example.com>")
        self.assertEqual(first.author_id, self.customer_contact)

    def test_alias_of_other_company(self):
        """Team and company come from the alias, not from the user running the gateway."""
        company_2 = self.env["res.company"].create({"name": "Guangzhou Branch"})
        domain_2 = self.env["mail.alias.domain"].create(
            {"name": "gz.example.com", "bounce_alias": "bounce-gz", "catchall_alias": "catchall-gz"}
        )
        team_gz = self.env["aftersales.team"].create(
            {
                "name": "Guangzhou Desk",
                "company_id": company_2.id,
                "alias_name": "desk",
                "alias_domain_id": domain_2.id,
            }
        )
        defaults = team_gz.alias_id.alias_defaults
        self.assertIn(str(team_gz.id), defaults)
        self.assertIn(str(company_2.id), defaults)
        self.process(
            raw_mail(
                subject="Heater zone 3 too hot",
                email_from="Zhang Wei <zhang.wei@huadong.example.com>",
                to="desk@gz.example.com",
                body="Zone 3 reads 40 degrees above set point.",
                message_id="<gz-1@huadong.example.com>",
            )
        )
        ticket = self.ticket_of("<gz-1@huadong.example.com>")
        self.assertEqual(ticket.team_id, team_gz)
        self.assertEqual(ticket.company_id, company_2)
        self.assertEqual(ticket.number[:2], "AS")

    def test_sender_matched_case_insensitive(self):
        partners_before = self.Partner.search_count([])
        self.process(
            raw_mail(
                subject="Screen flickers",
                email_from='"ZHANG Wei" <Zhang.Wei@HUADONG.Example.com>',
                to=self.alias_a.upper(),
                body="The HMI screen flickers.",
                message_id="<case-1@huadong.example.com>",
            )
        )
        ticket = self.ticket_of("<case-1@huadong.example.com>")
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(self.Partner.search_count([]), partners_before)

    def test_unknown_sender_creates_contact(self):
        sender = encoded_word("刘洋", "utf-8")
        self.process(
            raw_mail(
                subject="Noise from the gearbox",
                email_from=f"{sender} <liu.yang@newcustomer.example.cn>",
                to=self.alias_a,
                body="Loud noise since yesterday.",
                message_id="<unknown-1@newcustomer.example.cn>",
            )
        )
        ticket = self.ticket_of("<unknown-1@newcustomer.example.cn>")
        partner = self.Partner.search(
            [("email_normalized", "=", "liu.yang@newcustomer.example.cn")]
        )
        self.assertEqual(len(partner), 1)
        self.assertEqual(partner.name, "刘洋")
        self.assertEqual(ticket.partner_id, partner)
        self.assertEqual(ticket.partner_name, "刘洋")
        self.assertIn(partner, ticket.message_partner_ids)
        first = ticket.message_ids.filtered(
            lambda m: m.message_id == "<unknown-1@newcustomer.example.cn>"
        )
        self.assertEqual(first.author_id, partner)

    def test_unknown_sender_without_display_name(self):
        self.process(
            raw_mail(
                subject="Spare part request",
                email_from="buyer@plain.example.com",
                to=self.alias_a,
                body="Please quote a heater band.",
                message_id="<plain-1@plain.example.com>",
            )
        )
        ticket = self.ticket_of("<plain-1@plain.example.com>")
        self.assertEqual(ticket.partner_id.email, "buyer@plain.example.com")
        self.assertEqual(ticket.partner_id.name, "buyer@plain.example.com")

    # ------------------------------------------------------------ replies and CC

    def test_reply_lands_on_ticket(self):
        self.process(
            raw_mail(
                subject="Hydraulic leak",
                email_from="Zhang Wei <zhang.wei@huadong.example.com>",
                to=self.alias_a,
                body="Oil under the machine.",
                message_id="<leak-1@huadong.example.com>",
            )
        )
        ticket = self.ticket_of("<leak-1@huadong.example.com>")
        tickets_before = self.Ticket.search_count([])
        # the customer adds information to the first mail (In-Reply-To)
        self.process(
            raw_mail(
                subject="Re: Hydraulic leak",
                email_from="Zhang Wei <zhang.wei@huadong.example.com>",
                to=self.alias_a,
                body="Photo: the leak is at the main cylinder.",
                message_id="<leak-2@huadong.example.com>",
                in_reply_to="<leak-1@huadong.example.com>",
            )
        )
        self.assertEqual(self.ticket_of("<leak-2@huadong.example.com>"), ticket)
        # the engineer answers from Odoo; the customer replies to that mail (References only)
        answer = ticket.with_user(self.engineer_a1).message_post(
            body="Please send the pressure reading.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.process(
            raw_mail(
                subject=f"Re: {ticket.number} Hydraulic leak",
                email_from="zhang.wei@huadong.example.com",
                to=f"catchall@{self.alias_domain.name}",
                body="Pressure is 14 MPa.",
                message_id="<leak-3@huadong.example.com>",
                references=f"<leak-1@huadong.example.com> {answer.message_id}",
            )
        )
        reply = self.env["mail.message"].search(
            [("message_id", "=", "<leak-3@huadong.example.com>")]
        )
        self.assertEqual((reply.model, reply.res_id), ("aftersales.ticket", ticket.id))
        self.assertEqual(reply.author_id, self.customer_contact)
        self.assertIn("14 MPa", html2plaintext(reply.body))
        self.assertEqual(self.Ticket.search_count([]), tickets_before, "a reply is no new ticket")
        self.assertEqual(ticket.name, "Hydraulic leak", "a reply does not rename the ticket")

    def test_reply_to_acknowledgement_lands_on_ticket(self):
        """The customer's answer to the acknowledgement of a batch lands on its own ticket."""
        tickets = self.Ticket.create(
            [
                {
                    "name": f"Batch {index}",
                    "partner_id": self.customer_contact.id,
                    "team_id": self.team_a.id,
                }
                for index in range(2)
            ]
        )
        self.Ticket._send_acknowledgements()  # the job, after the request
        for ticket in tickets:
            ack = ticket.message_ids.mail_ids
            self.assertEqual(len(ack), 1)
            self.assertIn(f"catchall@{self.alias_domain.name}", ack.reply_to)
            self.process(
                raw_mail(
                    subject=f"Re: {ack.subject}",
                    email_from="zhang.wei@huadong.example.com",
                    to=f"catchall@{self.alias_domain.name}",
                    body=f"Thanks, see you about {ticket.name}.",
                    message_id=f"<ack-reply-{ticket.id}@huadong.example.com>",
                    in_reply_to=ack.message_id,
                )
            )
            reply = self.env["mail.message"].search(
                [("message_id", "=", f"<ack-reply-{ticket.id}@huadong.example.com>")]
            )
            self.assertEqual((reply.model, reply.res_id), ("aftersales.ticket", ticket.id))
        self.assertEqual(self.Ticket.search_count([("name", "like", "Batch")]), 2)

    def test_cc_become_followers(self):
        colleague = encoded_word("王芳", "gbk")
        self.process(
            raw_mail(
                subject="Installation of the new line",
                email_from="Zhang Wei <zhang.wei@huadong.example.com>",
                to=self.alias_a,
                cc=(
                    "IT Nanfang <IT@Nanfang.Example.com>, "
                    f"{colleague} <wang.fang@huadong.example.com>"
                ),
                body="Please plan the installation.",
                message_id="<cc-1@huadong.example.com>",
            )
        )
        ticket = self.ticket_of("<cc-1@huadong.example.com>")
        wang = self.Partner.search([("email_normalized", "=", "wang.fang@huadong.example.com")])
        self.assertFalse(wang, "no contact is created for an address in CC")
        followers = ticket.message_partner_ids
        self.assertIn(self.other_customer, followers, "known CC address matched to its contact")
        self.assertEqual(
            self.Partner.search_count([("email_normalized", "=", "it@nanfang.example.com")]), 1
        )
        self.assertIn("it@nanfang.example.com", ticket.email_cc)
        self.assertIn("wang.fang@huadong.example.com", ticket.email_cc)

        # a reply-all adds a new CC; the team alias in copy is no contact
        self.process(
            raw_mail(
                subject="Re: Installation of the new line",
                email_from="Zhang Wei <zhang.wei@huadong.example.com>",
                to="Engineer <engineer@example.com>",
                cc=f"{self.alias_a}, Chen Jie <chen.jie@huadong.example.com>",
                body="Chen Jie will receive the engineer.",
                message_id="<cc-2@huadong.example.com>",
                in_reply_to="<cc-1@huadong.example.com>",
            )
        )
        self.assertEqual(self.ticket_of("<cc-2@huadong.example.com>"), ticket)
        chen = self.Partner.search([("email_normalized", "=", "chen.jie@huadong.example.com")])
        self.assertFalse(chen)
        self.assertIn("chen.jie@huadong.example.com", ticket.email_cc)
        self.assertIn("wang.fang@huadong.example.com", ticket.email_cc, "earlier CC kept")
        self.assertFalse(self.Partner.search([("email_normalized", "=", self.alias_a)]))

    def test_cc_followers_are_bounded(self):
        """50 addresses in CC: no contact created, at most 10 known contacts follow."""
        known = self.Partner.create(
            [
                {"name": f"Known {index}", "email": f"known{index}@huadong.example.com"}
                for index in range(12)
            ]
        )
        addresses = [f"known{index}@huadong.example.com" for index in range(12)]
        addresses += [f"stranger{index}@elsewhere.example.com" for index in range(38)]
        partners_before = self.Partner.search_count([])
        self.process(
            raw_mail(
                subject="Everybody in copy",
                email_from="Zhang Wei <zhang.wei@huadong.example.com>",
                to=self.alias_a,
                cc=", ".join(addresses),
                body="Please read.",
                message_id="<cc-many@huadong.example.com>",
            )
        )
        ticket = self.ticket_of("<cc-many@huadong.example.com>")
        self.assertEqual(self.Partner.search_count([]), partners_before)
        self.assertEqual(len(ticket.message_partner_ids & known), 10)
        self.assertIn("stranger37@elsewhere.example.com", ticket.email_cc)

    # ------------------------------------------------------------ forged senders

    def test_known_sender_is_unverified_until_confirmed(self):
        """Anyone can write From: a customer's address: the ticket is filed for the contact
        but stays out of the customer's portal until an agent confirms the sender."""
        portal = new_test_user(
            self.env, login="as_portal_mail", name="Li Na", groups="base.group_portal"
        )
        portal.partner_id.parent_id = self.customer
        self.process(
            raw_mail(
                subject="Please refund my machine",
                email_from="Zhang Wei <zhang.wei@huadong.example.com>",
                to=self.alias_a,
                body="Refund it to this new bank account.",
                message_id="<forged-1@huadong.example.com>",
            )
        )
        ticket = self.ticket_of("<forged-1@huadong.example.com>")
        self.assertEqual(ticket.partner_id, self.customer_contact)
        self.assertTrue(ticket.sender_unverified)
        PortalTicket = self.Ticket.with_user(portal)
        self.assertFalse(PortalTicket.search([("id", "=", ticket.id)]))
        with self.assertRaises(AccessError):
            ticket.with_user(portal).check_access("read")
        self.assertTrue(self.Ticket.with_user(self.agent).search([("id", "=", ticket.id)]))

        ticket.with_user(self.agent).action_confirm_sender()
        self.assertFalse(ticket.sender_unverified)
        self.assertEqual(PortalTicket.search([("id", "=", ticket.id)]), ticket)
        self.assertIn("confirmed", str(ticket.message_ids[:1].body))

        # a new address is a new contact, with no portal to leak into: nothing to confirm
        self.process(
            raw_mail(
                subject="First request",
                email_from="Liu Yang <liu.yang@newcustomer.example.cn>",
                to=self.alias_a,
                body="Hello.",
                message_id="<new-sender@newcustomer.example.cn>",
            )
        )
        self.assertFalse(self.ticket_of("<new-sender@newcustomer.example.cn>").sender_unverified)

    # ------------------------------------------------------------ Chinese mails

    def assert_chinese_ticket(self, message_id, subject, body, filename, content):
        ticket = self.ticket_of(message_id)
        self.assertEqual(ticket.name, subject)
        self.assertEqual(html2plaintext(ticket.description).strip(), body)
        attachment = self.attachments_of(ticket)
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.name, filename)
        self.assertEqual(attachment.raw, content)
        message = ticket.message_ids.filtered(lambda m: m.message_id == message_id)
        self.assertEqual(message.attachment_ids, attachment)
        return ticket

    def test_chinese_gbk_base64(self):
        subject = "注塑机报警E07，无法启动"
        body = "客户反映：设备开机后显示报警E07，请尽快安排工程师上门维修。"
        filename = "故障照片.png"
        self.process(
            raw_mail(
                subject=encoded_word(subject, "gbk"),
                email_from=f"{encoded_word('李明', 'gbk')} <li.ming@gbk.example.cn>",
                to=self.alias_a,
                body=body,
                charset="gbk",
                transfer="base64",
                message_id="<gbk-1@gbk.example.cn>",
                attachment=(
                    f'image/png; name="{encoded_word(filename, "gbk")}"',
                    f"filename*=gbk''{quote(filename.encode('gbk'))}",
                    PNG,
                ),
            )
        )
        ticket = self.assert_chinese_ticket("<gbk-1@gbk.example.cn>", subject, body, filename, PNG)
        self.assertEqual(ticket.partner_id.name, "李明")

    def test_chinese_gb2312_quoted_printable(self):
        subject = "设备保养预约"
        body = "您好，我公司两台设备需要年度保养，请联系安排时间。"
        filename = "设备清单.txt"
        content = "序列号：HX200-0001\n序列号：HX200-0002\n".encode("gb2312")
        self.process(
            raw_mail(
                subject=encoded_word(subject, "gb2312", encoding="Q"),
                email_from=f"{encoded_word('陈静', 'gb2312')} <chen.jing@gb2312.example.cn>",
                to=self.alias_a,
                body=body,
                charset="gb2312",
                transfer="quoted-printable",
                message_id="<gb2312-1@gb2312.example.cn>",
                attachment=(
                    "text/plain; charset=gb2312",
                    f'filename="{encoded_word(filename, "gb2312")}"',
                    content,
                ),
            )
        )
        ticket = self.assert_chinese_ticket(
            "<gb2312-1@gb2312.example.cn>", subject, body, filename, content
        )
        self.assertEqual(ticket.partner_id.name, "陈静")

    def test_chinese_utf8(self):
        subject = "培训申请：新员工操作培训"
        body = "我们有五名新员工，需要操作和安全培训。"
        filename = "培训名单.txt"
        content = "张三\n李四\n王五\n".encode()
        self.process(
            raw_mail(
                subject=encoded_word(subject, "utf-8"),
                email_from=f"{encoded_word('周磊', 'utf-8')} <zhou.lei@utf8.example.cn>",
                to=self.alias_a,
                body=body,
                charset="utf-8",
                transfer="base64",
                message_id="<utf8-1@utf8.example.cn>",
                attachment=(
                    "text/plain; charset=utf-8",
                    f"filename*=utf-8''{quote(filename)}",
                    content,
                ),
            )
        )
        ticket = self.assert_chinese_ticket(
            "<utf8-1@utf8.example.cn>", subject, body, filename, content
        )
        self.assertEqual(ticket.partner_id.name, "周磊")

    # ------------------------------------------------------------ authenticated senders
    # A known customer's mail that the company's own mail server authenticated needs no
    # agent's confirmation; any other verdict, or a verdict of another server, still does.

    def forged_or_not(self, index, results):
        headers = "".join(f"Authentication-Results: {line}\r\n" for line in results)
        raw = raw_mail(
            subject=f"Alarm E{index:02d}",
            email_from="Zhang Wei <zhang.wei@huadong.example.com>",
            to=self.alias_a,
            body="The machine stops.",
            message_id=f"<auth-{index}@huadong.example.com>",
        )
        self.process(headers.encode() + raw)
        return self.ticket_of(f"<auth-{index}@huadong.example.com>")

    def test_trusted_server_verdicts(self):
        self.env.company.aftersales_mail_authserv_id = "mx.ourcompany.example"
        cases = [
            # (headers, the sender is trusted)
            (["mx.ourcompany.example; dmarc=pass header.from=huadong.example.com"], True),
            (["MX.OurCompany.example 1; dkim=pass header.d=huadong.example.com"], True),
            (["mx.ourcompany.example; dkim=pass header.d=example.com; dmarc=none"], True),
            (["mx.ourcompany.example; spf=pass smtp.mailfrom=bounce@huadong.example.com"], True),
            (["mx.ourcompany.example; dmarc=fail header.from=huadong.example.com"], False),
            (["mx.ourcompany.example; dkim=pass header.d=attacker.example"], False),
            (["mx.ourcompany.example; spf=pass smtp.mailfrom=x@attacker.example"], False),
            (["mx.attacker.example; dmarc=pass header.from=huadong.example.com"], False),
            (["mx.ourcompany.example.attacker; dmarc=pass"], False),
            (["mx.ourcompany.example; dkim=pass header.d=mple.com"], False),
            (["mx.ourcompany.example; none"], False),
            ([], False),
        ]
        for index, (headers, trusted) in enumerate(cases):
            with self.subTest(headers=headers):
                ticket = self.forged_or_not(index, headers)
                self.assertEqual(ticket.partner_id, self.customer_contact)
                self.assertEqual(ticket.sender_unverified, not trusted)
                if trusted:
                    body = str(ticket.message_ids.mapped("body"))
                    self.assertIn("authenticated by mx.ourcompany.example", body)

    def test_without_a_trusted_server_every_known_sender_is_confirmed(self):
        self.env.company.aftersales_mail_authserv_id = False
        ticket = self.forged_or_not(
            99, ["mx.ourcompany.example; dmarc=pass header.from=huadong.example.com"]
        )
        self.assertTrue(ticket.sender_unverified)
