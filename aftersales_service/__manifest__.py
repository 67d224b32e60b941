# Copyright 2026 After-Sales Service Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "After-Sales Service",
    "summary": "Service tickets, dispatch, warranties (三包), spare parts, service reports "
    "and satisfaction surveys for companies running Sales and Inventory",
    "version": "19.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/aftersales-odoo/aftersales",
    "author": "After-Sales Service Team",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "mail",
        "portal",
        "sale_stock",
        "survey",
        "repair",
        "base_automation",
        "resource",
    ],
    "data": [
        "security/aftersales_service_security.xml",
        "views/aftersales_menus.xml",
    ],
}
