from odoo import fields, models


class AftersalesTicketTag(models.Model):
    _name = "aftersales.ticket.tag"
    _description = "After-Sales Ticket Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A tag with this name already exists.")
