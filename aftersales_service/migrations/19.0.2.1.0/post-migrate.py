"""19.0.2.1.0: "Stage Changed" is no longer a default subtype of tickets.

The customers follow it (they are subscribed with it, R-3.5); the staff who start following a
ticket (its engineer, its creator) no longer get a mail for each stage. The subtype is shipped
in a noupdate file: its new default is set here. Who follows it today is left as it is.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    subtype = env.ref("aftersales_service.mt_ticket_stage", raise_if_not_found=False)
    if subtype:
        subtype.default = False
