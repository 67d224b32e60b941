"""The part of `make upgrade-test` that runs inside Odoo: `odoo shell -d DB < upgrade_shell.py`.

Driven by scripts/upgrade_test.py through environment variables:

- UPGRADE_STEP=populate (with the OLD revision's addons): switches off the automation rule
  of the satisfaction survey (as an administrator would) and creates tickets in several
  stages; commits, and writes what each ticket is (number, name, customer, stage by XML id,
  closed) as JSON to UPGRADE_OUT.
- UPGRADE_STEP=check (with the CURRENT addons, after the upgrade): compares the tickets with
  the snapshot UPGRADE_SNAPSHOT, checks what the upgrade must have done (stage roles,
  company settings replacing the automation rules, module versions = UPGRADE_VERSIONS, a
  JSON object addon -> manifest version) and makes a ticket go round its life cycle; writes
  one result per check ({"name", "ok", "detail"}) as JSON to UPGRADE_OUT. Every check runs
  in its own savepoint: one failure does not stop the others. Nothing is committed.

Only fields that exist in both revisions are used to create the data.
"""

import json
import os
from pathlib import Path

from odoo import Command

ADDONS = ("aftersales_service", "aftersales_service_sla")
STAGE_ROLES = {
    "aftersales_service.stage_new": "new",
    "aftersales_service.stage_dispatched": "dispatched",
    "aftersales_service.stage_in_progress": "in_progress",
    "aftersales_service.stage_waiting_parts": "waiting_parts",
    "aftersales_service.stage_waiting_customer": "waiting_customer",
    "aftersales_service.stage_waiting_quotation": "waiting_quotation",
    "aftersales_service.stage_resolved": "resolved",
    "aftersales_service.stage_closed": "closed",
}
# company settings that replace the automation rules, and their value after the upgrade
# (the survey rule was switched off before it)
SETTINGS = {
    "aftersales_survey_on_close": False,
    "aftersales_reserve_parts_on_dispatch": True,
    "aftersales_warranty_on_delivery": True,
    "aftersales_setup_tickets": True,
}
# indexes the addons add to Odoo's tables: an upgrade creates them on existing data
INDEXES = (
    ("stock_lot", "stock_lot_aftersales_serial_idx"),
    ("mail_mail", "mail_mail_aftersales_outgoing_idx"),
)
RESOLUTION = "<p>Replaced the blown fuse of the heater.</p>"


def xmlid(record):
    return record.get_external_id().get(record.id) or f"{record._name}({record.id})"


def create_context(env, tag):
    """An engineer in a manual-dispatch team, a customer and a type closable without a
    service report or signature; `tag` tells apart the records of each step."""
    engineer = env["res.users"].create(
        {
            "name": f"Upgrade Engineer ({tag})",
            "login": f"upgrade.engineer.{tag}",
            "group_ids": [Command.link(env.ref("aftersales_service.group_aftersales_user").id)],
        }
    )
    team = env["aftersales.team"].create(
        {
            "name": f"Upgrade Test Team ({tag})",
            "assignment_method": "manual",
            "member_ids": [Command.set(engineer.ids)],
        }
    )
    partner = env["res.partner"].create(
        {"name": "Upgrade Customer Co.", "is_company": True, "email": "it@upgrade.example.com"}
    )
    ticket_type = env["aftersales.ticket.type"].create(
        {"name": "Upgrade Test Type", "report_required": False, "signature_required": False}
    )
    return {
        "engineer": engineer,
        "common": {"partner_id": partner.id, "team_id": team.id, "type_id": ticket_type.id},
    }


# ------------------------------------------------------------------ populate (old code)


