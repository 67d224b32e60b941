from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

# what decides a complaint's deadline, escalation and closing
COMPLAINT_GUARDED_FIELDS = {"complaint_grade_id", "complaint_date", "type_id"}


class AftersalesTicket(models.Model):
    """投诉分级处理: graded complaints with a handling deadline, their escalation and
    the root cause, corrective action and lessons learned."""

    _inherit = "aftersales.ticket"

    # complaints (投诉分级处理)
    is_complaint = fields.Boolean(related="type_id.is_complaint", store=True, index=True)
    complaint_grade_id = fields.Many2one(
        "aftersales.complaint.grade",
        compute="_compute_complaint_grade_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
    )
    complaint_date = fields.Datetime(
        string="Complaint Received",
        compute="_compute_complaint_date",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
    )
    complaint_deadline = fields.Datetime(
        string="Handling Deadline",
        compute="_compute_complaint_deadline",
        store=True,
        copy=False,
        index="btree_not_null",
        help="Complaint received + the handling time limit of its grade.",
    )
    complaint_overdue = fields.Boolean(compute="_compute_complaint_overdue")
    complaint_escalated_date = fields.Datetime(
        string="Complaint Escalated",
        readonly=True,
        copy=False,
        help="Set once when the complaint is escalated, by the complaint job or the SLA "
        "escalation: a complaint is never escalated twice.",
        groups="aftersales_service.group_aftersales_user",
    )
    corrective_action = fields.Text(
        help="What is changed so that the problem does not happen again (纠正措施).",
        groups="aftersales_service.group_aftersales_user",
    )
    lessons_learned = fields.Text(
        help="What the team learned (经验教训), for the next time.",
        groups="aftersales_service.group_aftersales_user",
    )

    def _aftersales_system_fields(self):
        # set once by the escalation (complaint job or SLA): never by hand
        return super()._aftersales_system_fields() | {"complaint_escalated_date"}

    @api.depends("is_complaint")
    def _compute_complaint_grade_id(self):
        default = self.env["aftersales.complaint.grade"]
        if any(self.mapped("is_complaint")):
            default = default.search([], limit=1)
        for ticket in self:
            if not ticket.is_complaint:
                ticket.complaint_grade_id = False
            else:
                ticket.complaint_grade_id = ticket.complaint_grade_id or default

    @api.depends("is_complaint")
    def _compute_complaint_date(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.complaint_date = (ticket.complaint_date or now) if ticket.is_complaint else False

    @api.depends("complaint_date", "complaint_grade_id.time_limit_hours")
    def _compute_complaint_deadline(self):
        for ticket in self:
            grade = ticket.complaint_grade_id
            ticket.complaint_deadline = (
                ticket.complaint_date + timedelta(hours=grade.time_limit_hours)
                if grade and ticket.complaint_date
                else False
            )

    @api.depends("complaint_deadline", "is_closed")
    def _compute_complaint_overdue(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.complaint_overdue = bool(
                ticket.complaint_deadline
                and not ticket.is_closed
                and ticket.complaint_deadline < now
            )

    @api.constrains("complaint_date")
    def _check_complaint_date(self):
        # a date received in the future would put off the deadline and the escalation
        now = fields.Datetime.now()
        for ticket in self.filtered(lambda t: t.complaint_date and t.complaint_date > now):
            raise ValidationError(
                self.env._(
                    "The complaint %(ticket)s cannot be received on %(date)s, in the future: "
                    "enter the date and time the customer complained.",
                    ticket=ticket.display_name,
                    date=format_datetime(self.env, ticket.complaint_date),
                )
            )

    @api.constrains("stage_id", "root_cause", "corrective_action", "lessons_learned")
    def _check_complaint_closing(self):
        for ticket in self.filtered(lambda t: t.is_closed and t.is_complaint):
            missing = []
            if not ticket.complaint_grade_id:
                missing.append(self.env._("a complaint grade"))
            if not (ticket.root_cause or "").strip():
                missing.append(self.env._("the root cause"))
            if not (ticket.corrective_action or "").strip():
                missing.append(self.env._("the corrective action"))
            if not (ticket.lessons_learned or "").strip():
                missing.append(self.env._("the lessons learned"))
            if missing:
                raise ValidationError(
                    self.env._(
                        "Complaint %(ticket)s cannot be closed yet. Missing: %(missing)s. "
                        "Record them on the Complaint tab, then close it again.",
                        ticket=ticket.display_name,
                        missing=", ".join(missing),
                    )
                )
            # constraints run as superuser: check the real user (the cron's is superuser)
            group = ticket.complaint_grade_id.owner_group_id
            user = self.env.user
            if group and not user._is_superuser() and group not in user.all_group_ids:
                raise ValidationError(
                    self.env._(
                        "Only members of %(group)s can close or change a closed %(grade)s "
                        "complaint such as %(ticket)s: ask one of them.",
                        group=group.display_name,
                        grade=ticket.complaint_grade_id.name,
                        ticket=ticket.display_name,
                    )
                )

    # -- complaints (投诉分级处理)

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._notify_complaint_graded()
        return tickets

    def write(self, vals):
        self._check_complaint_change(vals)
        if not {"complaint_grade_id", "type_id"} & set(vals):
            return super().write(vals)
        grades = {t.id: t.complaint_grade_id for t in self}
        res = super().write(vals)
        self.filtered(lambda t: t.complaint_grade_id != grades[t.id])._notify_complaint_graded()
        return res

    def _check_complaint_change(self, vals):
        """The grade, the date received and the type of a complaint decide its deadline,
        its escalation and who closes it: only the grade's owner group or an after-sales
        manager changes them (the changes are tracked in the chatter)."""
        if not COMPLAINT_GUARDED_FIELDS & set(vals) or self.env.su:
            return
        user = self.env.user
        if user.has_group("aftersales_service.group_aftersales_manager"):
            return
        for ticket in self.filtered("is_complaint"):
            group = ticket.complaint_grade_id.owner_group_id
            changed = ticket._complaint_changed_fields(vals)
            if changed and group and group not in user.all_group_ids:
                raise UserError(
                    self.env._(
                        "Only members of %(group)s or an after-sales manager can change "
                        "%(fields)s of the %(grade)s complaint %(ticket)s: ask one of them.",
                        group=group.display_name,
                        fields=", ".join(changed),
                        grade=ticket.complaint_grade_id.name,
                        ticket=ticket.display_name,
                    )
                )

    def _complaint_changed_fields(self, vals):
        """The labels of the guarded complaint fields `vals` really changes on the ticket."""
        self.ensure_one()
        changed = []
        for name in COMPLAINT_GUARDED_FIELDS & set(vals):
            field = self._fields[name]
            old = self[name]
            if field.type == "many2one":
                differs = old.id != (vals[name] or False)
            else:
                differs = old != (fields.Datetime.to_datetime(vals[name]) or False)
            if differs:
                changed.append(field._description_string(self.env))
        return sorted(changed)

    def _notify_complaint_graded(self):
        """A complaint got its grade: the deadline is posted, management informed."""
        for ticket in self.filtered(lambda t: t.is_complaint and t.complaint_grade_id):
            grade = ticket.complaint_grade_id
            partners = (
                ticket._aftersales_management().partner_id
                if grade.inform_management
                else self.env["res.partner"]
            )
            ticket.message_post(
                body=self.env._(
                    "Complaint graded %(grade)s: to be handled by %(deadline)s; closing needs "
                    "%(group)s.",
                    grade=grade.name,
                    deadline=format_datetime(self.env, ticket.complaint_deadline),
                    group=grade.owner_group_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=partners.ids,
            )

    @api.model
    def _cron_escalate_complaints(self):
        """Hourly: escalate, once, the open complaints past their handling deadline."""
        overdue = self.sudo().search(
            [
                ("is_complaint", "=", True),
                ("is_closed", "=", False),
                ("complaint_deadline", "<", fields.Datetime.now()),
                ("complaint_escalated_date", "=", False),
            ]
        )
        return overdue._escalate_complaints()

    def _complaint_escalation_pending(self):
        """The complaints still to escalate. Hook: the SLA addon leaves out those it has
        already escalated (it sets complaint_escalated_date when it escalates a complaint)."""
        return self.filtered(lambda t: not t.complaint_escalated_date)

    def _escalate_complaints(self):
        """Escalate once: urgent priority, an activity for the team leader (else the
        engineer, else a manager) and, when the grade says so, the management informed."""
        todo = self._complaint_escalation_pending()
        todo._aftersales_system().write(
            {"complaint_escalated_date": fields.Datetime.now(), "priority": "3"}
        )
        for ticket in todo:
            grade = ticket.complaint_grade_id
            management = ticket._aftersales_management()
            owner = ticket.team_id.leader_id or ticket.user_id or management[:1]
            partners = owner.partner_id
            if grade.inform_management:
                partners |= management.partner_id
            body = self.env._(
                "Complaint %(ticket)s (%(grade)s) passed its handling deadline of %(deadline)s "
                "and is escalated.",
                ticket=ticket.display_name,
                grade=grade.name,
                deadline=format_datetime(self.env, ticket.complaint_deadline),
            )
            ticket.message_post(body=body, subtype_xmlid="mail.mt_note", partner_ids=partners.ids)
            if owner:
                ticket.activity_schedule(
                    "aftersales_service.mail_activity_type_complaint_escalation",
                    summary=self.env._("Overdue complaint: handle it now"),
                    note=body,
                    user_id=owner.id,
                )
        return todo
