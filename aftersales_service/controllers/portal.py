import binascii
from datetime import datetime

import pytz

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

REPORT_XMLID = "aftersales_service.action_report_service_ticket"
SUBJECT_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10000


def commercial_partner_domain():
    """Records of the portal user's company (commercial partner); record rules apply too."""
    commercial_partner = request.env.user.partner_id.commercial_partner_id
    return [("commercial_partner_id", "=", commercial_partner.id)]


def portal_count(model_name, domain):
    """How many `model_name` records the user sees in `domain` (0 without read access)."""
    Model = request.env[model_name]
    return Model.search_count(domain) if Model.has_access("read") else 0


def portal_list_values(
    portal, model_name, domain, *, url, page_name, key, sortings, filters, **search
):
    """The values of a portal list page (/my/tickets, /my/warranties): the records of
    `domain` filtered, sorted and paged as the search bar asks (`search`: `sortby`,
    `filterby`, `page`; the first of `sortings` is the default), and remembered for the
    previous/next buttons. The record rules chose the records: they are rendered in sudo,
    as portal users cannot read their products and serials themselves.
    """
    Model = request.env[model_name]
    sortby, filterby = search.get("sortby"), search.get("filterby")
    sortby = sortby if sortby in sortings else next(iter(sortings))
    filterby = filterby if filterby in filters else "all"
    domain = domain + filters[filterby]["domain"]
    pager = portal_pager(
        url=url,
        url_args={"sortby": sortby, "filterby": filterby},
        total=Model.search_count(domain),
        page=search.get("page") or 1,
        step=portal._items_per_page,
    )
    records = Model.search(
        domain,
        order=sortings[sortby]["order"],
        limit=portal._items_per_page,
        offset=pager["offset"],
    )
    request.session[f"my_{key}_history"] = records.ids[:100]
    values = portal._prepare_portal_layout_values()
    values.update(
        {
            key.removeprefix("aftersales_"): records.sudo(),
            "page_name": page_name,
            "pager": pager,
            "default_url": url,
            "searchbar_sortings": sortings,
            "sortby": sortby,
            "searchbar_filters": filters,
            "filterby": filterby,
        }
    )
    return values