def populate(env):
    # the survey on closing switched off: by its automation rule in the trees older than
    # 19.0.2.0.0, by the company's setting in the younger ones (UPGRADE_FROM)
    automation = env.ref("aftersales_service.automation_survey_on_close", raise_if_not_found=False)
    if automation:
        automation.active = False
    else:
        env.ref("base.main_company").aftersales_survey_on_close = False
    ctx = create_context(env, "old")
    common, engineer = ctx["common"], ctx["engineer"]
    expected = {
        "new, unassigned": "aftersales_service.stage_new",
        "dispatched": "aftersales_service.stage_dispatched",
        "waiting parts": "aftersales_service.stage_waiting_parts",
        "closed": "aftersales_service.stage_closed",
    }
    tickets = env["aftersales.ticket"].create(
        [
            {**common, "name": "Upgrade test: new, unassigned"},
            {**common, "name": "Upgrade test: dispatched", "user_id": engineer.id},
            {**common, "name": "Upgrade test: waiting parts", "user_id": engineer.id},
            {
                **common,
                "name": "Upgrade test: closed",
                "user_id": engineer.id,
                "resolution": RESOLUTION,
            },
        ]
    )
    tickets[2].stage_id = env.ref(expected["waiting parts"])
    tickets[3].stage_id = env.ref(expected["closed"])
    env.flush_all()
    snapshot = []
    for label, ticket in zip(expected, tickets, strict=True):
        if xmlid(ticket.stage_id) != expected[label]:
            raise RuntimeError(
                f"the {label} ticket is in {xmlid(ticket.stage_id)}, not {expected[label]}"
            )
        snapshot.append(
            {
                "label": label,
                "id": ticket.id,
                "number": ticket.number,
                "name": ticket.name,
                "partner_id": ticket.partner_id.id,
                "stage": xmlid(ticket.stage_id),
                "is_closed": ticket.is_closed,
            }
        )
    env.cr.commit()
    return snapshot


# ------------------------------------------------------------------ checks (current code)


def check_ticket(env, before):
    ticket = env["aftersales.ticket"].browse(before["id"]).exists()
    if not ticket:
        return False, f"ticket {before['number']} (id {before['id']}) is gone"
    after = {
        "number": ticket.number,
        "name": ticket.name,
        "partner_id": ticket.partner_id.id,
        "stage": xmlid(ticket.stage_id),
        "is_closed": ticket.is_closed,
    }
    changed = [
        f"{key}: {before[key]!r} -> {value!r}"
        for key, value in after.items()
        if value != before[key]
    ]
    if changed:
        return False, "; ".join(changed)
    return True, f"{ticket.number}, {after['stage']}, is_closed={ticket.is_closed}"


def check_no_automation(env):
    env.cr.execute(
        "SELECT module || '.' || name FROM ir_model_data"
        " WHERE module = ANY(%s) AND model = 'base.automation' ORDER BY 1",
        [list(ADDONS)],
    )
    left = [row[0] for row in env.cr.fetchall()]
    if left:
        return False, f"{len(left)} automation rule(s) of ours remain: {', '.join(left)}"
    return True, "none left"


def check_stage_subtype(env):
    subtype = env.ref("aftersales_service.mt_ticket_stage", raise_if_not_found=False)
    if not subtype:
        return False, "aftersales_service.mt_ticket_stage is missing"
    return not subtype.default, f"default {subtype.default} (the customers follow it)"


def check_job_name(env, lang, expected):
    job = env.ref("aftersales_service.ir_cron_send_acknowledgements", raise_if_not_found=False)
    if not job:
        return False, "aftersales_service.ir_cron_send_acknowledgements is missing"
    name = job.with_context(lang=lang).name
    return name == expected, f"{lang}: {name}"


def check_stage_roles(env):
    if "role" not in env["aftersales.ticket.stage"]._fields:
        return False, "aftersales.ticket.stage has no field 'role'"
    wrong = []
    for stage_xmlid, role in STAGE_ROLES.items():
        stage = env.ref(stage_xmlid, raise_if_not_found=False)
        if not stage:
            wrong.append(f"{stage_xmlid} is missing")
        elif stage.role != role:
            wrong.append(f"{stage_xmlid}: {stage.role!r} instead of {role!r}")
    if wrong:
        return False, "; ".join(wrong)
    return True, f"{len(STAGE_ROLES)} stages"


def check_setting(env, field, expected):
    if field not in env["res.company"]._fields:
        return False, f"res.company has no field '{field}'"
    value = env.ref("base.main_company")[field]
    return value == expected, f"{value} on the main company (expected {expected})"


def check_version(env, addon, version):
    module = env["ir.module.module"].search([("name", "=", addon)])
    detail = f"state {module.state}, installed {module.latest_version}, manifest {version}"
    return module.state == "installed" and module.latest_version == version, detail


