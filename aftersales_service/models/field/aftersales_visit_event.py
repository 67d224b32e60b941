import math

from odoo import api, fields, models

EVENT_KINDS = [
    ("checkin", "Check-in"),
    ("pause", "Pause"),
    ("resume", "Resume"),
    ("checkout", "Check-out"),
]
FLAGS = [
    ("far", "Far from the Customer"),
    ("no_location", "No Location"),
]
EARTH_RADIUS_M = 6371000.0


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres between two points (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class AftersalesVisitEvent(models.Model):
    """上门打卡: a check-in, pause, resume or check-out of an engineer on site, with the time
    it happened on the phone and where the phone was."""

    _name = "aftersales.visit.event"
    _description = "After-Sales Visit Event"
    _order = "event_date, id"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Engineer", required=True, index=True)
    kind = fields.Selection(EVENT_KINDS, required=True)
    event_date = fields.Datetime(string="When", required=True)
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    accuracy = fields.Float(string="Accuracy (m)", digits=(10, 1))
    has_location = fields.Boolean()
    distance = fields.Float(
        string="Distance to the Customer (m)",
        digits=(12, 0),
        help="From the phone to the customer's address coordinates; empty when either is "
        "unknown.",
    )
    flag = fields.Selection(FLAGS, help="Set on a check-in the team leader should look at.")
    reason = fields.Text(help="The engineer's explanation of a flagged check-in.")

    @api.model
    def _prepare_location_vals(self, ticket, kind, latitude, longitude, accuracy):
        """Location, distance and flag of a new event of `ticket`."""
        has_location = latitude is not None and longitude is not None
        vals = {
            "has_location": has_location,
            "latitude": latitude or 0.0,
            "longitude": longitude or 0.0,
            "accuracy": accuracy or 0.0,
            "distance": 0.0,
            "flag": False,
        }
        partner = ticket.partner_id
        if partner and not (partner.partner_latitude or partner.partner_longitude):
            partner = partner.commercial_partner_id
        known = partner and (partner.partner_latitude or partner.partner_longitude)
        if has_location and known:
            vals["distance"] = distance_m(
                latitude, longitude, partner.partner_latitude, partner.partner_longitude
            )
        if kind == "checkin":
            if not has_location:
                vals["flag"] = "no_location"
            elif known and vals["distance"] > ticket.company_id.aftersales_checkin_radius:
                vals["flag"] = "far"
        return vals
