import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

PHOTO_KINDS = [("before", "Before"), ("after", "After")]
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
PHOTO_MAX_BYTES = 15 * 1024 * 1024  # a phone camera photo, with margin


class AftersalesTicketPhoto(models.Model):
    """现场照片: a photo taken on site before or after the work, printed on the report."""

    _name = "aftersales.ticket.photo"
    _description = "After-Sales Site Photo"
    _order = "ticket_id, kind desc, taken_on, id"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    kind = fields.Selection(PHOTO_KINDS, required=True, default="before")
    # large photos are scaled down by Odoo's image tools on write (1920 px at most)
    image = fields.Image(required=True, max_width=1920, max_height=1920, attachment=True)
    image_512 = fields.Image(
        string="Thumbnail", related="image", max_width=512, max_height=512, store=True
    )
    note = fields.Char(string="Caption")
    taken_on = fields.Datetime(default=fields.Datetime.now, required=True)
    user_id = fields.Many2one(
        "res.users", string="Taken by", default=lambda self: self.env.user, required=True
    )

    @api.model
    def _check_upload(self, data):
        """`data` (base64) is a photo of an accepted type and size; else a clear error."""
        try:
            raw = base64.b64decode(data or b"", validate=True)
        except (binascii.Error, ValueError, TypeError):
            raw = b""
        if not raw:
            raise UserError(self.env._("The photo is empty or damaged: take it again."))
        if len(raw) > PHOTO_MAX_BYTES:
            raise UserError(
                self.env._(
                    "The photo is %(size)s MB, more than %(max)s MB: take it again at a lower "
                    "resolution.",
                    size=round(len(raw) / 1024 / 1024, 1),
                    max=PHOTO_MAX_BYTES // 1024 // 1024,
                )
            )
        if guess_mimetype(raw) not in PHOTO_TYPES:
            raise UserError(
                self.env._("Only JPEG, PNG and WebP photos can be attached to a ticket.")
            )
        return raw

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("image"):
                self._check_upload(vals["image"])
        return super().create(vals_list)
