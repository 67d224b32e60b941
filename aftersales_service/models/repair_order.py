from odoo import fields, models


class RepairOrder(models.Model):
    _inherit = "repair.order"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Service Ticket",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The service ticket that sent the product to the workshop.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            for repair in self.filtered("aftersales_ticket_id"):
                repair.aftersales_ticket_id.sudo()._parts_log_repair_state(repair)
        return res
