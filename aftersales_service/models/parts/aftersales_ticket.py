from odoo import api, fields, models
from odoo.exceptions import UserError

from .reuse import add_reused_parts


class AftersalesTicket(models.Model):
    """备品备件: spare parts of a ticket through Inventory (reserve, issue, consume, return
    unused and defective parts, return to the vendor) and the workshop repair. Stock
    documents are written as superuser once the ticket is checked: engineers need no
    Inventory rights."""

    _inherit = "aftersales.ticket"

    part_line_ids = fields.One2many(
        "aftersales.part.line", "ticket_id", string="Spare Parts", copy=False
    )
    parts_warehouse_id = fields.Many2one(
        "stock.warehouse",
        compute="_compute_parts_warehouse_id",
        help="The team's spare parts warehouse, else the company's first warehouse.",
    )
    parts_picking_ids = fields.One2many(
        "stock.picking", "aftersales_ticket_id", string="Parts Transfers", readonly=True
    )
    parts_picking_count = fields.Integer(compute="_compute_parts_picking_count")
    parts_availability = fields.Selection(
        [
            ("to_reserve", "To Reserve"),
            ("waiting", "Waiting Parts"),
            ("reserved", "Reserved"),
            ("issued", "Issued"),
        ],
        compute="_compute_parts_availability",
        compute_sudo=True,
        help="Where the spare parts from company stock are: not reserved yet, waiting for "
        "stock, all reserved, or all issued.",
    )
    parts_previous_stage_id = fields.Many2one(
        "aftersales.ticket.stage",
        readonly=True,
        copy=False,
        help="The stage the ticket goes back to when its parts are all reserved.",
    )
    repair_order_id = fields.Many2one(
        "repair.order", string="Workshop Repair", readonly=True, copy=False, index="btree_not_null"
    )
    repair_state = fields.Selection(
        related="repair_order_id.state", string="Workshop Repair Status"
    )
    repair_ref = fields.Char(related="repair_order_id.name", string="Workshop Repair Reference")
    vendor_defect = fields.Boolean(
        string="Bought-in Component Defect",
        tracking=True,
        copy=False,
        help="The defect comes from a bought-in component (外协/配套件): the defective parts go "
        "back to the vendor and Purchasing handles the claim.",
        groups="aftersales_service.group_aftersales_user",
    )
    defect_vendor_id = fields.Many2one(
        "res.partner",
        string="Component Vendor",
        tracking=True,
        copy=False,
        help="Vendor of the defective component; else the vendor of each part line.",
        groups="aftersales_service.group_aftersales_user",
    )

    @api.depends("team_id.warehouse_id", "company_id")
    def _compute_parts_warehouse_id(self):
        Warehouse = self.env["stock.warehouse"].sudo()
        defaults = {}
        for ticket in self:
            company = ticket.company_id or self.env.company
            warehouse = ticket.team_id.warehouse_id
            if not warehouse or warehouse.company_id != company:
                domain = [("company_id", "=", company.id)]
                if company.id not in defaults:
                    defaults[company.id] = Warehouse.search(domain, limit=1)
                warehouse = defaults[company.id]
            ticket.parts_warehouse_id = warehouse

    def _compute_parts_picking_count(self):
        Picking = self.env["stock.picking"].sudo()
        domain = [("aftersales_ticket_id", "in", self.ids)]
        counts = dict(Picking._read_group(domain, ["aftersales_ticket_id"], ["__count"]))
        for ticket in self:
            ticket.parts_picking_count = counts.get(ticket._origin, 0)

    @api.depends("part_line_ids.state", "part_line_ids.source")
    def _compute_parts_availability(self):
        for ticket in self:
            lines = ticket.part_line_ids.filtered(lambda line: line.source == "stock")
            open_moves = lines._open_issue_moves().filtered(lambda m: m.state != "draft")
            if not lines:
                ticket.parts_availability = False
            elif all(line.state in ("issued", "consumed", "returned") for line in lines):
                ticket.parts_availability = "issued"
            elif any(move.state != "assigned" for move in open_moves):
                ticket.parts_availability = "waiting"
            elif all(line.state != "to_reserve" for line in lines):
                ticket.parts_availability = "reserved"
            else:
                ticket.parts_availability = "to_reserve"

    def _parts_check_editable(self):
        self.check_access("write")
        closed = self.filtered("is_closed")
        if closed:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is closed: its spare parts cannot move any more.",
                    ticket=closed[0].display_name,
                )
            )

    # ------------------------------------------------------------ reserve and issue

    def action_reserve_parts(self):
        """Reserve the parts from company stock in one transfer per ticket."""
        self._parts_check_editable()
        for ticket in self.sudo():
            if not ticket._parts_lines_to_issue():
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s has no spare parts from company stock to reserve: "
                        "add the part lines first.",
                        ticket=ticket.display_name,
                    )
                )
        self._reserve_parts()
        return True

    def _on_stage_entered(self):
        """Reserve the spare parts of the tickets entering their dispatched stage (a setting
        of the company); missing parts put them in the waiting-parts stage."""
        res = super()._on_stage_entered()
        if self.env.context.get("aftersales_parts_stage_sync"):
            return res
        todo = self.sudo().filtered(
            lambda t: (
                t.stage_id.role == "dispatched"
                and not t.is_closed
                and t.company_id.aftersales_reserve_parts_on_dispatch
                and t._parts_lines_to_issue()
            )
        )
        if todo:
            todo._reserve_parts()
        return res

    def _on_closed(self):
        """Closing consumes the issued parts not brought back and releases the others."""
        res = super()._on_closed()
        self._parts_on_close()
        return res

    def _on_archived(self):
        """An archived (cancelled) ticket releases its parts: open transfers cancelled."""
        res = super()._on_archived()
        self.sudo()._cancel_parts()
        return res

    def _prepare_quotation_part_lines(self):
        """The spare parts lines not covered by the warranty, at their sale price."""
        lines = super()._prepare_quotation_part_lines()
        return lines + self.part_line_ids._prepare_quotation_line_vals()

    def _add_parts_used_by(self, tickets):
        return super()._add_parts_used_by(tickets) + add_reused_parts(self, tickets)

    def _parts_lines_to_issue(self):
        return self.part_line_ids.filtered(
            lambda line: (
                line.source == "stock"
                and not line.consumed
                and not any(m.aftersales_part_role == "repair" for m in line.move_ids)
            )
        )

    def _reserve_parts(self):
        """Create or update the open parts transfer of each ticket, confirm it and reserve.

        One open transfer per ticket (origin: the ticket number): new lines become new moves,
        changed quantities change the open moves. Quants are locked first, so that two
        tickets never both reserve the last unit (`_aftersales_lock_for_reservation`).
        """
        tickets = self.sudo().filtered(lambda t: not t.is_closed)
        tickets._lock_for_update()  # two reservations of a ticket: one open transfer
        Picking = self.env["stock.picking"].sudo()
        pickings = Picking
        new_pickings = []
        for ticket in tickets:
            lines = ticket._parts_lines_to_issue()
            if not lines:
                continue
            picking = ticket._parts_open_picking()
            target = ticket._parts_picking_target(picking)
            move_vals = []
            for line in lines:
                quantity = line._qty_to_request()
                sign = line.product_uom_id.compare(quantity, 0)
                if sign > 0:
                    move_vals.append(
                        self.env["stock.move"]._aftersales_prepare_part_vals(
                            line, "issue", quantity, target
                        )
                    )
                elif sign < 0:
                    line._open_issue_moves()._aftersales_reduce(-quantity, line.product_uom_id)
            commands = [fields.Command.create(vals) for vals in move_vals]
            if picking:
                if commands:
                    picking.write({"move_ids": commands})
                pickings |= picking
            elif commands:
                new_pickings.append(dict(target, move_ids=commands))
        if new_pickings:
            pickings |= Picking.create(new_pickings)
        moves = pickings.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        if moves:
            self.env["stock.quant"]._aftersales_lock_for_reservation(
                moves.product_id, moves.location_id
            )
            moves = moves.with_context(aftersales_skip_parts_sync=True)
            drafts = moves.filtered(lambda m: m.state == "draft")
            drafts._action_confirm()
            (moves - drafts).filtered(
                lambda m: m.state in ("confirmed", "waiting", "partially_available")
            )._action_assign()
        tickets._parts_sync_waiting_stage()

    def _parts_open_picking(self):
        self.ensure_one()
        return self.parts_picking_ids.filtered(
            lambda p: p.aftersales_role == "parts" and p.state not in ("done", "cancel")
        )[:1]

    def _parts_warehouse(self):
        self.ensure_one()
        warehouse = self.parts_warehouse_id
        if not warehouse.aftersales_parts_type_id or not warehouse.aftersales_spare_loc_id:
            raise UserError(
                self.env._(
                    "Warehouse %(warehouse)s has no spare parts location or after-sales "
                    "operation types: set them on the warehouse (Inventory > Configuration > "
                    "Warehouses), or choose the spare parts warehouse of team %(team)s.",
                    warehouse=warehouse.display_name or "-",
                    team=self.team_id.display_name or "-",
                )
            )
        return warehouse

    def _parts_customer_location(self):
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        return partner.property_stock_customer or self.env.ref("stock.stock_location_customers")

    def _parts_picking_target(self, picking=None):
        """Values of the parts transfer (its own when it exists) the moves follow."""
        self.ensure_one()
        if picking:
            return {
                "picking_type_id": picking.picking_type_id.id,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
                "partner_id": picking.partner_id.id,
                "origin": picking.origin,
            }
        warehouse = self._parts_warehouse()
        picking_type = warehouse.aftersales_parts_type_id
        return self.env["stock.picking"]._aftersales_prepare_vals(
            self,
            "parts",
            picking_type,
            picking_type.default_location_src_id or warehouse.aftersales_spare_loc_id,
            self._parts_customer_location(),
            self.partner_id,
            move_type="one",
            scheduled_date=self.planned_visit_date or fields.Datetime.now(),
        )

    def _parts_sync_waiting_stage(self):
        """Enter "Waiting parts" while parts are missing, leave it once all are reserved."""
        open_tickets = self.filtered(lambda t: not t.is_closed)
        waiting_stages = open_tickets._stage_of_role("waiting_parts")
        enter, leave = self.browse(), self.browse()
        for ticket in open_tickets:
            moves = ticket.part_line_ids.move_ids.filtered(
                lambda m: m.aftersales_part_role == "issue"
            )
            pending = moves.filtered(lambda m: m.state not in ("draft", "done", "cancel"))
            missing = any(move.state != "assigned" for move in pending)
            waiting = waiting_stages[ticket.id]
            if missing and waiting and ticket.stage_id != waiting:
                enter |= ticket
            elif not missing and moves and ticket.stage_id.role == "waiting_parts":
                leave |= ticket
        syncing = self.with_context(aftersales_parts_stage_sync=True)
        for ticket in enter:
            ticket.parts_previous_stage_id = ticket.stage_id
        syncing.browse(enter.ids)._set_stage_role("waiting_parts")
        for ticket in leave:
            target = ticket._parts_stage_after_waiting()
            syncing.browse(ticket.ids).write(
                {"stage_id": target.id, "parts_previous_stage_id": False}
            )

    def _parts_stage_after_waiting(self):
        """The stage before waiting, else the team's in-progress, dispatched or first stage."""
        self.ensure_one()
        previous = self.parts_previous_stage_id
        stages = self._team_stages()[self.team_id.id]
        if previous and previous in stages and not previous.is_closed:
            return previous
        for role in ("in_progress", "dispatched"):
            stage = stages.filtered(lambda s, role=role: s.role == role)[:1]
            if stage:
                return stage
        return stages[:1]

    def action_view_parts_pickings(self):
        self.ensure_one()
        return self._action_view_pickings("aftersales_ticket_id")

    # ------------------------------------------------------------ consume and return

    def action_consume_parts(self):
        """The work is done: the issued parts not brought back are consumed."""
        self._parts_check_editable()
        if not self.sudo()._parts_lines_to_consume():
            raise UserError(
                self.env._(
                    "No issued spare parts to consume on %(tickets)s: the warehouse issues the "
                    "reserved parts first.",
                    tickets=", ".join(self.mapped("display_name")),
                )
            )
        self.sudo()._consume_parts()
        return True

    def _parts_lines_to_consume(self):
        return self.part_line_ids.filtered(
            lambda line: not line.consumed and (line.source != "stock" or line.qty_issued)
        )

    def _consume_parts(self):
        lines = self._parts_lines_to_consume()
        lines.with_context(aftersales_parts_internal=True).write({"consumed": True})
        self._parts_fill_summary()

    def _parts_fill_summary(self):
        """The service report lists the parts used: the consumed part lines, in the language
        of the customer who signs it (not in the engineer's)."""
        for ticket in self:
            lines = ticket.part_line_ids.filtered(lambda line: line.state == "consumed")
            if lines:
                lang = ticket.partner_id.lang or self.env.lang
                texts = lines.with_context(lang=lang)._summary_texts()
                ticket.parts_summary = "\n".join(texts)

    def _parts_on_close(self):
        """Consume the issued parts, release what was not issued."""
        tickets = self.sudo()
        tickets._consume_parts()
        open_parts = tickets.parts_picking_ids.filtered(
            lambda p: p.aftersales_role == "parts" and p.state not in ("done", "cancel")
        )
        open_parts.with_context(aftersales_skip_parts_sync=True).action_cancel()

    def action_return_unused_parts(self):
        """Unused issued parts come back to the spare parts location (return transfer)."""
        self.ensure_one()
        self._parts_check_editable()
        ticket = self.sudo()
        lines = ticket.part_line_ids.filtered(lambda line: line._qty_to_send("return") > 0)
        if not lines:
            raise UserError(
                self.env._(
                    "Enter the unused quantity of the issued parts the engineer brings back "
                    "first (Unused to Return on the part lines)."
                )
            )
        warehouse = ticket._parts_warehouse()
        picking_type = warehouse.aftersales_return_type_id
        issued = ticket.parts_picking_ids.filtered(
            lambda p: p.aftersales_role == "parts" and p.state == "done"
        )
        vals = self.env["stock.picking"]._aftersales_prepare_vals(
            ticket,
            "return",
            picking_type,
            ticket._parts_customer_location(),
            picking_type.default_location_dest_id or warehouse.aftersales_spare_loc_id,
            ticket.partner_id,
            return_id=issued[-1:].id,
        )
        move_vals = []
        for line in lines:
            move = line.move_ids.filtered(
                lambda m: m.aftersales_part_role == "issue" and m.state == "done"
            )[-1:]
            values = self.env["stock.move"]._aftersales_prepare_part_vals(
                line, "return", line._qty_to_send("return"), vals
            )
            values["origin_returned_move_id"] = move.id
            move_vals.append(values)
        return ticket._parts_create_transfer(vals, move_vals)

    def action_receive_defective_parts(self):
        """Replaced defective parts are received into the defective parts location."""
        self.ensure_one()
        self._parts_check_editable()
        ticket = self.sudo()
        lines = ticket.part_line_ids.filtered(lambda line: line._qty_to_send("defective") > 0)
        if not lines:
            raise UserError(
                self.env._(
                    "Enter the quantity of replaced defective parts taken back first "
                    "(Defective Taken Back on the part lines)."
                )
            )
        warehouse = ticket._parts_warehouse()
        vals = self.env["stock.picking"]._aftersales_prepare_vals(
            ticket,
            "defective",
            warehouse.aftersales_return_type_id,
            ticket._parts_customer_location(),
            warehouse.aftersales_defective_loc_id,
            ticket.partner_id,
        )
        move_vals = [
            self.env["stock.move"]._aftersales_prepare_part_vals(
                line, "defective", line._qty_to_send("defective"), vals
            )
            for line in lines
        ]
        return ticket._parts_create_transfer(vals, move_vals)

    def action_return_to_vendor(self):
        """外协件质量问题: the defective bought-in parts go back to their vendor, Purchasing
        gets an activity to handle the claim."""
        self.ensure_one()
        self._parts_check_editable()
        ticket = self.sudo()
        if not ticket.vendor_defect:
            raise UserError(
                self.env._(
                    "Tick 'Bought-in Component Defect' on ticket %(ticket)s first: only "
                    "defects of bought-in components go back to a vendor.",
                    ticket=ticket.display_name,
                )
            )
        lines = ticket.part_line_ids.filtered(
            lambda line: line.return_to_vendor and line._qty_to_send("vendor_return") > 0
        )
        if not lines:
            raise UserError(
                self.env._(
                    "There are no defective parts to return to the vendor: enter the "
                    "defective quantity taken back on the part lines to return."
                )
            )
        without_vendor = lines.filtered(
            lambda line: not (ticket.defect_vendor_id or line.vendor_id)
        )
        if without_vendor:
            raise UserError(
                self.env._(
                    "Choose the vendor of the defective component %(part)s (on the ticket or "
                    "on the part line).",
                    part=without_vendor[0].product_id.display_name,
                )
            )
        warehouse = ticket._parts_warehouse()
        pickings = self.env["stock.picking"].sudo()
        for vendor in ticket.defect_vendor_id or lines.vendor_id:
            vendor_lines = lines.filtered(
                lambda line, vendor=vendor: (ticket.defect_vendor_id or line.vendor_id) == vendor
            )
            supplier_location = vendor.with_company(ticket.company_id).property_stock_supplier
            vals = self.env["stock.picking"]._aftersales_prepare_vals(
                ticket,
                "vendor_return",
                warehouse.out_type_id,
                warehouse.aftersales_defective_loc_id,
                supplier_location or self.env.ref("stock.stock_location_suppliers"),
                vendor,
            )
            move_vals = [
                self.env["stock.move"]._aftersales_prepare_part_vals(
                    line, "vendor_return", line._qty_to_send("vendor_return"), vals
                )
                for line in vendor_lines
            ]
            pickings |= ticket._parts_create_transfer(vals, move_vals, open_action=False)
            pickings[-1:]._aftersales_schedule_vendor_claim(ticket, vendor)
        return (
            pickings._get_aftersales_action()
            if self.env.user.has_group("stock.group_stock_user")
            else True
        )

    def _parts_create_transfer(self, vals, move_vals, open_action=True):
        self.ensure_one()
        picking = (
            self.env["stock.picking"]
            .sudo()
            .with_company(self.company_id)
            .create(dict(vals, move_ids=[fields.Command.create(v) for v in move_vals]))
        )
        picking.with_context(aftersales_skip_parts_sync=True).action_confirm()
        self.message_post(
            body=self.env._(
                "Transfer %(picking)s prepared: %(type)s.",
                picking=picking.name,
                type=picking.picking_type_id.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        if open_action and self.env.user.has_group("stock.group_stock_user"):
            return picking._get_aftersales_action()
        return picking if not open_action else True

    # ------------------------------------------------------------ workshop

    def action_send_to_workshop(self):
        """The product goes to the workshop: an Odoo repair order with the ticket's parts."""
        self.ensure_one()
        self._parts_check_editable()
        ticket = self.sudo()
        if ticket.repair_order_id and ticket.repair_order_id.state != "cancel":
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is already in workshop repair %(repair)s.",
                    ticket=ticket.display_name,
                    repair=ticket.repair_order_id.name,
                )
            )
        if not ticket.product_id or (ticket.product_id.tracking != "none" and not ticket.lot_id):
            raise UserError(
                self.env._(
                    "Set the product and its serial number on ticket %(ticket)s before sending "
                    "it to the workshop.",
                    ticket=ticket.display_name,
                )
            )
        warehouse = ticket.parts_warehouse_id
        repair_type = warehouse.repair_type_id
        if not repair_type:
            raise UserError(
                self.env._(
                    "Warehouse %(warehouse)s has no repair operation type: set one in "
                    "Inventory > Configuration > Warehouses.",
                    warehouse=warehouse.display_name or "-",
                )
            )
        repair = (
            self.env["repair.order"]
            .sudo()
            .with_company(ticket.company_id)
            .create(self.env["repair.order"]._aftersales_prepare_vals(ticket, repair_type))
        )
        ticket.repair_order_id = repair
        ticket._parts_sync_waiting_stage()
        ticket.message_post(
            body=self.env._("Sent to the workshop: repair order %(repair)s.", repair=repair.name),
            subtype_xmlid="mail.mt_note",
        )
        if self.env.user.has_group("stock.group_stock_user"):
            return self.action_view_repair_order()
        return True

    def action_view_repair_order(self):
        self.ensure_one()
        return self._action_open_record(self.repair_order_id)

    # ------------------------------------------------------------ cancellation

    def action_cancel_parts(self):
        """Cancel the open parts transfers and the workshop repair not started: the
        reservations are released."""
        self._parts_check_editable()
        self.sudo()._cancel_parts()
        return True

    def _cancel_parts(self):
        pickings = self.parts_picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        pickings.with_context(aftersales_skip_parts_sync=True).action_cancel()
        repairs = self.repair_order_id.filtered(lambda r: r.state in ("draft", "confirmed"))
        if repairs:
            repairs.action_repair_cancel()
        self._parts_sync_waiting_stage()
        for ticket in self:
            if pickings.filtered(lambda p, ticket=ticket: p.aftersales_ticket_id == ticket):
                ticket.message_post(
                    body=self.env._("The open parts transfers were cancelled."),
                    subtype_xmlid="mail.mt_note",
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_cancel_parts(self):
        self.sudo()._cancel_parts()
