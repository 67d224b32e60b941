"""Channel API: call-centre, WeChat and other systems register service requests.

``POST /aftersales/api/v1/tickets`` with an Odoo API key (``Authorization: Bearer <key>``)
creates a ticket as the key's user, so the user's access rights and record rules apply.
The whole input is checked before anything is written; the customer contact (when a new
one is needed) and the ticket are created in one savepoint, so a refused request leaves
nothing behind. See readme/API.md and the OpenAPI document
(``GET /aftersales/api/v1/openapi.json``, kept in ``static/api/openapi.json``).

The routes use the API's own dispatcher (:class:`AftersalesApiDispatcher`): the body is
read by the endpoint, never passed as keyword arguments, and every answer, errors raised
by Odoo itself included (authentication, body too large, unknown path), is the API's JSON
``{"error": ..., "field": ...}``, never a traceback.
"""

import json
import logging
import re
from datetime import datetime, timezone
from pathlib import Path

from werkzeug.exceptions import HTTPException

from odoo import http
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.http import request
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.translate import LazyTranslate

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

TICKET_FIELDS = (
    "channel",
    "subject",
    "description",
    "customer",
    "product",
    "serial",
    "type",
    "fault_category",
    "priority",
    "requested_date",
)
CUSTOMER_FIELDS = ("name", "email", "phone")
PRIORITY_VALUES = ("0", "1", "2", "3")
#: the largest request body accepted (bytes): 413 beyond
MAX_BODY_BYTES = 64 * 1024
#: the longest string accepted per field (characters): 400 beyond
MAX_LENGTHS = {
    "channel": 64,
    "subject": 200,
    "description": 10000,
    "customer.name": 200,
    "customer.email": 254,
    "customer.phone": 64,
    "product": 128,
    "serial": 128,
    "type": 64,
    "requested_date": 64,
}
#: the date-times accepted: date, "T", hours and minutes, optional seconds and offset
DATETIME_PATTERN = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"
    r"(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
OPENAPI_PATH = Path(__file__).resolve().parent.parent / "static" / "api" / "openapi.json"
#: messages of the errors raised before the endpoint runs, by status
STATUS_MESSAGES = {
    400: _lt("The request is malformed."),
    401: _lt("Authentication required: send an API key as “Authorization: Bearer <key>”."),
    403: _lt("You are not allowed to do this."),
    404: _lt("No such API endpoint. See /aftersales/api/v1/openapi.json."),
    405: _lt("This method is not allowed on this endpoint."),
    413: _lt("The request body is too large."),
    415: _lt("Send the body as JSON (Content-Type: application/json)."),
    500: _lt("Internal error: the request could not be handled. It was logged; try again later."),
}


