"""19.0.2.1.0, for records shipped in noupdate files:

- "Stage Changed" is no longer a default subtype of tickets. The customers follow it (they
  are subscribed with it, R-3.5); the staff who start following a ticket (its engineer, its
  creator) no longer get a mail for each stage. Who follows it today is left as it is.
- The acknowledgement job sends all the ticket mails the requests queue: it is renamed, in
  every language.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    subtype = env.ref("aftersales_service.mt_ticket_stage", raise_if_not_found=False)
    if subtype:
        subtype.default = False
    job = env.ref("aftersales_service.ir_cron_send_acknowledgements", raise_if_not_found=False)
    if job:
        # the translations of the old name go too: the module's translations, loaded after
        # this script, fill in the new name's only where there is none
        cr.execute(
            "UPDATE ir_act_server SET name = jsonb_build_object('en_US', %s) WHERE id = %s",
            ["After-Sales: send the ticket mails", job.ir_actions_server_id.id],
        )
        job.invalidate_recordset()
