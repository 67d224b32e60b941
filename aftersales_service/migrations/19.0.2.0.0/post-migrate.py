"""19.0.2.0.0: the life cycle runs in Python and stages are found by their role.

- The switches of the automation rules become company settings (Settings › After-Sales),
  keeping what the administrator chose; the rules and their server actions are removed.
- Every stage gets its role: the shipped stages by their XML id, a team's own stages by
  what they were (closing stage, dispatch stage, first stage), one stage per role and team.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

SHIPPED_ROLES = {
    "stage_new": "new",
    "stage_dispatched": "dispatched",
    "stage_in_progress": "in_progress",
    "stage_waiting_parts": "waiting_parts",
    "stage_waiting_customer": "waiting_customer",
    "stage_waiting_quotation": "waiting_quotation",
    "stage_resolved": "resolved",
    "stage_closed": "closed",
}
# automation rule -> company setting it becomes (False when the rule was switched off)
RULE_SETTINGS = {
    "automation_survey_on_close": "aftersales_survey_on_close",
    "automation_reserve_parts_on_dispatch": "aftersales_reserve_parts_on_dispatch",
    "automation_warranty_transfer_done": "aftersales_warranty_on_delivery",
}
SETUP_RULES = {
    "confirm": "automation_setup_tickets_on_confirm",
    "delivery": "automation_setup_on_delivery",
}


def _rule_states(cr):
    """{rule xml id: active} of our automation rules still in the database."""
    cr.execute(
        """SELECT imd.name, rule.active
             FROM ir_model_data imd
             JOIN base_automation rule ON rule.id = imd.res_id
            WHERE imd.module = 'aftersales_service' AND imd.model = 'base.automation'"""
    )
    return dict(cr.fetchall())


def _migrate_settings(env):
    if "base.automation" not in env:
        return
    states = _rule_states(env.cr)
    trigger = (
        env["ir.config_parameter"]
        .sudo()
        .get_param("aftersales_service.installation_trigger", "confirm")
    )
    switches = {field: states.get(rule, True) for rule, field in RULE_SETTINGS.items()}
    switches["aftersales_setup_tickets"] = states.get(
        SETUP_RULES.get(trigger, SETUP_RULES["confirm"]), True
    )
    for field, active in switches.items():
        if not active:
            env.cr.execute(SQL("UPDATE res_company SET %s = FALSE", SQL.identifier(field)))
            _logger.info("After-Sales: the switched-off rule becomes %s = False", field)
    # the rules and their server actions go (noupdate records are not removed by -u)
    data = env["ir.model.data"].search(
        [
            ("module", "=", "aftersales_service"),
            ("model", "in", ("base.automation", "ir.actions.server")),
            ("name", "=like", "automation_%"),
        ]
    )
    rules = env["base.automation"].browse(
        data.filtered(lambda d: d.model == "base.automation").mapped("res_id")
    )
    actions = env["ir.actions.server"].browse(
        data.filtered(lambda d: d.model == "ir.actions.server").mapped("res_id")
    )
    actions.exists().unlink()
    rules.exists().unlink()
    data.exists().unlink()


def _migrate_stage_roles(env):
    Stage = env["aftersales.ticket.stage"].with_context(active_test=False)
    for xmlid, role in SHIPPED_ROLES.items():
        stage = env.ref(f"aftersales_service.{xmlid}", raise_if_not_found=False)
        if stage and not stage.role:
            env.cr.execute(
                "UPDATE aftersales_ticket_stage SET role = %s WHERE id = %s", (role, stage.id)
            )
    # a team's own stages: what they were before roles existed
    env.cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = 'aftersales_ticket_stage' AND column_name = 'is_dispatch_stage'"""
    )
    has_dispatch_flag = bool(env.cr.fetchone())
    dispatch_ids = set()
    if has_dispatch_flag:
        env.cr.execute("SELECT id FROM aftersales_ticket_stage WHERE is_dispatch_stage")
        dispatch_ids = {row[0] for row in env.cr.fetchall()}
    Stage.invalidate_model(["role"])
    for team in env["aftersales.team"].with_context(active_test=False).search([]):
        stages = team.stage_ids.sorted()
        if not stages:
            continue
        taken = set(stages.filtered("role").mapped("role"))
        guesses = [
            ("new", stages[:1]),
            ("dispatched", stages.filtered(lambda s: s.id in dispatch_ids)[:1]),
            ("closed", stages.filtered("is_closed")[:1]),
        ]
        for role, stage in guesses:
            if stage and not stage.role and role not in taken:
                env.cr.execute(
                    "UPDATE aftersales_ticket_stage SET role = %s WHERE id = %s", (role, stage.id)
                )
                taken.add(role)
    Stage.invalidate_model(["role"])


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _migrate_settings(env)
    _migrate_stage_roles(env)
