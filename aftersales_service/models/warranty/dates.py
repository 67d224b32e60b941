"""Dates of the 三包 windows: in the customer's time zone."""

import pytz

from odoo import fields


def customer_tz(partner, company):
    """Time zone of a customer: the contact's, its company's, ours, else UTC."""
    return partner.tz or partner.commercial_partner_id.tz or company.partner_id.tz or "UTC"


def local_date(value, tz_name):
    """The calendar date of the UTC datetime `value` in the time zone `tz_name`."""
    if not value:
        return False
    moment = fields.Datetime.to_datetime(value)
    return pytz.utc.localize(moment).astimezone(pytz.timezone(tz_name)).date()
