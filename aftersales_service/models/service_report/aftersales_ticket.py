from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext


class AftersalesTicket(models.Model):
    """售后服务报告单: the work done on a ticket, printed as a PDF and signed by the customer;
    a ticket type may require both before the ticket closes."""

    _inherit = "aftersales.ticket"

    report_required = fields.Boolean(related="type_id.report_required")
    signature_required = fields.Boolean(related="type_id.signature_required")
    work_done = fields.Html(copy=False)
    signature = fields.Image(
        string="Customer Signature", max_width=1024, max_height=1024, copy=False, attachment=True
    )
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False)

    @api.constrains("work_done", "signature")
    def _check_service_report(self):
        self._check_close_requirements()

    def _missing_for_closing(self):
        missing = super()._missing_for_closing()
        if self.report_required and not html2plaintext(self.work_done or "").strip():
            missing.append(self.env._("the service report (work done)"))
        if self.signature_required and not self.signature:
            missing.append(self.env._("the customer's signature on the service report"))
        return missing

    def action_print_report(self):
        return self.env.ref("aftersales_service.action_report_service_ticket").report_action(self)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Service Report %(number)s", number=self.number)

    def _has_to_be_signed(self):
        """The customer may sign: the type asks for it, the report is written, not signed yet."""
        self.ensure_one()
        return bool(
            self.signature_required
            and not self.signature
            and not self.is_closed
            and html2plaintext(self.work_done or "").strip()
        )

    def _sign_service_report(self, name, signature, author=None):
        """Store the customer's signature of the service report and log it in the chatter."""
        self.ensure_one()
        name = (name or "").strip()
        if not self._has_to_be_signed():
            raise UserError(
                self.env._(
                    "The service report of %(ticket)s cannot be signed: it is already signed, "
                    "not written yet, or its type needs no signature.",
                    ticket=self.display_name,
                )
            )
        if not name or not signature:
            raise UserError(self.env._("Give your name and draw your signature to sign."))
        self.write({"signature": signature, "signed_by": name, "signed_on": fields.Datetime.now()})
        self.message_post(
            body=self.env._("Service report signed by %(name)s.", name=name),
            author_id=(author or self.env.user.partner_id).id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True
