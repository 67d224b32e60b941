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
