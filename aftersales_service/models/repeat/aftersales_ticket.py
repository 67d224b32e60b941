from datetime import timedelta

from odoo import api, fields, models

DEFAULT_REPEAT_WINDOW = 90


class AftersalesTicket(models.Model):
    """不允许同一问题重复修理: a ticket on the same serial (or customer and product) and fault
    category as one closed within the team's window is a repeat repair; first-time fix is
    the KPI that follows from it."""

    _inherit = "aftersales.ticket"

    repeat_of_id = fields.Many2one(
        "aftersales.ticket",
        compute="_compute_repeat_of_id",
        store=True,
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The earlier closed ticket on the same serial (or customer and product) with "
        "the same fault category, within the team's repeat window.",
    )
    is_repeat = fields.Boolean(
        string="Repeat Repair", compute="_compute_is_repeat", store=True, index=True
    )
    repeat_ticket_ids = fields.One2many(
        "aftersales.ticket", "repeat_of_id", string="Repeat Tickets", readonly=True
    )
    first_time_fix = fields.Boolean(
        compute="_compute_first_time_fix",
        store=True,
        help="A closed ticket that was not a repeat and whose fault did not come back "
        "within the repeat window.",
    )

    @api.depends("lot_id", "product_id", "commercial_partner_id", "fault_category_id", "company_id")
    def _compute_repeat_of_id(self):
        todo = self.filtered(
            lambda t: (
                not t.is_closed
                and (t.fault_category_id or (t.lot_id and t._repeat_any_fault_days()))
                and (t.lot_id or (t.product_id and t.commercial_partner_id))
            )
        )
        for ticket in self - todo:
            if not ticket.is_closed:
                ticket.repeat_of_id = False
        if not todo:
            return
        earlier = todo._find_earlier_tickets()
        for ticket in todo:
            ticket.repeat_of_id = next(
                (other for other in earlier if ticket._is_repeat_of(other)), False
            )

    def _repeat_reference_date(self):
        return self.create_date or fields.Datetime.now()

    def _repeat_window(self):
        days = self.team_id.repeat_window_days if self.team_id else DEFAULT_REPEAT_WINDOW
        return timedelta(days=days)

    def _find_earlier_tickets(self):
        """Closed tickets that may be repeated by one of `self`: one query for the batch."""
        oldest = min(
            t._repeat_reference_date()
            - max(t._repeat_window(), timedelta(days=t._repeat_any_fault_days()))
            for t in self
        )
        lots = self.lot_id
        with_product = self.filtered(lambda t: not t.lot_id)
        domain = [
            ("is_closed", "=", True),
            ("closed_date", ">=", oldest),
            ("company_id", "in", self.company_id.ids),
            ("id", "not in", [i for i in self.ids if isinstance(i, int)]),
        ]
        if not any(t._repeat_any_fault_days() for t in self):
            domain.append(("fault_category_id", "in", self.fault_category_id.ids))
        lot_domain = [("lot_id", "in", lots.ids)] if lots else []
        product_domain = (
            [
                ("product_id", "in", with_product.product_id.ids),
                ("commercial_partner_id", "in", with_product.commercial_partner_id.ids),
            ]
            if with_product
            else []
        )
        if lot_domain and product_domain:
            domain += ["|", *lot_domain, "&", *product_domain]
        else:
            domain += lot_domain or product_domain
        return self.sudo().search(domain, order="closed_date desc, id desc").sudo(False)

    def _is_repeat_of(self, other):
        if other.company_id != self.company_id:
            return False
        reference = self._repeat_reference_date()
        any_fault_days = self._repeat_any_fault_days()
        if (
            any_fault_days
            and self.lot_id
            and other.lot_id == self.lot_id
            and other.closed_date >= reference - timedelta(days=any_fault_days)
        ):
            # the product failed again within the repair guarantee: whatever the fault
            return True
        if not self.fault_category_id or other.fault_category_id != self.fault_category_id:
            return False
        if self.lot_id:
            same_item = other.lot_id == self.lot_id
        else:
            same_item = (
                other.product_id == self.product_id
                and other.commercial_partner_id == self.commercial_partner_id
            )
        # closed within the window before this ticket was reported (or at any time since)
        return same_item and other.closed_date >= reference - self._repeat_window()

    @api.depends("repeat_of_id")
    def _compute_is_repeat(self):
        for ticket in self:
            ticket.is_repeat = bool(ticket.repeat_of_id)

    @api.depends("is_closed", "is_repeat", "repeat_ticket_ids")
    def _compute_first_time_fix(self):
        for ticket in self:
            ticket.first_time_fix = (
                ticket.is_closed and not ticket.is_repeat and not ticket.repeat_ticket_ids
            )

    def action_open_repeat_of(self):
        self.ensure_one()
        return self._action_open_record(self.repeat_of_id)
