from odoo import api, models


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _aftersales_ticket_sequence(self, company):
        """The ticket sequence of `company`, created on first use (one counter a company)."""
        Sequence = self.sudo()
        sequence = Sequence.search(
            [("code", "=", "aftersales.ticket"), ("company_id", "=", company.id)], limit=1
        )
        if not sequence:
            sequence = Sequence.create(
                {
                    "name": self.env._("After-Sales Tickets (%(company)s)", company=company.name),
                    "code": "aftersales.ticket",
                    "company_id": company.id,
                    "prefix": "AS%(year)s/",
                    "padding": 5,
                    "implementation": "no_gap",
                }
            )
        return sequence
