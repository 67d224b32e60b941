from datetime import datetime, timedelta

from odoo.fields import Command

from odoo.addons.aftersales_service.tests.common import AftersalesCase

WEEKDAYS = range(5)


def attendances(blocks, days=WEEKDAYS):
    """Attendance commands: `blocks` = [(hour_from, hour_to), ...] on each of `days`."""
    return [Command.clear()] + [
        Command.create(
            {
                "name": f"Day {day} {hour_from}-{hour_to}",
                "dayofweek": str(day),
                "hour_from": hour_from,
                "hour_to": hour_to,
                "day_period": "morning" if hour_from < 12 else "afternoon",
            }
        )
        for day in days
        for hour_from, hour_to in blocks
    ]


def local(day, hour, minute=0, offset=8):
    """A naive UTC datetime from a local time at UTC+`offset` (Shanghai by default)."""
    return datetime(*day, hour, minute) - timedelta(hours=offset)


class SlaCase(AftersalesCase):
    """Working hours with a lunch break (Shanghai), SLA policies by customer tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Calendar = cls.env["resource.calendar"]
        cls.calendar = Calendar.create(
            {
                "name": "Shanghai office (lunch break)",
                "tz": "Asia/Shanghai",
                "company_id": False,
                "attendance_ids": attendances([(8.5, 12.0), (13.5, 18.0)]),
            }
        )
        cls.team_a.resource_calendar_id = cls.calendar
        cls.team_b.resource_calendar_id = cls.calendar
        cls.tier_strategic = cls.env.ref("aftersales_service.tier_strategic")
        cls.tier_standard = cls.env.ref("aftersales_service.tier_standard")
        cls.stage_waiting = cls.env.ref("aftersales_service.stage_waiting_customer")
        cls.stage_waiting.sla_pause = True
        Policy = cls.env["aftersales.sla.policy"]
        # the tests build their own policies: no shipped or demo policy interferes
        Policy.search([]).active = False
        cls.policy_key = Policy.create(
            {
                "name": "Key customers",
                "sequence": 10,
                "tier_ids": [Command.set(cls.tier_key.ids)],
                "target_ids": [
                    Command.create({"kind": "first_response", "time_hours": 2}),
                    Command.create({"kind": "onsite", "time_hours": 8}),
                    Command.create({"kind": "resolution", "time_hours": 16}),
                ],
            }
        )
        cls.policy_default = Policy.create(
            {
                "name": "Everyone else",
                "sequence": 50,
                "target_ids": [
                    Command.create({"kind": "first_response", "time_hours": 8}),
                    Command.create({"kind": "resolution", "time_hours": 40}),
                ],
            }
        )

    # ------------------------------------------------------------ helpers

    @staticmethod
    def timer(ticket, kind):
        timers = ticket.sla_ids.filtered(lambda t: t.kind == kind)
        return timers

    def target(self, policy, kind):
        return policy.target_ids.filtered(lambda t: t.kind == kind)
