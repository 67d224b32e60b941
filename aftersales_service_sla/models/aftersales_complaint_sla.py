from odoo import fields, models


class AftersalesTicketSla(models.Model):
    """A missed promise of a complaint is its escalation: the complaint job of
    aftersales_service does not escalate it a second time (投诉不重复升级)."""

    _inherit = "aftersales.ticket.sla"

    def _on_breach(self):
        res = super()._on_breach()
        complaints = self.ticket_id.filtered(
            lambda t: t.is_complaint and not t.is_closed and not t.complaint_escalated_date
        )
        if complaints:
            complaints.sudo().write({"complaint_escalated_date": fields.Datetime.now()})
        return res
