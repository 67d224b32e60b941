from odoo import api, models


class AftersalesSmartButtonMixin(models.AbstractModel):
    """Counts and list actions for the smart buttons that other records (customers,
    products, serials, orders, transfers) show for tickets and warranties."""

    _name = "aftersales.smart.button.mixin"
    _description = "After-Sales Smart Buttons"
    _aftersales_action_xmlid = None  # the list action of the inheriting model

    @api.model
    def _count_by(self, field_name, ids):
        """{id: number of records} for the records `ids` of the many2one `field_name`."""
        groups = self._read_group([(field_name, "in", ids)], [field_name], ["__count"])
        return {record.id: count for record, count in groups}

    @api.model
    def _action_for(self, domain, context=None):
        """The model's list action, restricted to `domain`."""
        action = self.env["ir.actions.act_window"]._for_xml_id(self._aftersales_action_xmlid)
        action["domain"] = domain
        action["context"] = context or {}
        return action

    def _action_open_record(self, record):
        """A window action showing `record` in its form."""
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _action_view_pickings(self, field_name):
        """The transfers of this ticket through the picking field `field_name`."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [(field_name, "=", self.id)]
        action["context"] = {"create": False}
        return action