class AftersalesCustomerPortal(CustomerPortal):
    """/my/tickets: the customer's service requests, their report, signature and chatter."""

    # ------------------------------------------------------------ home counters

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_ticket_count" in counters:
            values["aftersales_ticket_count"] = portal_count(
                "aftersales.ticket", self._prepare_aftersales_tickets_domain()
            )
        return values

    def _prepare_aftersales_tickets_domain(self):
        """The tickets of the user's company (commercial partner); record rules apply too."""
        return commercial_partner_domain()

    # ------------------------------------------------------------ list

    def _get_aftersales_searchbar_sortings(self):
        _ = request.env._
        return {
            "date": {"label": _("Newest"), "order": "create_date desc, id desc"},
            "number": {"label": _("Number"), "order": "number desc, id desc"},
            "stage": {"label": _("Stage"), "order": "stage_id, id desc"},
            "expected": {"label": _("Expected Completion"), "order": "expected_date, id desc"},
        }

    def _get_aftersales_searchbar_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All"), "domain": []},
            "open": {"label": _("In Progress"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": _("Closed"), "domain": [("is_closed", "=", True)]},
        }

    def _prepare_aftersales_tickets_values(self, page=1, sortby=None, filterby=None, **kwargs):
        return portal_list_values(
            self,
            "aftersales.ticket",
            self._prepare_aftersales_tickets_domain(),
            url="/my/tickets",
            page_name="aftersales_ticket",
            key="aftersales_tickets",
            page=page,
            sortings=self._get_aftersales_searchbar_sortings(),
            filters=self._get_aftersales_searchbar_filters(),
            sortby=sortby,
            filterby=filterby,
        )

    # Not readonly: get_portal_url() gives the tickets an access token.
    @http.route(
        ["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_aftersales_tickets(self, **kwargs):
        values = self._prepare_aftersales_tickets_values(**kwargs)
        return request.render("aftersales_service.portal_my_tickets", values)

    # ------------------------------------------------------------ detail

    @http.route(["/my/tickets/<int:ticket_id>"], type="http", auth="public", website=True)
    def portal_my_aftersales_ticket(
        self, ticket_id, access_token=None, report_type=None, download=False, message=False, **kw
    ):
        try:
            ticket_sudo = self._document_check_access(
                "aftersales.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_aftersales_report(ticket_sudo, report_type, download)
        values = {
            "ticket": ticket_sudo,
            "page_name": "aftersales_ticket",
            "message": message,
            "report_url": ticket_sudo.get_portal_url(suffix="/report"),
            "res_company": ticket_sudo.company_id,
        }
        values = self._get_page_view_values(
            ticket_sudo, access_token, values, "my_aftersales_tickets_history", False, **kw
        )
        return request.render("aftersales_service.portal_my_ticket", values)

    @http.route(["/my/tickets/<int:ticket_id>/report"], type="http", auth="public", website=True)
    def portal_my_aftersales_ticket_report(
        self, ticket_id, access_token=None, report_type="pdf", download=False, **kw
    ):
        try:
            ticket_sudo = self._document_check_access(
                "aftersales.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type not in ("html", "pdf"):
            report_type = "pdf"
        return self._show_aftersales_report(ticket_sudo, report_type, download)

    def _show_aftersales_report(self, ticket_sudo, report_type, download):
        """The service report; as HTML when this server cannot print PDF (no wkhtmltopdf)."""
        state = request.env["ir.actions.report"].get_wkhtmltopdf_state()
        if report_type == "pdf" and state in ("install", "broken", "workers"):
            report_type = "html"
        return self._show_report(
            model=ticket_sudo, report_type=report_type, report_ref=REPORT_XMLID, download=download
        )

    # ------------------------------------------------------------ signature

    @http.route(["/my/tickets/<int:ticket_id>/sign"], type="jsonrpc", auth="public", website=True)
    def portal_aftersales_ticket_sign(
        self, ticket_id, access_token=None, name=None, signature=None
    ):
        # the token is in the query string when the widget posts to get_portal_url()
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            ticket_sudo = self._document_check_access(
                "aftersales.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return {"error": request.env._("This service request does not exist.")}
        if request.env.user._is_public():
            author = ticket_sudo.partner_id
        else:
            author = request.env.user.partner_id
        try:
            with request.env.cr.savepoint():
                ticket_sudo._sign_service_report(name, signature, author=author)
        except (UserError, ValidationError) as error:
            return {"error": error.args[0]}
        except (TypeError, ValueError, binascii.Error):
            return {"error": request.env._("The signature could not be read: draw it again.")}
        return {
            "force_refresh": True,
            "redirect_url": ticket_sudo.get_portal_url(query_string="&message=sign_ok"),
        }

    # ------------------------------------------------------------ new request

    def _aftersales_delivered_items(self, partner):
        """Products and serials delivered to the partner's company: {product: lots}.

        Read in sudo (portal users cannot read stock) with an explicit domain on the done
        outgoing moves of that company and its contacts only.
        """
        commercial_partner = partner.commercial_partner_id
        groups = (
            request.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "done"),
                    ("picking_code", "=", "outgoing"),
                    ("location_dest_id.usage", "=", "customer"),
                    ("picking_partner_id", "child_of", commercial_partner.id),
                ],
                ["product_id", "lot_id"],
            )
        )
        items = {}
        for product, lot in groups:
            items.setdefault(product, request.env["stock.lot"].sudo())
            items[product] |= lot
        return dict(sorted(items.items(), key=lambda item: item[0].display_name or ""))

    def _aftersales_parse_requested_date(self, value, errors):
        """The requested date of the form (the customer's local time) in UTC, or False with
        a form error: unreadable, before today or beyond the company's horizon."""
        if not value:
            return False
        Ticket = request.env["aftersales.ticket"]
        earliest, latest = Ticket._requested_date_bounds(partner=request.env.user.partner_id)
        try:
            local = datetime.strptime(value, "%Y-%m-%dT%H:%M")
            tz = pytz.timezone(request.env.user.tz or "UTC")
            utc = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
        except (TypeError, ValueError, OverflowError):
            errors["requested_date"] = request.env._("Give the date as year-month-day and time.")
            return False
        if utc < earliest:
            errors["requested_date"] = request.env._("The requested date is in the past.")
            return False
        if utc > latest:
            errors["requested_date"] = request.env._(
                "Choose a date within %(days)s days from today.",
                days=request.env.company.aftersales_requested_date_days,
            )
            return False
        return utc

    def _aftersales_validate_ticket_form(self, post, delivered):
        """(errors, ticket values) from the posted form; errors are {field: message}."""
        _ = request.env._
        errors = {}
        # text fields only (no uploaded file in their place), without NUL characters, which
        # PostgreSQL refuses
        post = {
            key: value.replace("\x00", "") for key, value in post.items() if isinstance(value, str)
        }
        subject = (post.get("name") or "").strip()
        if not subject:
            errors["name"] = _("Give your request a subject.")
        elif len(subject) > SUBJECT_MAX_LENGTH:
            errors["name"] = _(
                "Keep the subject under %(count)s characters.", count=SUBJECT_MAX_LENGTH
            )
        product_key = post.get("product_id") or ""
        other_product = (post.get("product_other") or "").strip()
        product = request.env["product.product"]
        if product_key == "other":
            if not other_product:
                errors["product_other"] = _("Describe the product the request is about.")
        elif product_key:
            product = next((p for p in delivered if str(p.id) == product_key), product)
            if not product:
                errors["product_id"] = _(
                    "Choose one of the products delivered to you, or “Other product”."
                )
        lot = request.env["stock.lot"]
        if post.get("lot_id") and product_key != "other":
            lots = delivered.get(product, lot) if product else lot.union(*delivered.values())
            lot = lots.filtered(lambda candidate: str(candidate.id) == post["lot_id"])[:1]
            if not lot:
                errors["lot_id"] = _("Choose a serial number delivered with this product.")
            product = product or lot.product_id
        requested_date = self._aftersales_parse_requested_date(post.get("requested_date"), errors)
        if len(post.get("description") or "") > DESCRIPTION_MAX_LENGTH:
            errors["description"] = _(
                "Keep the description under %(count)s characters.", count=DESCRIPTION_MAX_LENGTH
            )
        if len(other_product) > SUBJECT_MAX_LENGTH:
            errors["product_other"] = _(
                "Keep the product under %(count)s characters.", count=SUBJECT_MAX_LENGTH
            )
        description = plaintext2html((post.get("description") or "").strip())
        if product_key == "other" and other_product:
            description = plaintext2html(_("Product: %(product)s", product=other_product)) + (
                description
            )
        values = {
            "name": subject,
            "description": description,
            "product_id": product.id,
            "lot_id": lot.id,
            "requested_date": requested_date,
        }
        return errors, values

    def _aftersales_create_ticket(self, values):
        partner = request.env.user.partner_id
        channel = request.env["aftersales.channel"].sudo()._get_by_code("portal")
        values = dict(values, partner_id=partner.id, channel_id=channel.id)
        # portal users cannot create tickets: sudo, on vetted values, for their own partner
        return request.env["aftersales.ticket"].sudo().create(values)

    @http.route(
        ["/my/tickets/new"], type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_aftersales_ticket_new(self, **post):
        partner = request.env.user.partner_id
        delivered = self._aftersales_delivered_items(partner)
        errors = {}
        if request.httprequest.method == "POST":
            errors, ticket_values = self._aftersales_validate_ticket_form(post, delivered)
            if not errors:
                ticket = self._aftersales_create_ticket(ticket_values)
                return request.redirect(ticket.get_portal_url(query_string="&message=created"))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "aftersales_ticket_new",
                "delivered": delivered,
                "delivered_lots": request.env["stock.lot"].sudo().union(*delivered.values()),
                "errors": errors,
                "form": post,
            }
        )
        return request.render("aftersales_service.portal_ticket_new", values)
