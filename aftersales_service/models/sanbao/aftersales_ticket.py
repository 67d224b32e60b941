from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_date

from ..warranty.dates import local_date

WINDOWS = ("refund", "exchange", "repair")
WORK_ROLES = ("in_progress", "waiting_parts")

# what a 三包 rule found on a ticket: (rule, values of its reason)
RULE_REPEATED_REPAIRS = "repeated_repairs"
RULE_PARTS_OVERDUE = "parts_overdue"
RULE_REPAIR_OVERDUE = "repair_overdue"


class AftersalesTicket(models.Model):
    """三包 rule book on a ticket: rules 1 and 3 in the coverage decision and its reason,
    the repair and waiting days of rule 2, the repair guarantee of rule 5, the depreciation
    of rule 6."""

    _inherit = "aftersales.ticket"

    coverage_reason = fields.Text(
        string="Why",
        compute="_compute_coverage_reason",
        help="Why the coverage decision is what it is: the window of the claim date and the "
        "三包 rules that apply.",
    )
    sanbao_repair_start = fields.Datetime(
        string="Handed In for Repair",
        copy=False,
        help="When the product was handed in (or the on-site repair started): the repair and "
        "waiting days of 三包 rule 2 and the limits of rule 3 count from it.",
    )
    sanbao_waiting_since = fields.Datetime(string="Waiting for Parts Since", copy=False)
    sanbao_waiting_days = fields.Integer(
        string="Days Waiting for Parts",
        copy=False,
        help="Days spent in the waiting-parts stage, before the current wait.",
    )
    sanbao_repair_days = fields.Integer(
        string="Repair and Waiting Days",
        copy=False,
        help="三包 rule 2: days from handing in (or the on-site start) to closing; the "
        "warranty's 三包 period moves out by them.",
    )
    sanbao_parts_overdue = fields.Boolean(
        string="Parts Overdue (三包)",
        copy=False,
        help="三包 rule 3: the product has waited for parts longer than the policy allows "
        "since it was handed in: the customer is entitled to a free exchange.",
    )
    sanbao_repair_overdue = fields.Boolean(
        string="Repair Overdue (三包)",
        copy=False,
        help="三包 rule 3: the repair has been open longer than the policy allows, time "
        "waiting for the producer's parts not counted: an exchange is offered.",
    )
    sanbao_repairer_cost = fields.Boolean(
        string="Cost Borne by the Repairer",
        copy=False,
        help="三包 rule 3: the repair is overdue through the repairer's own fault, so the "
        "repairer pays for the exchange.",
    )
    sanbao_depreciation_amount = fields.Float(
        string="Depreciation Deducted",
        digits="Product Price",
        copy=False,
        help="三包 rule 6: deducted from the refund of a used product.",
    )
    sanbao_depreciation_note = fields.Text(string="Depreciation Computation", copy=False)

    def _aftersales_system_fields(self):
        return super()._aftersales_system_fields() | {
            "sanbao_repair_start",
            "sanbao_waiting_since",
            "sanbao_waiting_days",
            "sanbao_repair_days",
            "sanbao_parts_overdue",
            "sanbao_repair_overdue",
            "sanbao_repairer_cost",
            "sanbao_depreciation_amount",
            "sanbao_depreciation_note",
        }

    # ------------------------------------------------------------ coverage (rules 1 and 3)

    @api.depends(
        "warranty_id.state",
        "warranty_id.refund_end_date",
        "warranty_id.exchange_end_date",
        "warranty_id.end_date",
        "warranty_id.policy_id.is_sanbao",
        "warranty_id.start_date",
        "warranty_claim_date",
        "warranty_excluded",
        "product_id",
        "lot_id",
        "fault_category_id",
        "sanbao_parts_overdue",
        "sanbao_repair_overdue",
    )
    def _compute_coverage(self):
        res = super()._compute_coverage()
        findings = self._sanbao_findings()
        for ticket in self:
            rules = {rule for rule, _values in findings.get(ticket.id, [])}
            if RULE_REPEATED_REPAIRS in rules:
                ticket.coverage = "refund"
            elif rules and ticket.coverage != "refund":
                ticket.coverage = "exchange"
        return res

    def _sanbao_findings(self):
        """{ticket id: [(rule, values)]}: the 三包 rules that change the decision of the
        tickets in a window of a 三包 policy. One query for the batch."""
        tickets = self.filtered(
            lambda t: (
                not t.warranty_excluded
                and t.warranty_id.policy_id.is_sanbao
                and t.warranty_id.state != "void"
                and t.warranty_id._get_window(t.warranty_claim_date) in WINDOWS
            )
        )
        earlier = tickets._sanbao_earlier_repairs()
        findings = defaultdict(list)
        for ticket in tickets:
            policy = ticket.warranty_id.policy_id
            repairs = earlier.get(ticket.id, self.browse())
            if len(repairs) >= policy.sanbao_repair_count and policy._is_performance_fault(
                ticket.fault_category_id
            ):
                findings[ticket.id].append((RULE_REPEATED_REPAIRS, {"repairs": repairs}))
            if ticket.sanbao_parts_overdue:
                findings[ticket.id].append((RULE_PARTS_OVERDUE, {"policy": policy}))
            if ticket.sanbao_repair_overdue:
                findings[ticket.id].append((RULE_REPAIR_OVERDUE, {"policy": policy}))
        return findings

    def _sanbao_earlier_repairs(self):
        """{ticket id: earlier tickets}: repairs of the same serial, for a performance fault
        of the policy, within the 三包 period, closed as repaired (三包 rule 1). Earlier is
        recorded before: a closed ticket's decision does not change with later repairs."""
        tickets = self.filtered(lambda t: t.lot_id and t.fault_category_id)
        if not tickets:
            return {}
        candidates = self.sudo().search(
            [
                ("lot_id", "in", tickets.lot_id.ids),
                ("is_closed", "=", True),
                ("warranty_excluded", "=", False),
                ("coverage_action", "not in", ["exchange", "refund"]),
                ("coverage", "in", list(WINDOWS)),
                ("fault_category_id", "!=", False),
            ],
            order="closed_date, id",
        )
        result = {}
        for ticket in tickets:
            warranty = ticket.warranty_id
            policy = warranty.policy_id
            result[ticket.id] = candidates.filtered(
                lambda other, t=ticket, w=warranty, p=policy: (
                    other.lot_id == t.lot_id
                    and (not isinstance(t.id, int) or other.id < t.id)
                    and other.warranty_claim_date
                    and other.warranty_claim_date >= w.start_date
                    and p._is_performance_fault(other.fault_category_id)
                )
            ).sudo(False)
        return result

    @api.depends_context("lang")
    @api.depends("coverage", "warranty_id", "warranty_claim_date", "warranty_exclusion_reason")
    def _compute_coverage_reason(self):
        findings = self._sanbao_findings()
        for ticket in self:
            reasons = [ticket._coverage_window_reason()]
            reasons += [
                ticket._sanbao_rule_reason(rule, values)
                for rule, values in findings.get(ticket.id, [])
            ]
            reasons.append(ticket._sanbao_paused_reason())
            ticket.coverage_reason = "\n".join(reason for reason in reasons if reason) or False

    def _coverage_window_reason(self):
        """The reason of the decision from the windows of the warranty alone."""
        self.ensure_one()
        _ = self.env._
        warranty = self.warranty_id.sudo()
        claim = format_date(self.env, self.warranty_claim_date)
        if self.warranty_excluded:
            return _("Excluded: %(reason)s", reason=self.warranty_exclusion_reason or "-")
        if not warranty:
            return self.product_id and _("No warranty of this customer covers the product.")
        if warranty.state == "void":
            return _("Out of warranty: warranty %(number)s is void.", number=warranty.number)
        window = warranty._get_window(self.warranty_claim_date)
        messages = {
            "refund": (
                _("Refund window open: claimed on %(claim)s, refund until %(end)s."),
                warranty.refund_end_date,
            ),
            "exchange": (
                _("Exchange window open: claimed on %(claim)s, exchange until %(end)s."),
                warranty.exchange_end_date,
            ),
            "repair": (
                _("In repair warranty: claimed on %(claim)s, free repair until %(end)s."),
                warranty.end_date,
            ),
            "out": (
                _("Out of warranty: claimed on %(claim)s, the warranty ended on %(end)s."),
                warranty.end_date,
            ),
        }
        message, end = messages[window]
        return message % {"claim": claim, "end": format_date(self.env, end)}

    def _sanbao_rule_reason(self, rule, values):
        _ = self.env._
        policy = values.get("policy")
        if rule == RULE_REPEATED_REPAIRS:
            repairs = values["repairs"].sudo()
            return _(
                "Exchange or refund: repaired %(count)s times for a performance fault within "
                "the 三包 period (%(tickets)s).",
                count=len(repairs),
                tickets=", ".join(repairs.mapped("number")),
            )
        if rule == RULE_PARTS_OVERDUE:
            return _(
                "Free exchange: waiting for parts more than %(days)s days since the product "
                "was handed in for repair on %(date)s.",
                days=policy.sanbao_parts_wait_days,
                date=format_date(self.env, self.sanbao_repair_start),
            )
        return _(
            "Exchange at the repairer's cost: the repair has been open more than %(days)s "
            "days since %(date)s (time waiting for parts not counted).",
            days=policy.sanbao_repair_overdue_days,
            date=format_date(self.env, self.sanbao_repair_start),
        )

    def _sanbao_paused_reason(self):
        warranty = self.warranty_id.sudo()
        if not warranty.sanbao_paused_days:
            return False
        return self.env._(
            "The 三包 period does not count %(days)s days of repair and waiting: the warranty "
            "ends on %(end)s instead of %(original)s.",
            days=warranty.sanbao_paused_days,
            end=format_date(self.env, warranty.end_date),
            original=format_date(self.env, warranty.original_end_date),
        )

    @api.depends(
        "coverage",
        "coverage_action",
        "is_closed",
        "quotation_id.state",
        "warranty_id.picking_id",
        "warranty_id.policy_id.is_sanbao",
    )
    def _compute_can_warranty_actions(self):
        # a free repair that a 三包 rule turns into an exchange (or refund) may still take it
        res = super()._compute_can_warranty_actions()
        for ticket in self.filtered(
            lambda t: (
                not t.is_closed
                and t.coverage_action == "repair"
                and t.warranty_id.policy_id.is_sanbao
                and t.warranty_id.sudo().picking_id
            )
        ):
            ticket.can_warranty_exchange = ticket.coverage in ("refund", "exchange")
            ticket.can_warranty_refund = ticket.coverage == "refund"
        return res

    # ------------------------------------------------------------ repair and waiting days

    def _on_stage_entered(self):
        res = super()._on_stage_entered()
        now = fields.Datetime.now()
        writes = defaultdict(list)
        for ticket in self:
            role = ticket.stage_id.role
            vals = {}
            if role in WORK_ROLES and not ticket.sanbao_repair_start:
                starts = [d for d in (ticket.arrival_date, ticket.work_start_date) if d]
                vals["sanbao_repair_start"] = min([now, *starts])
            if role == "waiting_parts" and not ticket.sanbao_waiting_since:
                vals["sanbao_waiting_since"] = now
            elif role != "waiting_parts" and ticket.sanbao_waiting_since:
                vals["sanbao_waiting_since"] = False
                vals["sanbao_waiting_days"] = ticket.sanbao_waiting_days + ticket._days_between(
                    ticket.sanbao_waiting_since, now
                )
            if vals:
                writes[tuple(sorted(vals.items()))].append(ticket.id)
        self._sanbao_write_grouped(writes)
        self.filtered(lambda t: not t.is_closed)._sanbao_update_flags()
        return res

    def _on_closed(self):
        res = super()._on_closed()
        writes = defaultdict(list)
        for ticket in self:
            start = ticket.sanbao_repair_start or min(
                [d for d in (ticket.arrival_date, ticket.work_start_date) if d], default=False
            )
            if start:
                days = ticket._days_between(start, ticket.closed_date)
                writes[(("sanbao_repair_days", days), ("sanbao_repair_start", start))].append(
                    ticket.id
                )
        self._sanbao_write_grouped(writes)
        return res

    def _sanbao_write_grouped(self, writes):
        """One write per set of values: {sorted (field, value) pairs: ticket ids}."""
        for items, ids in writes.items():
            self.browse(ids)._aftersales_system().write(dict(items))

    def _on_reopened(self):
        res = super()._on_reopened()
        self.filtered("sanbao_repair_days")._aftersales_system().write({"sanbao_repair_days": 0})
        return res

    def _days_between(self, start, end):
        """Calendar days from `start` to `end` (UTC datetimes) in the customer's time zone."""
        self.ensure_one()
        tz = self.warranty_id.sudo()._customer_tz() if self.warranty_id else "UTC"
        return max((local_date(end, tz) - local_date(start, tz)).days, 0)

    def _sanbao_days_so_far(self):
        """Repair and waiting days of the ticket until now (or its closing)."""
        self.ensure_one()
        if not self.sanbao_repair_start or self.sanbao_repair_days:
            return 0
        return self._days_between(self.sanbao_repair_start, fields.Datetime.now())

    # ------------------------------------------------------------ rule 3 flags

    def _sanbao_update_flags(self):
        """Flag the open repairs of a 三包 policy that wait too long for parts, or whose
        repair is overdue (三包 rule 3). A flag stays once raised."""
        now = fields.Datetime.now()
        for ticket in self.filtered(
            lambda t: (
                not t.is_closed and t.sanbao_repair_start and t.warranty_id.policy_id.is_sanbao
            )
        ):
            policy = ticket.warranty_id.policy_id
            open_days = ticket._days_between(ticket.sanbao_repair_start, now)
            waiting = ticket.sanbao_waiting_days + (
                ticket._days_between(ticket.sanbao_waiting_since, now)
                if ticket.sanbao_waiting_since
                else 0
            )
            vals = {}
            if (
                not ticket.sanbao_parts_overdue
                and ticket.sanbao_waiting_since
                and open_days > policy.sanbao_parts_wait_days
            ):
                vals["sanbao_parts_overdue"] = True
            if (
                not ticket.sanbao_repair_overdue
                and open_days - waiting > policy.sanbao_repair_overdue_days
            ):
                vals.update(sanbao_repair_overdue=True, sanbao_repairer_cost=True)
            if vals:
                ticket._aftersales_system().write(vals)
                ticket.message_post(body=ticket.coverage_reason, subtype_xmlid="mail.mt_note")

    def _repeat_any_fault_days(self):
        # 三包 rule 5: a repaired product must work normally for the repair guarantee
        self.ensure_one()
        policy = self.warranty_id.sudo().policy_id
        if self.lot_id and policy.is_sanbao:
            return policy.sanbao_repeat_days
        return super()._repeat_any_fault_days()

    @api.model
    def _cron_sanbao_rules(self):
        """Daily: raise the 三包 rule 3 flags of open repairs."""
        self.search(
            [
                ("is_closed", "=", False),
                ("sanbao_repair_start", "!=", False),
                ("warranty_id.policy_id.is_sanbao", "=", True),
            ]
        )._sanbao_update_flags()