def check_index(env, table, index):
    env.cr.execute(
        "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, index]
    )
    row = env.cr.fetchone()
    return bool(row), row[0] if row else f"{index} is missing on {table}"


def team_stages(ticket):
    Stage = ticket.env["aftersales.ticket.stage"]
    own = Stage.search([("team_ids", "in", ticket.team_id.ids)])
    return own or Stage.search([("team_ids", "=", False)])


def check_round_trip_dispatch(env, ticket):
    if not ticket.user_id:
        return False, "the ticket has no engineer"
    detail = f"created with an engineer, in stage {xmlid(ticket.stage_id)}"
    if "role" not in ticket.stage_id._fields:
        return False, f"aftersales.ticket.stage has no field 'role'; {detail}"
    return ticket.stage_id.role == "dispatched", f"{detail}, role {ticket.stage_id.role!r}"


def check_round_trip_close(env, ticket):
    stages = team_stages(ticket)
    if "role" in stages._fields:
        closing, problem = stages.filtered(lambda s: s.role == "closed")[:1], ""
        if not closing:
            return False, "no stage with role 'closed' for the ticket's team"
    else:  # go as far as the code allows: close through the stage flagged is_closed
        closing = stages.filtered("is_closed")[:1]
        problem = "aftersales.ticket.stage has no field 'role'; through the is_closed stage: "
    ticket.write({"resolution": RESOLUTION})
    ticket.write({"stage_id": closing.id})
    env.flush_all()
    detail = (
        f"moved to {xmlid(closing)}: is_closed={ticket.is_closed}, "
        f"closed_date={ticket.closed_date or 'not set'}"
    )
    return not problem and ticket.is_closed and bool(ticket.closed_date), problem + detail


ROUND_TRIP = {
    "round trip: a new ticket with an engineer is in the stage of role 'dispatched'": (
        check_round_trip_dispatch
    ),
    "round trip: resolved and moved to the stage of role 'closed', it is closed and dated": (
        check_round_trip_close
    ),
}


def run_checks(env, snapshot, versions):
    results = []

    def record(name, check, *args):
        try:
            with env.cr.savepoint():
                ok, detail = check(env, *args)
        except Exception as exc:  # one failure must not stop the others
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        results.append({"name": name, "ok": bool(ok), "detail": detail})

    for before in snapshot:
        record(
            f"ticket '{before['label']}' kept its number, name, customer, stage and closed state",
            check_ticket,
            before,
        )
    record("no automation rule of our addons is left", check_no_automation)
    record("every shipped stage has its role", check_stage_roles)
    record("'Stage Changed' is no default subtype", check_stage_subtype)
    for lang, name in (
        ("en_US", "After-Sales: send the ticket mails"),
        ("zh_CN", "售后服务：发送工单邮件"),
    ):
        record(f"the ticket mail job has its new name ({lang})", check_job_name, lang, name)
    for table, index in INDEXES:
        record(f"the index {index} exists", check_index, table, index)
    for field, expected in SETTINGS.items():
        record(f"res.company.{field} is {expected}", check_setting, field, expected)
    for addon, version in versions.items():
        record(f"{addon} is installed at its manifest's version", check_version, addon, version)
    ticket, error = None, ""
    try:
        with env.cr.savepoint():
            ctx = create_context(env, "new")
            ticket = env["aftersales.ticket"].create(
                {**ctx["common"], "name": "Upgrade round trip", "user_id": ctx["engineer"].id}
            )
    except Exception as exc:
        error = f"the ticket could not be created: {type(exc).__name__}: {exc}"
    for name, check in ROUND_TRIP.items():
        if ticket:
            record(name, check, ticket)
        else:
            results.append({"name": name, "ok": False, "detail": error})
    env.cr.rollback()
    return results


def main(env):
    step = os.environ["UPGRADE_STEP"]
    out = Path(os.environ["UPGRADE_OUT"])
    if step == "populate":
        data = populate(env)
    else:
        snapshot = json.loads(Path(os.environ["UPGRADE_SNAPSHOT"]).read_text())
        versions = json.loads(os.environ["UPGRADE_VERSIONS"])
        data = run_checks(env, snapshot, versions)
    out.write_text(json.dumps(data, indent=1))


if __name__ == "__main__":  # `odoo shell` runs this file's text with `env` in its globals
    main(globals()["env"])
