# Copyright 2026 After-Sales Service Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "After-Sales Service SLA",
    "summary": "Service promises by customer tier: working-time deadlines, pauses, "
    "escalation and compensation for after-sales tickets",
    "version": "19.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/aftersales-odoo/aftersales",
    "author": "After-Sales Service Team",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["aftersales_service"],
    "data": [],
}
