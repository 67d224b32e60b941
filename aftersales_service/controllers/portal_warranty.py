from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal import commercial_partner_domain, portal_count, portal_list_values

CARD_REPORT_XMLID = "aftersales_service.action_report_warranty_card"


class AftersalesWarrantyPortal(CustomerPortal):
    """/my/warranties: the customer's warranties (保修) and their warranty cards (保修卡)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "aftersales_warranty_count" in counters:
            values["aftersales_warranty_count"] = portal_count(
                "aftersales.warranty", self._prepare_aftersales_warranties_domain()
            )
        return values

    def _prepare_aftersales_warranties_domain(self):
        """The warranties of the user's company (commercial partner); record rules apply."""
        return commercial_partner_domain()

    def _get_aftersales_warranty_searchbar_sortings(self):
        _ = request.env._
        return {
            "end": {"label": _("End Date"), "order": "end_date desc, id desc"},
            "start": {"label": _("Delivery Date"), "order": "start_date desc, id desc"},
            "number": {"label": _("Number"), "order": "number desc, id desc"},
        }

    def _get_aftersales_warranty_searchbar_filters(self):
        _ = request.env._
        return {
            "all": {"label": _("All"), "domain": []},
            "active": {"label": _("Active"), "domain": [("state", "=", "active")]},
            "expired": {"label": _("Expired"), "domain": [("state", "=", "expired")]},
        }

    def _prepare_aftersales_warranties_values(self, page=1, sortby=None, filterby=None, **kw):
        return portal_list_values(
            self,
            "aftersales.warranty",
            self._prepare_aftersales_warranties_domain(),
            url="/my/warranties",
            page_name="aftersales_warranty",
            key="aftersales_warranties",
            page=page,
            sortings=self._get_aftersales_warranty_searchbar_sortings(),
            filters=self._get_aftersales_warranty_searchbar_filters(),
            sortby=sortby,
            filterby=filterby,
        )

    # Not readonly: get_portal_url() gives the warranties an access token.
    @http.route(
        ["/my/warranties", "/my/warranties/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_aftersales_warranties(self, **kw):
        values = self._prepare_aftersales_warranties_values(**kw)
        return request.render("aftersales_service.portal_my_warranties", values)

    @http.route(["/my/warranties/<int:warranty_id>"], type="http", auth="public", website=True)
    def portal_my_aftersales_warranty(
        self, warranty_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            warranty_sudo = self._document_check_access(
                "aftersales.warranty", warranty_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_aftersales_warranty_card(warranty_sudo, report_type, download)
        values = {
            "warranty": warranty_sudo,
            "page_name": "aftersales_warranty",
            "card_url": warranty_sudo.get_portal_url(suffix="/card"),
            "tickets": warranty_sudo.ticket_ids.filtered(
                lambda ticket: ticket.commercial_partner_id == warranty_sudo.commercial_partner_id
            ),
        }
        values = self._get_page_view_values(
            warranty_sudo, access_token, values, "my_aftersales_warranties_history", False, **kw
        )
        return request.render("aftersales_service.portal_my_warranty", values)

    @http.route(["/my/warranties/<int:warranty_id>/card"], type="http", auth="public", website=True)
    def portal_my_aftersales_warranty_card(
        self, warranty_id, access_token=None, report_type="pdf", download=False, **kw
    ):
        try:
            warranty_sudo = self._document_check_access(
                "aftersales.warranty", warranty_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type not in ("html", "pdf"):
            report_type = "pdf"
        return self._show_aftersales_warranty_card(warranty_sudo, report_type, download)

    def _show_aftersales_warranty_card(self, warranty_sudo, report_type, download):
        """The warranty card; as HTML when this server cannot print PDF (no wkhtmltopdf)."""
        state = request.env["ir.actions.report"].get_wkhtmltopdf_state()
        if report_type == "pdf" and state in ("install", "broken", "workers"):
            report_type = "html"
        return self._show_report(
            model=warranty_sudo,
            report_type=report_type,
            report_ref=CARD_REPORT_XMLID,
            download=download,
        )
