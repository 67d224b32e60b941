"""Odoo's command line, run as a script: `python scripts/odoo_server.py -c CONF ...`.

The same as `python -m odoo`, except for the multi-process server: it starts its websocket
(gevent) worker as `python <argv[0]> gevent`, which works when argv[0] is a script and fails
when it is odoo/__main__.py (a relative import), so under `python -m odoo` that worker dies
and is respawned every second.
"""

from odoo.cli.command import main

if __name__ == "__main__":
    main()
