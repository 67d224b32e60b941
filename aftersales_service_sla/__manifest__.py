# Copyright 2026 After-Sales Service Team
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "After-Sales Service SLA",
    "summary": "Service promises by customer tier: working-time deadlines, pauses, "
    "escalation and compensation for after-sales tickets",
    "version": "19.0.2.1.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/aftersales-odoo/aftersales",
    "author": "After-Sales Service Team",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["aftersales_service", "spreadsheet_dashboard"],
    "data": [
        "security/aftersales_service_sla_security.xml",
        "security/ir.model.access.csv",
        "data/aftersales_sla_data.xml",
        "data/resource_calendar_cn.xml",
        "views/aftersales_sla_policy_views.xml",
        "views/aftersales_ticket_sla_views.xml",
        "views/aftersales_compensation_views.xml",
        "views/aftersales_ticket_views.xml",
        "views/portal_templates.xml",
        "wizards/aftersales_sla_exemption_views.xml",
        "views/aftersales_sla_menus.xml",
        "views/aftersales_kpi_report_views.xml",
        "data/aftersales_sla_dashboard_data.xml",
    ],
    "demo": [
        "demo/aftersales_sla_demo.xml",
    ],
}
