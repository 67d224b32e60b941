import re
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
ACTIONS = [
    ("checkin", "Check-in"),
    ("pause", "Pause"),
    ("resume", "Resume"),
    ("checkout", "Check-out"),
    ("note", "Note"),
    ("photo", "Photo"),
    ("part", "Part from the Van"),
    ("signature", "Signature"),
    ("close", "Close"),
]
# how far the phone's clock may be from the server's: ahead a little, behind a week (a phone
# offline for days sends its queue when it is back)
CLOCK_AHEAD = timedelta(minutes=10)
OFFLINE_MAX = timedelta(days=7)
SIGNATURE_MAX_CHARS = 2 * 1024 * 1024


class AftersalesFieldAction(models.Model):
    """An action sent from the engineer's phone, once: the phone gives each action a key, and
    an action whose key was already applied (sent twice when the network came back) is not
    applied again."""

    _name = "aftersales.field.action"
    _description = "After-Sales Phone Action"
    _order = "id desc"

    key = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    action = fields.Selection(ACTIONS, required=True, readonly=True)
    ticket_id = fields.Many2one(
        "aftersales.ticket", readonly=True, index="btree_not_null", ondelete="cascade"
    )
    action_date = fields.Datetime(string="Done on the Phone", readonly=True)
    result = fields.Json(readonly=True)

    _user_key_uniq = models.Constraint(
        "UNIQUE(user_id, key)", "An action of the phone is applied once."
    )

    # ------------------------------------------------------------ parsing

    @api.model
    def _parse_key(self, key):
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise UserError(self.env._("The action has no valid key: reload the page."))
        return key

    @api.model
    def _parse_when(self, value):
        """The time the action was done on the phone (ISO 8601, UTC), within bounds."""
        now = fields.Datetime.now()
        if not value:
            return now
        try:
            when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise UserError(self.env._("The time of the action is not a valid date.")) from None
        if when.tzinfo:
            when = (when - when.utcoffset()).replace(tzinfo=None)
        when = when.replace(microsecond=0)
        if when > now + CLOCK_AHEAD:
            raise UserError(
                self.env._("The phone's clock is ahead of the server's: set it right and retry.")
            )
        if when < now - OFFLINE_MAX:
            raise UserError(
                self.env._(
                    "This action was done more than 7 days ago on the phone: record it from "
                    "the desk instead."
                )
            )
        return when

    @api.model
    def _parse_float(self, value, low, high):
        if value is None or value == "" or isinstance(value, bool):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return number if low <= number <= high else None

    @api.model
    def _parse_location(self, values):
        latitude = self._parse_float(values.get("latitude"), -90, 90)
        longitude = self._parse_float(values.get("longitude"), -180, 180)
        if latitude is None or longitude is None:
            return None
        accuracy = self._parse_float(values.get("accuracy"), 0, 100000)
        return {"latitude": latitude, "longitude": longitude, "accuracy": accuracy}

    # ------------------------------------------------------------ applying

    def _claim(self, key, action, ticket, when):
        """Record the key; False when an action with that key was applied already (a
        concurrent request with the same key waits here for the first one to end)."""
        self.env.cr.execute(
            SQL(
                """INSERT INTO aftersales_field_action
                       (key, user_id, action, ticket_id, action_date,
                        create_uid, write_uid, create_date, write_date)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, now() at time zone 'UTC',
                           now() at time zone 'UTC')
                   ON CONFLICT (user_id, key) DO NOTHING
                   RETURNING id""",
                key,
                self.env.uid,
                action,
                ticket.id or None,
                when,
                self.env.uid,
                self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else False

    @api.model
    def _apply(self, payload):
        """Apply one action of the phone: {key, action, ticket_id, at, values}. Returns
        {"status": "done" | "duplicate", ...}."""
        key = self._parse_key(payload.get("key"))
        action = payload.get("action")
        if action not in dict(ACTIONS):
            raise UserError(self.env._("Unknown action from the phone: reload the page."))
        when = self._parse_when(payload.get("at"))
        values = payload.get("values") if isinstance(payload.get("values"), dict) else {}
        ticket = self._field_ticket(payload.get("ticket_id"))
        record = self.sudo()._claim(key, action, ticket, when)
        if not record:
            done = self.sudo().search([("user_id", "=", self.env.uid), ("key", "=", key)])
            return {"status": "duplicate", "result": done.result or {}}
        result = getattr(self, f"_apply_{action}")(ticket, when, values) or {}
        record.write({"result": result})
        return {"status": "done", "result": result}

    @api.model
    def _field_ticket(self, ticket_id):
        try:
            ticket_id = int(ticket_id)
        except (TypeError, ValueError):
            ticket_id = 0
        ticket = self.env["aftersales.ticket"].browse(ticket_id).exists()
        if not ticket:
            raise UserError(self.env._("This visit no longer exists: reload the page."))
        ticket.check_access("read")
        return ticket

    def _apply_event(self, kind, ticket, when, values):
        event = ticket._field_record_event(
            kind, when, self._parse_location(values), reason=self._text(values, "reason", 2000)
        )
        return {"event": event.id, "flag": event.flag or False}

    def _apply_checkin(self, ticket, when, values):
        return self._apply_event("checkin", ticket, when, values)

    def _apply_pause(self, ticket, when, values):
        return self._apply_event("pause", ticket, when, values)

    def _apply_resume(self, ticket, when, values):
        return self._apply_event("resume", ticket, when, values)

    def _apply_checkout(self, ticket, when, values):
        return self._apply_event("checkout", ticket, when, values)

    def _apply_note(self, ticket, when, values):
        ticket._field_check_engineer()
        text = self._text(values, "note", 5000)
        if not text:
            raise UserError(self.env._("The note is empty."))
        message = ticket.message_post(body=text, subtype_xmlid="mail.mt_note")
        return {"message": message.id}

    def _apply_photo(self, ticket, when, values):
        photo = ticket._field_add_photo(
            values.get("kind"), values.get("image"), when, note=self._text(values, "note", 200)
        )
        return {"photo": photo.id}

    def _apply_part(self, ticket, when, values):
        product = self.env["product.product"].browse(self._int(values.get("product_id"))).exists()
        quantity = self._parse_float(values.get("quantity"), 0, 1e6)
        if not product or quantity is None:
            raise UserError(self.env._("Choose a part of your van and a quantity."))
        line = ticket._field_issue_from_van(product, quantity, when)
        return {"part_line": line.id}

    def _apply_signature(self, ticket, when, values):
        signature = values.get("signature")
        if not isinstance(signature, str) or len(signature) > SIGNATURE_MAX_CHARS:
            raise UserError(self.env._("Draw the signature again: it did not come through."))
        ticket._field_sign(
            self._text(values, "name", 200),
            signature.split(",", 1)[-1],
            work_done=self._text(values, "work_done", 20000),
        )
        return {"signed": True}

    def _apply_close(self, ticket, when, values):
        ticket._field_close(self._text(values, "resolution", 20000))
        return {"closed": True}

    @api.model
    def _text(self, values, name, limit):
        value = values.get(name)
        return value.strip()[:limit] if isinstance(value, str) else ""

    @api.model
    def _int(self, value):
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0
