from odoo import fields, models


class AftersalesSlaExemption(models.TransientModel):
    """An engineer reports that the customer caused the delay (for a manager's approval)."""

    _name = "aftersales.sla.exemption"
    _description = "Customer-caused SLA Delay"

    timer_id = fields.Many2one("aftersales.ticket.sla", string="Promise", required=True)
    reason = fields.Text(
        required=True,
        help="How the customer caused the delay, e.g. site not accessible, machine not "
        "released for the repair.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.timer_id._request_exemption(self.reason)
        return {"type": "ir.actions.act_window_close"}
