from odoo import fields, models


class AftersalesTicketReportMixin(models.AbstractModel):
    """The ticket dimensions shared by the analysis views over the ticket table.

    A report (a SQL view, `_auto = False`) inherits them and selects them with
    `_ticket_dimensions_select()` from `aftersales_ticket t` left-joined to
    `product_product pp`; its own `date`, other dimensions and measures come on top.
    """

    _name = "aftersales.ticket.report.mixin"
    _description = "After-Sales Ticket Analysis Dimensions"
    _rec_name = "ticket_id"
    _order = "date desc"
    _depends = {
        "aftersales.ticket": [
            "active",
            "closed_date",
            "company_id",
            "team_id",
            "user_id",
            "commercial_partner_id",
            "customer_tier_id",
            "type_id",
            "product_id",
        ],
        "product.product": ["product_tmpl_id"],
    }

    ticket_id = fields.Many2one("aftersales.ticket", readonly=True)
    date = fields.Datetime(readonly=True)  # each report says which date of the ticket
    closed_date = fields.Datetime(string="Closed on", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Engineer", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_tier_id = fields.Many2one("aftersales.customer.tier", readonly=True)
    type_id = fields.Many2one("aftersales.ticket.type", string="Ticket Type", readonly=True)
    product_id = fields.Many2one("product.product", string="Product Variant", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", readonly=True)

    def _ticket_dimensions_select(self):
        return """
            t.id AS ticket_id,
            t.closed_date AS closed_date,
            t.company_id AS company_id,
            t.team_id AS team_id,
            t.user_id AS user_id,
            t.commercial_partner_id AS partner_id,
            t.customer_tier_id AS customer_tier_id,
            t.type_id AS type_id,
            t.product_id AS product_id,
            pp.product_tmpl_id AS product_tmpl_id
        """
