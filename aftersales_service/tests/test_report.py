import shutil
import subprocess
import tempfile
import unittest
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged
from odoo.tools import format_datetime

from .common import AftersalesCase

REPORT = "aftersales_service.action_report_service_ticket"
# a 1x1 PNG: the customer's signature
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestServiceReport(AftersalesCase, HttpCase):
    """An HttpCase: wkhtmltopdf fetches the report's assets from the test server, which
    must then answer within the test's transaction (a fresh database builds them there)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.customer.write({"name": "华东塑料有限公司", "lang": "zh_CN"})
        cls.customer_contact.write({"name": "张伟", "phone": "+86 21 5555 0101", "lang": "zh_CN"})
        with freeze_time("2026-01-14 08:00"):  # the requested date may not be in the past
            cls.ticket = cls.create_ticket(
                name="注塑机报警 E07",
                type_id=cls.type_repair.id,
                fault_category_id=cls.fault.id,
                lot_id=cls.lot.id,
                user_id=cls.engineer_a1.id,
                requested_date=datetime(2026, 1, 15, 1, 0),
                arrival_date=datetime(2026, 1, 15, 2, 0),
                work_start_date=datetime(2026, 1, 15, 2, 15),
                work_end_date=datetime(2026, 1, 15, 4, 30),
                work_done="<p>更换主轴轴承，试机正常。</p>",
                parts_summary="轴承 6205-2RS × 2",
                resolution="<p>Replaced the worn spindle bearing.</p>",
                root_cause="润滑不足",
            )
        cls.ticket._sign_service_report("张伟", PIXEL, author=cls.customer_contact)

    def test_action_prints_the_ticket(self):
        action = self.ticket.with_user(self.agent).action_print_report()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "aftersales_service.report_service_ticket")
        self.assertEqual(action["context"]["active_ids"], self.ticket.ids)

    def test_html_contains_the_report(self):
        html, report_format = (
            self.env["ir.actions.report"]
            .with_context(tz="Asia/Shanghai")
            ._render_qweb_html(REPORT, self.ticket.ids)
        )
        self.assertEqual(report_format, "html")
        html = html.decode()
        expected = [
            self.ticket.number,
            "注塑机报警 E07",
            "华东塑料有限公司",
            "张伟",
            "+86 21 5555 0101",
            self.product.name,
            "HX200-0001",
            self.type_repair.name,
            self.fault.name,
            "Alice Zhao",
            "更换主轴轴承，试机正常。",
            "轴承 6205-2RS × 2",
            "Replaced the worn spindle bearing.",
            f'alt="Signature" src="data:image/png;base64,{PIXEL}"',
        ]
        for text in expected:
            self.assertIn(text, html)
        # the report goes to the customer: the staff's root cause is not on it (issue #12)
        self.assertNotIn("润滑不足", html)
        # the dates of the visit, in the customer's language and the printing user's timezone
        env = self.env(context=dict(self.env.context, lang="zh_CN", tz="Asia/Shanghai"))
        for field_name in ("requested_date", "arrival_date", "work_start_date", "work_end_date"):
            printed = format_datetime(env, self.ticket[field_name], tz="Asia/Shanghai")
            self.assertIn(printed, html, field_name)
        self.assertIn('data-oe-lang="zh_CN"', html, "printed in the customer's language")
        self.assertIn(self.company.name, html, "the company header is printed")

    def test_unsigned_report_has_a_signature_line(self):
        ticket = self.create_ticket(type_id=self.type_repair.id, work_done="<p>Checked</p>")
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, ticket.ids)[0].decode()
        self.assertNotIn('alt="Signature"', html)
        self.assertIn(ticket.number, html)

    def test_pdf_with_chinese_text(self):
        state = self.env["ir.actions.report"].get_wkhtmltopdf_state()
        if state not in ("ok", "upgrade"):
            raise unittest.SkipTest(f"wkhtmltopdf cannot print here (state: {state})")
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.ticket.ids)
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        pdftotext = shutil.which("pdftotext")
        if not pdftotext:
            raise unittest.SkipTest("pdftotext (poppler-utils) is not installed")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(pdf)
            pdf_file.flush()
            text = subprocess.run(
                [pdftotext, "-enc", "UTF-8", pdf_file.name, "-"],
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout.decode()
        # the Chinese text is what this test is about (Noto CJK); the Latin text of the
        # page (the number...) is checked on the HTML, as its web font is not always
        # extractable from the PDF on a fresh database
        self.assertIn("华东塑料有限公司", text)
        self.assertIn("更换主轴轴承", text)
