from odoo import models
from odoo.exceptions import AccessError, UserError


class AftersalesTeam(models.Model):
    _inherit = "aftersales.team"

    def _field_warehouse(self):
        """The team's spare parts warehouse, else the company's first."""
        self.ensure_one()
        return self.warehouse_id or self.env["stock.warehouse"].sudo().search(
            [("company_id", "=", self.company_id.id or self.env.company.id)], limit=1
        )

    def action_create_vans(self):
        """Give each engineer of the teams a van location (车载库存) under the team's spare
        parts warehouse; engineers who have one keep it."""
        user = self.env.user
        if not self.env.su and not (
            user.has_group("stock.group_stock_manager")
            or user.has_group("aftersales_service.group_aftersales_manager")
        ):
            raise AccessError(
                self.env._("Only inventory or after-sales managers create the engineers' vans.")
            )
        Location = self.env["stock.location"].sudo()
        created = Location
        for team in self:
            warehouse = team._field_warehouse()
            if not warehouse:
                raise UserError(
                    self.env._(
                        "Team %(team)s has no spare parts warehouse: choose one on the team "
                        "first.",
                        team=team.name,
                    )
                )
            for user in team.member_ids | team.leader_id:
                if user._aftersales_van(warehouse.company_id):
                    continue
                created |= Location.create(
                    {
                        "name": self.env._("Van %(engineer)s", engineer=user.name),
                        "usage": "internal",
                        # beside the spare parts location, not inside it: a reservation from
                        # the spare parts never takes what is in a van
                        "location_id": warehouse.view_location_id.id,
                        "company_id": warehouse.company_id.id,
                        "aftersales_van_user_id": user.id,
                    }
                )
        return created