class ApiInputError(Exception):
    """A request the API refuses: answered with `status` and the offending field."""

    def __init__(self, message, field=None, status=400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


#: the largest record id (PostgreSQL integer): a bigger one is no id, not a database error
MAX_ID = 2**31 - 1


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def _text(value, field, required=False):
    """A stripped string of at most ``MAX_LENGTHS[field]`` characters, without NUL;
    `ApiInputError` naming `field` when it is not one."""
    if value is None or value == "":
        if required:
            raise ApiInputError(
                request.env._("The field %(field)s is required.", field=field), field
            )
        return ""
    if not isinstance(value, str):
        raise ApiInputError(
            request.env._("The field %(field)s must be a string.", field=field), field
        )
    limit = MAX_LENGTHS.get(field, 200)
    if len(value) > limit:
        raise ApiInputError(
            request.env._(
                "The field %(field)s is too long: at most %(count)s characters.",
                field=field,
                count=limit,
            ),
            field,
        )
    if "\x00" in value:
        raise ApiInputError(
            request.env._("The field %(field)s may not contain NUL characters.", field=field),
            field,
        )
    value = value.strip()
    if required and not value:
        raise ApiInputError(request.env._("The field %(field)s is required.", field=field), field)
    return value


def _status_message(status):
    message = STATUS_MESSAGES.get(status) or STATUS_MESSAGES[400 if status < 500 else 500]
    return str(message)


def api_error_response(error, headers=None):
    """The API's JSON answer to an `ApiInputError`."""
    return request.make_json_response(
        {"error": error.message, "field": error.field},
        headers=headers,
        status=error.status,
    )


class AftersalesApiDispatcher(http.Dispatcher):
    """Dispatcher of the channel API's routes (``type="aftersales_api"``).

    Odoo's ``json2`` routes pass the body's keys as keyword arguments (a key ``self`` then
    crashes the call) and answer their own errors with a traceback. Here the endpoint reads
    the body itself and every error becomes the API's JSON error.
    """

    routing_type = "aftersales_api"
    mimetypes = ("application/json",)

    @classmethod
    def is_compatible_with(cls, request):
        return True  # the endpoint answers 415 itself, in the API's JSON

    def dispatch(self, endpoint, args):
        self.request.params = dict(args)  # the path's arguments only
        return self.request.registry["ir.http"]._dispatch(endpoint)

    def handle_error(self, exc):
        headers = []
        if isinstance(exc, ApiInputError):
            return api_error_response(exc)
        if isinstance(exc, HTTPException):
            status = exc.code or 500
            if status == 401:
                headers.append(("WWW-Authenticate", 'Bearer realm="aftersales"'))
        elif isinstance(exc, AccessDenied | AccessError):
            status = 401 if isinstance(exc, AccessDenied) else 403
        elif isinstance(exc, http.SessionExpiredException):
            status = 401
            headers.append(("WWW-Authenticate", 'Bearer realm="aftersales"'))
        else:
            status = 500  # Odoo logs the error with its traceback; the answer has none
        body = {"error": _status_message(status), "field": None}
        return self.request.make_json_response(body, headers=headers or None, status=status)


class AftersalesChannelApi(http.Controller):
    @http.route(
        "/aftersales/api/v1/tickets",
        type="aftersales_api",
        auth="bearer",
        save_session=False,
        readonly=False,
        max_content_length=MAX_BODY_BYTES,
    )
    def aftersales_api_ticket_create(self):
        """Create one ticket; 201 {"id", "number", "access_url"} or an error object."""
        if request.httprequest.method != "POST":
            return api_error_response(
                ApiInputError(request.env._("Use POST to create a ticket."), status=405),
                headers=[("Allow", "POST")],
            )
        try:
            values, new_customer = self._prepare_ticket_values(self._read_payload())
            ticket = self._create_ticket(values, new_customer)
        except ApiInputError as error:
            return api_error_response(error)
        except AccessError as error:
            # no After-Sales rights, or a ticket outside the user's teams
            return api_error_response(ApiInputError(error.args[0], status=403))
        _logger.info(
            "Ticket %s created through the channel API by %s",
            ticket.number,
            request.env.user.login,
        )
        body = {
            "id": ticket.id,
            "number": ticket.number,
            "access_url": ticket.get_base_url() + ticket.access_url,
        }
        return request.make_json_response(body, status=201)

    @http.route(
        "/aftersales/api/v1/openapi.json",
        type="aftersales_api",
        auth="none",
        save_session=False,
        readonly=True,
    )
    def aftersales_api_openapi(self):
        """The OpenAPI 3 document of this API (the file kept in static/api/)."""
        if request.httprequest.method not in ("GET", "HEAD"):
            error = ApiInputError(_status_message(405), status=405)
            return api_error_response(error, headers=[("Allow", "GET")])
        document = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
        document["servers"] = [{"url": request.httprequest.host_url.rstrip("/")}]
        return request.make_json_response(document)

    @http.route(
        ["/aftersales/api", "/aftersales/api/<path:path>"],
        type="aftersales_api",
        auth="none",
        save_session=False,
        readonly=True,
    )
    def aftersales_api_not_found(self, path=None):
        """Any other path of the API: a JSON 404, not the website's page."""
        return api_error_response(ApiInputError(_status_message(404), status=404))

    # ------------------------------------------------------------ input

    def _read_payload(self):
        """The body as a dict: 415 when it is not JSON, 413 beyond `MAX_BODY_BYTES`, 400 when
        it is not one JSON object of the known fields."""
        httprequest = request.httprequest
        if httprequest.mimetype != "application/json":
            raise ApiInputError(_status_message(415), status=415)
        if (httprequest.content_length or 0) > MAX_BODY_BYTES:
            raise ApiInputError(
                request.env._(
                    "The request body is too large: at most %(count)s bytes.",
                    count=MAX_BODY_BYTES,
                ),
                status=413,
            )
        try:
            payload = json.loads(httprequest.get_data(cache=False))
        except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
            payload = None
        if not isinstance(payload, dict):
            raise ApiInputError(request.env._("The request body must be a JSON object."))
        unknown = sorted(set(payload) - set(TICKET_FIELDS))
        if unknown:
            raise ApiInputError(
                request.env._(
                    "Unknown field %(field)s. Accepted fields: %(fields)s.",
                    field=unknown[0][:64],
                    fields=", ".join(TICKET_FIELDS),
                ),
                unknown[0][:64],
            )
        return payload

    def _prepare_ticket_values(self, payload):
        """Check every field, in order; return the ticket values and the new customer's."""
        values = {
            "channel_id": self._parse_channel(payload.get("channel")).id,
            "name": _text(payload.get("subject"), "subject", required=True),
        }
        description = _text(payload.get("description"), "description")
        if description:
            values["description"] = plaintext2html(description)
        partner, new_customer = self._parse_customer(payload.get("customer"))
        values["partner_id"] = partner.id
        product = self._parse_product(payload.get("product"))
        lot = self._parse_serial(payload.get("serial"), product)
        values["product_id"] = (product or lot.product_id).id
        values["lot_id"] = lot.id
        values["type_id"] = self._parse_type(payload.get("type")).id
        values["fault_category_id"] = self._parse_record(
            "aftersales.fault.category", payload.get("fault_category"), "fault_category"
        ).id
        if payload.get("priority") is not None:
            values["priority"] = self._parse_priority(payload["priority"])
        if payload.get("requested_date") is not None:
            values["requested_date"] = self._parse_datetime(
                payload["requested_date"], "requested_date"
            )
        return {key: value for key, value in values.items() if value is not False}, new_customer

    def _parse_channel(self, value):
        code = _text(value, "channel", required=True)
        channel = request.env["aftersales.channel"]._get_by_code(code)
        if not channel:
            codes = request.env["aftersales.channel"].search([]).mapped("code")
            raise ApiInputError(
                request.env._(
                    "Unknown channel %(code)s. Use one of: %(codes)s.",
                    code=code,
                    codes=", ".join(codes),
                ),
                "channel",
            )
        return channel

    def _parse_record(self, model, value, field):
        """The record of `model` with id `value`, if the user may read it."""
        records = request.env[model]
        if value is None:
            return records
        if not _is_id(value):
            raise ApiInputError(
                request.env._(
                    "The field %(field)s must be a record id (a positive integer).", field=field
                ),
                field,
            )
        record = records.browse(value).exists()
        if not record or not record.has_access("read"):
            raise ApiInputError(
                request.env._(
                    "No record with id %(id)s for the field %(field)s.", id=value, field=field
                ),
                field,
            )
        return record

    def _parse_customer(self, value):
        """(existing partner, values of a new contact): exactly one of them is set."""
        Partner = request.env["res.partner"]
        if value is None or value == {}:
            raise ApiInputError(
                request.env._(
                    "The field customer is required: a contact id, or an object with the "
                    "name, email and phone of the customer."
                ),
                "customer",
            )
        if not isinstance(value, dict):
            return self._parse_record("res.partner", value, "customer"), {}
        unknown = sorted(set(value) - set(CUSTOMER_FIELDS))
        if unknown:
            raise ApiInputError(
                request.env._("Unknown field customer.%(field)s.", field=unknown[0][:64]),
                f"customer.{unknown[0][:64]}",
            )
        name = _text(value.get("name"), "customer.name")
        email = _text(value.get("email"), "customer.email")
        phone = _text(value.get("phone"), "customer.phone")
        normalized = email and email_normalize(email)
        if email and not normalized:
            raise ApiInputError(
                request.env._("%(email)s is not a valid email address.", email=email),
                "customer.email",
            )
        if normalized:
            partner = Partner.search([("email_normalized", "=", normalized)], order="id", limit=1)
            if partner:
                return partner, {}
        elif not name:
            raise ApiInputError(
                request.env._("Give the customer's name or email address."), "customer.name"
            )
        return Partner, {"name": name or normalized, "email": email or False, "phone": phone}

    def _parse_product(self, value):
        Product = request.env["product.product"]
        if value is None or value == "":
            return Product
        if not isinstance(value, str):
            return self._parse_record("product.product", value, "product")
        value = _text(value, "product")
        products = Product.search([("default_code", "=", value)], limit=2)
        if not products:
            raise ApiInputError(
                request.env._("No product with the internal reference %(code)s.", code=value),
                "product",
            )
        if len(products) > 1:
            raise ApiInputError(
                request.env._(
                    "Several products have the internal reference %(code)s: send the product "
                    "id instead.",
                    code=value,
                ),
                "product",
            )
        return products

    def _parse_serial(self, value, product):
        name = _text(value, "serial")
        Lot = request.env["stock.lot"]
        if not name:
            return Lot
        lots = Lot.search([("name", "=", name)])
        if product:
            if not lots:
                raise ApiInputError(
                    request.env._("No serial number %(serial)s.", serial=name), "serial"
                )
            lots = lots.filtered(lambda lot: lot.product_id == product)
            if not lots:
                raise ApiInputError(
                    request.env._(
                        "Serial number %(serial)s does not belong to the product %(product)s.",
                        serial=name,
                        product=product.display_name,
                    ),
                    "serial",
                )
        elif not lots:
            raise ApiInputError(
                request.env._("No serial number %(serial)s.", serial=name), "serial"
            )
        elif len(lots.product_id) > 1:
            raise ApiInputError(
                request.env._(
                    "Serial number %(serial)s exists for several products: send the product "
                    "too.",
                    serial=name,
                ),
                "serial",
            )
        return lots[:1]

    def _parse_type(self, value):
        code = _text(value, "type")
        Type = request.env["aftersales.ticket.type"]
        if not code:
            return Type
        ticket_type = Type.search([("code", "=", code)], limit=1)
        if not ticket_type:
            raise ApiInputError(request.env._("Unknown ticket type %(code)s.", code=code), "type")
        return ticket_type

    def _parse_priority(self, value):
        priority = str(value) if _is_id(value) or value == 0 else value
        if priority not in PRIORITY_VALUES:
            raise ApiInputError(
                request.env._(
                    "The priority must be one of %(values)s.", values=", ".join(PRIORITY_VALUES)
                ),
                "priority",
            )
        return priority

    def _parse_datetime(self, value, field):
        """An ISO 8601 date-time (`DATETIME_PATTERN`, the pattern of the OpenAPI document);
        with an offset it is converted, without it is UTC."""
        try:
            text = _text(value, field)
            if not DATETIME_PATTERN.fullmatch(text):
                raise ValueError(text)
            moment = datetime.fromisoformat(text)
            if moment.tzinfo:
                moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except (TypeError, ValueError, OverflowError):
            raise ApiInputError(
                request.env._(
                    "The field %(field)s must be an ISO 8601 date and time, e.g. "
                    "2026-03-20T09:30:00+08:00.",
                    field=field,
                ),
                field,
            ) from None
        return moment

    # ------------------------------------------------------------ creation

    def _create_ticket(self, values, new_customer):
        """Create the new contact (if any) and the ticket, together or not at all."""
        env = request.env
        try:
            with env.cr.savepoint():
                if new_customer:
                    # creating the caller's contact is part of registering the request, even
                    # for service desk users who may not otherwise create contacts
                    partner = env["res.partner"].sudo().create(new_customer)
                    values = dict(values, partner_id=partner.id)
                ticket = env["aftersales.ticket"].create(values)
                env.flush_all()
        except AccessError:
            raise
        except UserError as error:  # a business rule (ValidationError included)
            raise ApiInputError(error.args[0], status=422) from error
        return ticket
