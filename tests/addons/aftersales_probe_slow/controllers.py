"""A request that outlasts `--limit-time-real`: the test's stand-in for a runaway request.

Only the server started by tests/test_prefork_limits.py loads this module (``--load``,
without a database); it is not part of the product and is never installed.
"""

import time

from odoo import http


class SlowProbe(http.Controller):
    @http.route("/aftersales_probe/slow", type="http", auth="none", save_session=False)
    def slow(self, seconds="60"):
        time.sleep(min(float(seconds), 300))
        return "slow request finished"
