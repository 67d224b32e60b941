import base64

from odoo import api, fields, models
from odoo.tools import plaintext2html


class AftersalesTicket(models.Model):
    """Faults reported by anyone from the nameplate QR code of a serial."""

    _inherit = "aftersales.ticket"

    nameplate_report_ids = fields.One2many(
        "aftersales.nameplate.report", "ticket_id", string="Nameplate Reports", readonly=True
    )

    @api.model
    def _aftersales_create_from_nameplate(self, lot, values, photos):
        """A ticket for the fault reported on the public page of `lot` (sudo).

        `values` are vetted by the controller: reporter name and phone, description.
        `photos` are [(file name, mime type, bytes)], already checked.
        The owner is the customer of the serial's warranty; the reporter is the contact.
        """
        Warranty = self.env["aftersales.warranty"].sudo()
        warranty = Warranty.search(
            [("lot_id", "=", lot.id), ("state", "!=", "void")],
            order="start_date desc, id desc",
            limit=1,
        )
        channel = self.env["aftersales.channel"].sudo()._get_by_code("qr")
        subject = self.env._("Fault reported from the nameplate of %(serial)s", serial=lot.name)
        ticket = (
            self.sudo()
            .with_company(lot.company_id or self.env.company)
            .create(
                {
                    "name": subject,
                    "description": plaintext2html(values["description"]),
                    "partner_id": warranty.partner_id.id,
                    "partner_name": values["name"],
                    "partner_phone": values["phone"],
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                    "channel_id": channel.id,
                    "company_id": (lot.company_id or warranty.company_id or self.env.company).id,
                }
            )
        )
        attachments = self.env["ir.attachment"].sudo()
        if photos:
            attachments = attachments.create(
                [
                    {
                        "name": name,
                        "datas": base64.b64encode(content),
                        "mimetype": mimetype,
                        "res_model": self._name,
                        "res_id": ticket.id,
                    }
                    for name, mimetype, content in photos
                ]
            )
        ticket.message_post(
            body=self.env._(
                "Reported from the nameplate QR code by %(name)s (%(phone)s).",
                name=values["name"],
                phone=values["phone"],
            ),
            attachment_ids=attachments.ids,
            subtype_xmlid="mail.mt_note",
        )
        return ticket
