"""Channel API: call-centre, WeChat and other systems register service requests.

``POST /aftersales/api/v1/tickets`` with an Odoo API key (``Authorization: Bearer <key>``)
creates a ticket as the key's user, so the user's access rights and record rules apply.
The whole input is checked before anything is written; the customer contact (when a new
one is needed) and the ticket are created in one savepoint, so a refused request leaves
nothing behind. See readme/API.md.
"""

import logging
from datetime import datetime, timezone

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import email_normalize, plaintext2html

_logger = logging.getLogger(__name__)

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


class ApiInputError(Exception):
    """A request the API refuses: answered with `status` and the offending field."""

    def __init__(self, message, field=None, status=400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _text(value, field, required=False):
    """A stripped string; `ApiInputError` naming `field` when it is not one."""
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
    value = value.strip()
    if required and not value:
        raise ApiInputError(request.env._("The field %(field)s is required.", field=field), field)
    return value


class AftersalesChannelApi(http.Controller):
    @http.route(
        "/aftersales/api/v1/tickets",
        type="json2",
        auth="bearer",
        save_session=False,
        readonly=False,
    )
    def aftersales_api_ticket_create(self, **_params):
        """Create one ticket; 201 {"id", "number", "access_url"} or an error object."""
        if request.httprequest.method != "POST":
            return self._error_response(
                ApiInputError(request.env._("Use POST to create a ticket."), status=405),
                headers=[("Allow", "POST")],
            )
        try:
            values, new_customer = self._prepare_ticket_values(self._read_payload())
            ticket = self._create_ticket(values, new_customer)
        except ApiInputError as error:
            return self._error_response(error)
        except AccessError as error:
            # no After-Sales rights, or a ticket outside the user's teams
            return self._error_response(ApiInputError(error.args[0], status=403))
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

    # ------------------------------------------------------------ responses

    def _error_response(self, error, headers=None):
        return request.make_json_response(
            {"error": error.message, "field": error.field},
            headers=headers,
            status=error.status,
        )

    # ------------------------------------------------------------ input

    def _read_payload(self):
        try:
            payload = request.get_json_data()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            raise ApiInputError(request.env._("The request body must be a JSON object."))
        unknown = sorted(set(payload) - set(TICKET_FIELDS))
        if unknown:
            raise ApiInputError(
                request.env._(
                    "Unknown field %(field)s. Accepted fields: %(fields)s.",
                    field=unknown[0],
                    fields=", ".join(TICKET_FIELDS),
                ),
                unknown[0],
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
                request.env._("Unknown field customer.%(field)s.", field=unknown[0]),
                f"customer.{unknown[0]}",
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
        products = Product.search([("default_code", "=", value.strip())], limit=2)
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
        """An ISO 8601 date-time; with an offset it is converted, without it is UTC."""
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise ApiInputError(
                request.env._(
                    "The field %(field)s must be an ISO 8601 date and time, e.g. "
                    "2026-03-20T09:30:00+08:00.",
                    field=field,
                ),
                field,
            ) from None
        if moment.tzinfo:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
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
        except UserError as error:
            raise ApiInputError(error.args[0]) from error
        return ticket
