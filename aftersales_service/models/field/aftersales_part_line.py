from odoo import fields, models


class AftersalesPartLine(models.Model):
    _inherit = "aftersales.part.line"

    # a part from the engineer's van is issued on site at once: the warehouse neither
    # reserves nor issues it (like the parts brought by the customer), the van's stock move
    # is done when the engineer records it
    source = fields.Selection(
        selection_add=[("van", "From the Engineer's Van")], ondelete={"van": "set default"}
    )
    old_part_ids = fields.One2many("aftersales.old.part", "part_line_id", string="Old Parts Due")

    def _field_old_parts_due(self, user):
        """Old-part lines for the replaced parts under warranty of these lines (once each)."""
        lines = self.filtered(lambda line: line.covered_by_warranty and not line.old_part_ids)
        return (
            self.env["aftersales.old.part"]
            .sudo()
            .create(
                [
                    {
                        "part_line_id": line.id,
                        "quantity": line.product_uom_qty,
                        "user_id": (user or line.ticket_id.user_id or self.env.user).id,
                    }
                    for line in lines
                ]
            )
        )
