from odoo import api, fields, models

# the numbers of 《部分商品修理更换退货责任规定》, the defaults of a 三包 policy
SANBAO_REPAIRS_BEFORE_EXCHANGE = 2
SANBAO_PARTS_WAIT_DAYS = 90
SANBAO_REPAIR_OVERDUE_DAYS = 30
SANBAO_REPAIR_GUARANTEE_DAYS = 30
SANBAO_PARTS_SUPPLY_YEARS = 5


class AftersalesWarrantyPolicy(models.Model):
    """The 三包 rule book of a policy: which rules apply and their numbers."""

    _inherit = "aftersales.warranty.policy"

    is_sanbao = fields.Boolean(
        string="三包 (China)",
        help="Apply the rules of the Chinese regulation on the repair, exchange and return of "
        "goods (《部分商品修理更换退货责任规定》): exchange or refund after repeated repairs, "
        "the 三包 period paused during repairs, exchange when parts or the repair take too "
        "long, repeat repairs within the repair guarantee, depreciation on refunds.",
    )
    sanbao_repair_count = fields.Integer(
        string="Repairs Before Exchange or Refund",
        default=SANBAO_REPAIRS_BEFORE_EXCHANGE,
        help="Rule 1: after this many repairs of the same serial for a performance fault "
        "within the 三包 period, a new performance fault entitles the customer to an "
        "exchange or a refund.",
    )
    sanbao_fault_category_ids = fields.Many2many(
        "aftersales.fault.category",
        "aftersales_policy_performance_fault_rel",
        "policy_id",
        "category_id",
        string="Performance Faults",
        help="Rule 1: the fault categories (and their subcategories) that are performance "
        "faults. Leave empty to count every fault category.",
    )
    sanbao_parts_wait_days = fields.Integer(
        string="Exchange When Parts Are Missing After (days)",
        default=SANBAO_PARTS_WAIT_DAYS,
        help="Rule 3: a product waiting for parts longer than this since it was handed in "
        "for repair is exchanged free of charge.",
    )
    sanbao_repair_overdue_days = fields.Integer(
        string="Repair Overdue After (days)",
        default=SANBAO_REPAIR_OVERDUE_DAYS,
        help="Rule 3: a repair open longer than this (time waiting for the producer's parts "
        "not counted) is the repairer's fault: the ticket is flagged, an exchange is offered "
        "and its cost is the repairer's.",
    )
    sanbao_repeat_days = fields.Integer(
        string="Repair Guarantee (days)",
        default=SANBAO_REPAIR_GUARANTEE_DAYS,
        help="Rule 5: a repaired product must work normally for this many days; a new ticket "
        "on the same serial within them is a repeat repair, whatever the fault.",
    )
    sanbao_supply_years = fields.Integer(
        string="Parts Supply After Discontinuation (years)",
        default=SANBAO_PARTS_SUPPLY_YEARS,
        help="Rule 7: spare parts of a discontinued product stay available this many years.",
    )
    exchange_warranty = fields.Selection(
        compute="_compute_exchange_warranty", store=True, readonly=False, precompute=True
    )

    _sanbao_numbers_positive = models.Constraint(
        "CHECK(sanbao_repair_count >= 1 AND sanbao_parts_wait_days >= 0 "
        "AND sanbao_repair_overdue_days >= 0 AND sanbao_repeat_days >= 0 "
        "AND sanbao_supply_years >= 0)",
        "The numbers of the 三包 rules cannot be negative, and at least one repair comes "
        "before an exchange.",
    )

    @api.depends("is_sanbao")
    def _compute_exchange_warranty(self):
        # rule 4: after a 三包 exchange the period restarts from the exchange
        for policy in self:
            if policy.is_sanbao or not policy.exchange_warranty:
                policy.exchange_warranty = "restart"

    def _is_performance_fault(self, category):
        """Whether the fault category `category` is a performance fault of the policy."""
        self.ensure_one()
        if not category:
            return False
        performance = self.sanbao_fault_category_ids
        if not performance:
            return True
        ancestors = {int(part) for part in (category.parent_path or "").split("/") if part}
        return bool(ancestors & set(performance.ids)) or category in performance
