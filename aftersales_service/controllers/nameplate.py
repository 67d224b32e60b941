"""/aftersales/s/<token>: the public page of a serial, opened from its nameplate QR code.

No login: whoever scans the code (an operator on the factory floor, in WeChat) sees the
warranty of the machine and reports a fault. Nothing personal of the owner is shown."""

from odoo import fields, http
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

NAME_MAX_LENGTH = 100
PHONE_MAX_LENGTH = 40
DESCRIPTION_MAX_LENGTH = 5000
PHOTOS_MAX = 3
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
PAGE_LANGS = ("zh_CN", "en_US")


class AftersalesNameplate(http.Controller):
    def _nameplate_lot(self, token):
        lot = request.env["stock.lot"]._aftersales_from_qr_token(token)
        if not lot:
            raise request.not_found()
        return lot

    def _nameplate_lang(self, lang=None):
        """The visitor's language: asked in the address, else the browser's, among the
        installed ones; Chinese and English at least."""
        installed = dict(request.env["res.lang"].get_installed())
        for candidate in (lang, request.best_lang):
            if candidate in installed:
                return candidate
            if candidate and candidate.split("_")[0] == "zh" and "zh_CN" in installed:
                return "zh_CN"
        return "en_US"

    def _nameplate_values(self, lot, **extra):
        """What the page shows: the machine, its warranty windows still open, its open
        requests (number and stage). No owner, no address, no price."""
        env = request.env
        warranty = (
            env["aftersales.warranty"]
            .sudo()
            .search(
                [("lot_id", "=", lot.id), ("state", "!=", "void")],
                order="start_date desc, id desc",
                limit=1,
            )
        )
        today = warranty._customer_today() if warranty else fields.Date.context_today(lot)
        windows = []
        if warranty:
            for label, end in (
                (env._("Refund (包退)"), warranty.refund_end_date),
                (env._("Exchange (包换)"), warranty.exchange_end_date),
                (env._("Free repair (包修)"), warranty.end_date),
            ):
                if end and end >= today:
                    windows.append((label, end))
        tickets = (
            env["aftersales.ticket"]
            .sudo()
            .search([("lot_id", "=", lot.id), ("is_closed", "=", False)], order="id desc", limit=5)
        )
        company = lot.company_id or warranty.company_id or env.company
        values = {
            "lot": lot,
            "product_name": lot.product_id.with_context(display_default_code=False).display_name,
            "warranty": warranty,
            "windows": windows,
            "tickets": tickets,
            "service_phone": company.sudo()._aftersales_service_phone(),
            "company_name": company.name,
            "token": lot.aftersales_qr_token,
            "errors": {},
            "form": {},
        }
        values.update(extra)
        return values

    @http.route(
        "/aftersales/s/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False
    )
    def aftersales_nameplate(self, token, lang=None, reported=None, **kw):
        lot = self._nameplate_lot(token)
        request.update_context(lang=self._nameplate_lang(lang))
        reported_ticket = request.env["aftersales.ticket"]
        if reported and reported.isdigit():
            reported_ticket = (
                request.env["aftersales.ticket"]
                .sudo()
                .search([("id", "=", int(reported)), ("lot_id", "=", lot.id)], limit=1)
            )
        values = self._nameplate_values(lot, reported=reported_ticket)
        return request.render("aftersales_service.nameplate_page", values)

    @http.route(
        "/aftersales/s/<string:token>/report",
        type="http",
        auth="public",
        methods=["POST"],
        sitemap=False,
    )
    def aftersales_nameplate_report(self, token, **post):
        lot = self._nameplate_lot(token)
        request.update_context(lang=self._nameplate_lang(post.get("lang")))
        errors, values, photos = self._nameplate_validate(post)
        address = request.httprequest.remote_addr or ""
        if not errors:
            errors = self._nameplate_rate_limit(lot, address)
        if errors:
            form = {key: value for key, value in post.items() if isinstance(value, str)}
            page = self._nameplate_values(lot, errors=errors, form=form)
            return request.render("aftersales_service.nameplate_page", page, status=400)
        ticket = request.env["aftersales.ticket"]._aftersales_create_from_nameplate(
            lot, values, photos
        )
        request.env["aftersales.nameplate.report"].sudo().create(
            {"lot_id": lot.id, "ticket_id": ticket.id, "address": address}
        )
        return request.redirect(f"/aftersales/s/{token}?reported={ticket.id}#reported")

    def _nameplate_rate_limit(self, lot, address):
        company = lot.company_id or request.env.company
        limit = company.sudo().aftersales_qr_reports_per_hour
        by_lot, by_address = request.env["aftersales.nameplate.report"]._count_recent(lot, address)
        if by_lot >= limit or by_address >= limit:
            return {
                "form": request.env._(
                    "Too many faults were reported in the last hour. Please call the service "
                    "line or try again later."
                )
            }
        return {}

    def _nameplate_validate(self, post):
        """(errors, values, photos) of the posted form; errors are {field: message}."""
        _ = request.env._
        errors = {}
        text = {
            key: (value.replace("\x00", "").strip() if isinstance(value, str) else "")
            for key, value in post.items()
        }
        name, phone = text.get("name", ""), text.get("phone", "")
        description = text.get("description", "")
        if not name:
            errors["name"] = _("Tell us your name.")
        elif len(name) > NAME_MAX_LENGTH:
            errors["name"] = _("Keep the name under %(count)s characters.", count=NAME_MAX_LENGTH)
        digits = [char for char in phone if char.isdigit()]
        if not phone:
            errors["phone"] = _("Give a phone number we can call you back on.")
        elif (
            len(phone) > PHONE_MAX_LENGTH
            or len(digits) < 5
            or any(not (char.isdigit() or char in "+-() ") for char in phone)
        ):
            errors["phone"] = _("Give a phone number: digits, spaces, +, - and brackets only.")
        if not description:
            errors["description"] = _("Describe what happens.")
        elif len(description) > DESCRIPTION_MAX_LENGTH:
            errors["description"] = _(
                "Keep the description under %(count)s characters.", count=DESCRIPTION_MAX_LENGTH
            )
        photos = self._nameplate_photos(errors)
        values = {"name": name, "phone": phone, "description": description}
        return errors, values, photos

    def _nameplate_photos(self, errors):
        """[(name, mime type, bytes)] of the uploaded photos, checked by their content."""
        _ = request.env._
        files = [
            upload
            for upload in request.httprequest.files.getlist("photos")
            if upload and upload.filename
        ]
        if len(files) > PHOTOS_MAX:
            errors["photos"] = _("Send at most %(count)s photos.", count=PHOTOS_MAX)
            return []
        photos = []
        for upload in files:
            content = upload.read(PHOTO_MAX_BYTES + 1)
            if len(content) > PHOTO_MAX_BYTES:
                errors["photos"] = _(
                    "Each photo must be under %(size)s MB.", size=PHOTO_MAX_BYTES // (1024 * 1024)
                )
                return []
            mimetype = guess_mimetype(content)
            if mimetype not in PHOTO_TYPES:
                errors["photos"] = _("Send photos only (JPEG, PNG, WebP or GIF).")
                return []
            name = (upload.filename or "photo")[-100:].replace("/", "_").replace("\\", "_")
            photos.append((name, mimetype, content))
        return photos
