from odoo import models

ESCALATION_CRON = "aftersales_service_sla.ir_cron_aftersales_sla_escalate"


class IrCron(models.Model):
    _inherit = "ir.cron"

    def method_direct_trigger(self):
        """ "Run Manually" of the SLA escalation job answers at once: the job is triggered and
        a cron worker runs it in its batches, instead of the whole run in the request."""
        escalation = self.env.ref(ESCALATION_CRON, raise_if_not_found=False)
        if not escalation or self != escalation:
            return super().method_direct_trigger()
        self.browse().check_access("write")
        self._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The SLA escalation job is triggered: a cron worker runs it in a moment."
                ),
            },
        }
