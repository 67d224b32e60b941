import base64
import io
from datetime import datetime, timedelta

from PIL import Image

from odoo import fields

from .parts_common import PartsCase

SHANGHAI = (31.2304, 121.4737)  # the customer's plant
NEAR = (31.2310, 121.4740)  # ~75 m away
FAR = (31.3000, 121.5000)  # ~8 km away


def png(width=40, height=30, color=(200, 30, 30)):
    """A real PNG image, base64."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


class FieldCase(PartsCase):
    """An engineer's day: the customer's coordinates, vans with parts, a visit today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"partner_latitude": SHANGHAI[0], "partner_longitude": SHANGHAI[1]})
        cls.customer.write(
            {"street": "88 Jinqiao Road", "city": "Shanghai", "phone": "+86 21 5555 0101"}
        )
        cls.team_a.warehouse_id = cls.warehouse
        cls.team_b.warehouse_id = cls.warehouse
        (cls.team_a | cls.team_b).sudo().action_create_vans()
        cls.van_a1 = cls.engineer_a1._aftersales_van()
        cls.van_b = cls.engineer_b._aftersales_van()
        cls.put_in_stock(cls.bearing, 5, cls.van_a1)
        cls.put_in_stock(cls.bearing, 20)
        cls.now = fields.Datetime.now().replace(microsecond=0)
        cls.visit = cls.create_ticket(
            name="Hydraulic leak on HX-200",
            type_id=cls.type_repair.id,
            user_id=cls.engineer_a1.id,
            planned_visit_date=cls.now,
        )
        cls.Action = cls.env["aftersales.field.action"]
        cls._key = 0

    def key(self):
        type(self)._key += 1
        return f"test-key-{self._key:08d}"

    def act(self, action, ticket=None, at=None, user=None, key=None, **values):
        """Apply one phone action as the engineer (the payload the phone sends)."""
        payload = {
            "key": key or self.key(),
            "action": action,
            "ticket_id": (ticket or self.visit).id,
            "at": (at or fields.Datetime.now()).isoformat() + "Z",
            "values": values,
        }
        return self.Action.with_user(user or self.engineer_a1)._apply(payload)

    def at(self, minutes):
        """A time on the phone, `minutes` after the start of the test."""
        return self.now - timedelta(hours=3) + timedelta(minutes=minutes)

    @staticmethod
    def utc(value):
        return datetime.fromisoformat(value) if isinstance(value, str) else value
