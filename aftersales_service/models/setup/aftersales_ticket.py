from odoo import api, fields, models


class AftersalesTicket(models.Model):
    """安装调试/培训/保养: installation and training tickets of sold products and the tickets of
    maintenance plans."""

    _inherit = "aftersales.ticket"

    # installation, training and maintenance plans
    maintenance_plan_id = fields.Many2one(
        "aftersales.maintenance.plan", readonly=True, copy=False, index="btree_not_null"
    )
    maintenance_date = fields.Date(string="Scheduled Maintenance", readonly=True, copy=False)

    _maintenance_date_uniq = models.UniqueIndex(
        "(maintenance_plan_id, maintenance_date) WHERE maintenance_plan_id IS NOT NULL",
        "A maintenance plan generates one ticket per date.",
    )

    @api.model
    def _installation_trigger(self):
        """When installation and training tickets are created: 'confirm' or 'delivery'."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("aftersales_service.installation_trigger")
        )
        return value if value in ("confirm", "delivery") else "confirm"

    # -- installation and training tickets from sale orders

    @api.model
    def _setup_ticket_types(self):
        """{product flag: ticket type} of the tickets created for sold products."""
        Type = self.env["aftersales.ticket.type"].sudo()
        return {
            "aftersales_requires_installation": Type.search(
                [("code", "=", "installation")], limit=1
            ),
            "aftersales_includes_training": Type.search([("code", "=", "training")], limit=1),
        }

    @api.model
    def _create_setup_tickets(self, order_lines):
        """Installation (安装调试) and training tickets of confirmed order lines: one per line
        and kind, never twice."""
        types = self._setup_ticket_types()
        lines = order_lines.filtered(lambda ln: not ln.display_type and ln.product_id)
        # (line, type) pairs that have their ticket already
        done = {key[:2] for key in self._existing_setup_tickets(lines, types)}
        vals_list = []
        for line in lines:
            for flag, ticket_type in types.items():
                if not ticket_type or not line.product_id.product_tmpl_id[flag]:
                    continue
                if (line.id, ticket_type.id) in done:
                    continue
                done.add((line.id, ticket_type.id))
                vals_list.append(self._prepare_setup_ticket_vals(line, ticket_type))
        return self.sudo().create(vals_list) if vals_list else self.browse()

    @api.model
    def _create_setup_tickets_from_deliveries(self, move_lines):
        """Delivered products: with the 'delivery' setting, an installation ticket per
        delivered serial (per line without serials) and a training ticket per line; with the
        'confirm' setting, the serials go to the tickets made at confirmation."""
        types = self._setup_ticket_types()
        move_lines = move_lines.filtered(
            lambda ml: (
                ml.state == "done"
                and ml.location_dest_id.usage == "customer"
                and ml.location_id.usage != "customer"
                and ml.move_id.sale_line_id
                and ml.quantity > 0
            )
        )
        existing = self._existing_setup_tickets(move_lines.move_id.sale_line_id, types)
        create = self._installation_trigger() == "delivery"
        vals_list = []
        for move_line in move_lines:
            line = move_line.move_id.sale_line_id
            for flag, ticket_type in types.items():
                if not ticket_type or not line.product_id.product_tmpl_id[flag]:
                    continue
                per_serial = flag == "aftersales_requires_installation"
                lot = move_line.lot_id if per_serial else self.env["stock.lot"]
                if (line.id, ticket_type.id, lot.id or False) in existing:
                    continue
                unlinked = existing.get((line.id, ticket_type.id, False))
                if lot and unlinked:
                    # a ticket made at confirmation gets the first delivered serial
                    unlinked.sudo().lot_id = lot
                    del existing[(line.id, ticket_type.id, False)]
                    existing[(line.id, ticket_type.id, lot.id)] = unlinked
                elif create:
                    existing[(line.id, ticket_type.id, lot.id or False)] = self.browse()
                    vals_list.append(self._prepare_setup_ticket_vals(line, ticket_type, lot))
        return self.sudo().create(vals_list) if vals_list else self.browse()

    @api.model
    def _existing_setup_tickets(self, lines, types):
        """{(order line, type, serial or False): ticket} of the setup tickets already made."""
        tickets = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("sale_line_id", "in", lines.ids),
                    ("type_id", "in", [t.id for t in types.values() if t]),
                ],
                order="id",
            )
        )
        return {(t.sale_line_id.id, t.type_id.id, t.lot_id.id or False): t for t in tickets}

    @api.model
    def _prepare_setup_ticket_vals(self, line, ticket_type, lot=None):
        order = line.order_id
        commitment, now = order.commitment_date, fields.Datetime.now()
        return {
            "name": self.env._(
                "%(service)s: %(product)s (%(order)s)",
                service=ticket_type.name,
                product=line.product_id.display_name,
                order=order.name,
            ),
            "partner_id": (order.partner_shipping_id or order.partner_id).id,
            "company_id": order.company_id.id,
            "type_id": ticket_type.id,
            "product_id": line.product_id.id,
            "lot_id": lot.id if lot else False,
            "sale_order_id": order.id,
            "sale_line_id": line.id,
            # a commitment date already past is no request for a visit any more
            "requested_date": commitment if commitment and commitment > now else False,
        }
