"""19.0.2.1.0: closing or archiving a ticket settles its promises.

The promises left running or paused on tickets closed or archived before (an on-site visit on
a ticket solved remotely, a first response never given) are settled as of the closing date:
missed when their deadline had passed, else not needed (the first response is met by the
resolution when the policy says so). The escalation job no longer sees them.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    timers = env["aftersales.ticket"]._sla_settle_over_tickets()
    _logger.info("SLA: %s promises of closed or archived tickets settled.", len(timers))
