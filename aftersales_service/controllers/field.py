"""The engineer's day on a phone (现场服务): today's visits, one visit, the van."""

from urllib.parse import quote

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import html2plaintext

USER_GROUP = "aftersales_service.group_aftersales_user"
REPLENISH_MAX_LINES = 30


def check_engineer():
    """Internal After-Sales users only (a portal or public user gets a 403)."""
    user = request.env.user
    if user.share or not user.has_group(USER_GROUP):
        raise Forbidden()
    return user


def map_links(partner):
    """geo:, Amap and Baidu links to the customer's address (coordinates when known)."""
    address = ", ".join(
        part
        for part in (
            partner.street,
            partner.street2,
            partner.city,
            partner.state_id.name,
            partner.country_id.name,
        )
        if part
    )
    located = (
        partner
        if partner.partner_latitude or partner.partner_longitude
        else (partner.commercial_partner_id)
    )
    lat, lon = located.partner_latitude, located.partner_longitude
    name = quote(partner.commercial_partner_id.name or partner.name or "")
    if lat or lon:
        return {
            "address": address,
            "lat": lat,
            "lon": lon,
            "geo": f"geo:{lat},{lon}?q={lat},{lon}({name})",
            "amap": f"https://uri.amap.com/marker?position={lon},{lat}&name={name}"
            "&coordinate=wgs84&callnative=1",
            "baidu": f"https://api.map.baidu.com/marker?location={lat},{lon}&title={name}"
            f"&content={quote(address)}&coord_type=wgs84&output=html&src=webapp.aftersales",
        }
    if not address:
        return {"address": ""}
    query = quote(address)
    return {
        "address": address,
        "geo": f"geo:0,0?q={query}",
        "amap": f"https://uri.amap.com/search?keyword={query}&callnative=1",
        "baidu": f"https://api.map.baidu.com/geocoder?address={query}&output=html"
        "&src=webapp.aftersales",
    }


class AftersalesField(http.Controller):
    def _visit_values(self, ticket):
        sudo = ticket.sudo()  # the customer's address: engineers may not read every partner
        partner = sudo.partner_id
        if partner and not (partner.street or partner.city or partner.partner_latitude):
            partner = partner.commercial_partner_id
        phone = sudo.partner_phone or partner.phone or partner.commercial_partner_id.phone or ""
        return {
            "ticket": ticket,
            "partner": partner,
            "maps": map_links(partner) if partner else {"address": ""},
            "tel": "tel:" + "".join(c for c in phone if c.isdigit() or c == "+"),
            "phone": phone,
            "deadline": ticket._field_deadline(),
            "overdue": ticket._field_overdue(),
        }

    @http.route("/aftersales/field", type="http", auth="user", methods=["GET"])
    def field_day(self, **kw):
        user = check_engineer()
        Ticket = request.env["aftersales.ticket"]
        visits = Ticket._field_visits(user)
        team = {
            engineer: [self._visit_values(t) for t in tickets]
            for engineer, tickets in Ticket._field_team_visits(user).items()
            if tickets
        }
        return request.render(
            "aftersales_service.field_day_page",
            {
                "visits": [self._visit_values(t) for t in visits],
                "team_visits": team,
                "van": user._aftersales_van(),
                "page": "day",
            },
        )

    @http.route("/aftersales/field/visit/<int:ticket_id>", type="http", auth="user")
    def field_visit(self, ticket_id, **kw):
        user = check_engineer()
        ticket = request.env["aftersales.ticket"].browse(ticket_id).exists()
        if not ticket or not ticket.has_access("read"):
            raise NotFound()
        van = user._aftersales_van(ticket.company_id)
        values = self._visit_values(ticket)
        values.update(
            {
                "van": van,
                "van_content": van._aftersales_van_content() if van else [],
                "events": ticket.sudo().visit_event_ids.sorted("event_date"),
                "photos": ticket.sudo().photo_ids,
                "part_lines": ticket.sudo().part_line_ids,
                "radius": ticket.company_id.aftersales_checkin_radius,
                "work_done_text": html2plaintext(ticket.work_done or "").strip(),
                "resolution_text": html2plaintext(ticket.resolution or "").strip(),
                "page": "visit",
            }
        )
        return request.render("aftersales_service.field_visit_page", values)

    @http.route("/aftersales/field/van", type="http", auth="user", methods=["GET"])
    def field_van(self, **kw):
        user = check_engineer()
        van = user._aftersales_van()
        spare = van and van.warehouse_id.aftersales_spare_loc_id
        return request.render(
            "aftersales_service.field_van_page",
            {
                "van": van,
                "van_content": van._aftersales_van_content() if van else [],
                "spare_content": spare._aftersales_van_content() if spare else [],
                "refills": van._aftersales_van_open_refills() if van else [],
                "page": "van",
            },
        )

    @http.route("/aftersales/field/action", type="jsonrpc", auth="user", methods=["POST"])
    def field_action(self, **payload):
        """One action of the phone (queued while offline): applied once per key."""
        check_engineer()
        try:
            with request.env.cr.savepoint():
                return request.env["aftersales.field.action"]._apply(payload)
        except (UserError, ValidationError, AccessError, MissingError) as error:
            return {"status": "error", "message": str(error.args[0] if error.args else error)}

    @http.route("/aftersales/field/replenish", type="jsonrpc", auth="user", methods=["POST"])
    def field_replenish(self, lines=None, **kw):
        """A van replenishment request: an internal transfer from the spare parts."""
        user = check_engineer()
        van = user._aftersales_van()
        if not van:
            return {"status": "error", "message": request.env._("You have no van stock.")}
        wanted = []
        for line in (lines or [])[:REPLENISH_MAX_LINES]:
            if not isinstance(line, dict):
                continue
            product = request.env["aftersales.field.action"]._int(line.get("product_id"))
            quantity = request.env["aftersales.field.action"]._parse_float(
                line.get("quantity"), 0, 1e6
            )
            if product and quantity:
                wanted.append((product, quantity))
        try:
            with request.env.cr.savepoint():
                picking = van._aftersales_van_replenish(wanted)
        except (UserError, ValidationError) as error:
            return {"status": "error", "message": str(error.args[0])}
        return {"status": "done", "picking": picking.name}
