from datetime import timedelta

from odoo import api, fields, models

OLD_PART_STATES = [("due", "Due"), ("returned", "Returned")]


class AftersalesOldPart(models.Model):
    """旧件返还: a part replaced under warranty whose old part the engineer owes to the
    defective parts location."""

    _name = "aftersales.old.part"
    _description = "After-Sales Old Part Due"
    _order = "due_since, id"
    _check_company_auto = True

    part_line_id = fields.Many2one(
        "aftersales.part.line", required=True, ondelete="cascade", index=True
    )
    ticket_id = fields.Many2one(
        related="part_line_id.ticket_id", store=True, index=True, string="Ticket"
    )
    company_id = fields.Many2one(related="part_line_id.company_id", store=True, index=True)
    product_id = fields.Many2one(related="part_line_id.product_id", store=True, string="Part")
    quantity = fields.Float(digits="Product Unit", required=True)
    uom_id = fields.Many2one(related="part_line_id.product_uom_id", string="Unit")
    user_id = fields.Many2one("res.users", string="Engineer", required=True, index=True)
    due_since = fields.Datetime(required=True, default=fields.Datetime.now)
    state = fields.Selection(
        OLD_PART_STATES,
        compute="_compute_state",
        store=True,
        compute_sudo=True,
        index=True,
    )
    returned_date = fields.Datetime(compute="_compute_state", store=True, compute_sudo=True)
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    days_due = fields.Integer(string="Days Out", compute="_compute_is_overdue")

    _part_line_uniq = models.Constraint(
        "UNIQUE(part_line_id)", "A replaced part has one old-part line."
    )

    @api.depends(
        "quantity",
        "part_line_id.move_ids.state",
        "part_line_id.move_ids.quantity",
        "part_line_id.move_ids.date",
    )
    def _compute_state(self):
        for old in self:
            line = old.part_line_id
            moves = line.move_ids.filtered(
                lambda m: m.aftersales_part_role == "defective" and m.state == "done"
            )
            received = sum(line._move_qty(m, m.quantity) for m in moves)
            uom = line.product_uom_id
            if moves and uom and uom.compare(received, old.quantity) >= 0:
                old.state = "returned"
                old.returned_date = max(moves.mapped("date"))
            else:
                old.state = "due"
                old.returned_date = False

    def _overdue_limit(self, company):
        return fields.Datetime.now() - timedelta(days=company.aftersales_old_part_days or 7)

    @api.depends("state", "due_since")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for old in self:
            old.days_due = (now - old.due_since).days if old.due_since else 0
            old.is_overdue = old.state == "due" and old.due_since < old._overdue_limit(
                old.company_id or self.env.company
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        # one limit per company the user works in
        domain = fields.Domain.OR(
            [("company_id", "=", company.id), ("due_since", "<", self._overdue_limit(company))]
            for company in self.env.companies
        ) & fields.Domain("state", "=", "due")
        positive = (True in value) == (operator == "in")
        return domain if positive else ~domain
