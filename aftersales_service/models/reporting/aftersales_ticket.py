from odoo import api, fields, models


class AftersalesTicket(models.Model):
    """Service costs (R-8.3) and the indexes the KPI reports read."""

    _inherit = "aftersales.ticket"

    # service costs
    cost_currency_id = fields.Many2one(related="company_id.currency_id", string="Cost Currency")
    cost_parts = fields.Monetary(
        string="Parts Cost",
        currency_field="cost_currency_id",
        copy=False,
        groups="aftersales_service.group_aftersales_user",
    )
    cost_labour = fields.Monetary(
        string="Labour Cost",
        currency_field="cost_currency_id",
        copy=False,
        groups="aftersales_service.group_aftersales_user",
    )
    cost_travel = fields.Monetary(
        string="Travel Cost",
        currency_field="cost_currency_id",
        copy=False,
        groups="aftersales_service.group_aftersales_user",
    )
    cost_total = fields.Monetary(
        string="Service Cost",
        currency_field="cost_currency_id",
        compute="_compute_cost_total",
        store=True,
        groups="aftersales_service.group_aftersales_user",
    )

    # the KPI reports and the dashboard filter periods on these dates
    _kpi_create_date_idx = models.Index("(create_date)")
    _kpi_closed_date_idx = models.Index("(closed_date) WHERE closed_date IS NOT NULL")

    @api.depends("cost_parts", "cost_labour", "cost_travel")
    def _compute_cost_total(self):
        for ticket in self:
            ticket.cost_total = ticket.cost_parts + ticket.cost_labour + ticket.cost_travel
