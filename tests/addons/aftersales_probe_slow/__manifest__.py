# Copyright 2026 After-Sales Service Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "After-Sales test probe: a request slower than the server's limit",
    "summary": "Test only (tests/test_prefork_limits.py): never installed, loaded as a "
    "server-wide module by the test's own server",
    "version": "19.0.1.0.0",
    "category": "Hidden",
    "website": "https://github.com/aftersales-odoo/aftersales",
    "author": "After-Sales Service Team",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["web"],
}
