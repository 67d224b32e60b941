from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PART_STATES = [
    ("to_reserve", "To Reserve"),
    ("reserved", "Reserved"),
    ("issued", "Issued"),
    ("consumed", "Consumed"),
    ("returned", "Returned"),
]
PART_SOURCES = [
    ("stock", "Company Stock"),
    ("customer", "Brought by the Customer"),
    ("vendor", "From a Vendor"),
]
AVAILABILITY = [
    ("available", "Available"),
    ("partial", "Partially Available"),
    ("unavailable", "Not Available"),
]
# fields that make the open stock moves of a line obsolete when they change
MOVE_KEY_FIELDS = {"product_id", "product_uom_id", "lot_id", "source"}
# what the quantities and the state of a part line follow: its moves and how it is used
MOVE_DEPENDS = (
    "source",
    "consumed",
    "product_uom_qty",
    "move_ids.state",
    "move_ids.quantity",
    "move_ids.aftersales_part_role",
)


class AftersalesPartLine(models.Model):
    """备品备件: a spare part used on a ticket, issued and brought back through Inventory."""

    _name = "aftersales.part.line"
    _description = "Ticket Spare Part"
    _order = "ticket_id, sequence, id"
    _check_company_auto = True

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        index=True,
        check_company=True,
        domain=[("type", "=", "consu")],
    )
    tracking = fields.Selection(related="product_id.tracking")
    product_uom_qty = fields.Float(
        string="Quantity", digits="Product Unit", required=True, default=1.0
    )
    allowed_uom_ids = fields.Many2many("uom.uom", compute="_compute_allowed_uom_ids")
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        domain="[('id', 'in', allowed_uom_ids)]",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        help="The lot or serial number to issue; leave empty to let the warehouse choose.",
    )
    source = fields.Selection(
        PART_SOURCES,
        required=True,
        default="stock",
        help="Company stock: reserved and issued by the warehouse. Brought by the customer or "
        "from a vendor: recorded on the ticket only.",
    )
    vendor_id = fields.Many2one(
        "res.partner",
        compute="_compute_vendor_id",
        store=True,
        readonly=False,
        help="Supplier of the part: for parts from a vendor and for defective bought-in "
        "components returned to their vendor.",
    )
    covered_by_warranty = fields.Boolean(
        compute="_compute_covered_by_warranty",
        store=True,
        readonly=False,
        help="Follows the coverage decision of the ticket; covered parts are not quoted.",
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        help="Sale price used by the out-of-warranty quotation.",
    )
    state = fields.Selection(
        PART_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        compute_sudo=True,
    )
    move_ids = fields.One2many(
        "stock.move",
        "aftersales_part_line_id",
        string="Stock Moves",
        readonly=True,
        groups="stock.group_stock_user",
    )
    # quantities in the unit of the line, from the stock moves
    qty_reserved = fields.Float(
        string="Reserved", digits="Product Unit", compute="_compute_quantities", compute_sudo=True
    )
    qty_issued = fields.Float(
        string="Issued", digits="Product Unit", compute="_compute_quantities", compute_sudo=True
    )
    qty_returned = fields.Float(
        string="Returned", digits="Product Unit", compute="_compute_quantities", compute_sudo=True
    )
    qty_consumed = fields.Float(
        string="Consumed", digits="Product Unit", compute="_compute_quantities", compute_sudo=True
    )
    qty_defective_received = fields.Float(
        string="Defective Received",
        digits="Product Unit",
        compute="_compute_quantities",
        compute_sudo=True,
    )
    qty_forecast = fields.Float(
        string="Forecast",
        digits="Product Unit",
        compute="_compute_availability",
        compute_sudo=True,
        help="What the warehouse expects to have for this line: reserved and incoming stock.",
    )
    availability = fields.Selection(
        AVAILABILITY, compute="_compute_availability", compute_sudo=True
    )
    qty_unused = fields.Float(
        string="Unused to Return",
        digits="Product Unit",
        copy=False,
        help="Issued parts the engineer did not use and brings back to the warehouse.",
    )
    qty_defective = fields.Float(
        string="Defective Taken Back",
        digits="Product Unit",
        copy=False,
        help="Replaced defective parts the engineer brings back (received into the defective "
        "parts location).",
    )
    return_to_vendor = fields.Boolean(
        compute="_compute_return_to_vendor",
        store=True,
        readonly=False,
        help="The defective parts of this line go back to the vendor (bought-in component).",
    )
    consumed = fields.Boolean(
        string="Consumption Recorded",
        readonly=True,
        copy=False,
        help="Set when the ticket is completed: the issued parts not brought back are consumed.",
    )

    # ------------------------------------------------------------ computes

    @api.depends("product_id")
    def _compute_allowed_uom_ids(self):
        for line in self:
            line.allowed_uom_ids = line.product_id.uom_id | line.product_id.uom_ids

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if not line.product_uom_id or line.product_uom_id not in line.allowed_uom_ids:
                line.product_uom_id = line.product_id.uom_id

    @api.depends("product_id", "source")
    def _compute_vendor_id(self):
        for line in self:
            if not line.vendor_id and line.product_id:
                line.vendor_id = line.product_id.sudo().seller_ids[:1].partner_id

    @api.depends("ticket_id.coverage_parts", "source")
    def _compute_covered_by_warranty(self):
        for line in self:
            line.covered_by_warranty = line.source != "customer" and line.ticket_id.coverage_parts

    @api.depends("product_id", "product_uom_id")
    def _compute_price_unit(self):
        for line in self:
            product = line.product_id
            if product and line.product_uom_id:
                line.price_unit = product.uom_id._compute_price(
                    product.lst_price, line.product_uom_id
                )
            else:
                line.price_unit = 0.0

    @api.depends("ticket_id.vendor_defect")
    def _compute_return_to_vendor(self):
        for line in self:
            line.return_to_vendor = line.ticket_id.vendor_defect

    def _move_qty(self, move, quantity):
        """`quantity` of `move` (in the move's unit) in the unit of the line."""
        if move.product_uom == self.product_uom_id or not self.product_uom_id:
            return quantity
        return move.product_uom._compute_quantity(
            quantity, self.product_uom_id, rounding_method="HALF-UP"
        )

    def _move_totals(self):
        """{role_done / role_open / reserved: quantity in the line's unit} of the line's moves."""
        self.ensure_one()
        totals = defaultdict(float)
        for move in self.move_ids:
            role = move.aftersales_part_role
            if move.state == "done":
                totals[f"{role}_done"] += self._move_qty(move, move.quantity)
            elif move.state != "cancel":
                totals[f"{role}_open"] += self._move_qty(move, move.product_uom_qty)
                if role in ("issue", "repair"):
                    totals["reserved"] += self._move_qty(move, move.quantity)
        return totals

    @api.depends(*MOVE_DEPENDS)
    def _compute_quantities(self):
        for line in self:
            totals = line._move_totals()
            issued = totals["issue_done"]
            line.qty_issued = issued + totals["repair_done"]
            line.qty_returned = totals["return_done"]
            line.qty_reserved = totals["reserved"]
            line.qty_defective_received = totals["defective_done"]
            if line.source != "stock":
                line.qty_consumed = line.product_uom_qty if line.consumed else 0.0
            elif line.consumed:
                line.qty_consumed = max(issued - totals["return_done"], 0.0) + totals["repair_done"]
            else:
                line.qty_consumed = totals["repair_done"]

    @api.depends(*MOVE_DEPENDS)
    def _compute_state(self):
        for line in self:
            totals = line._move_totals()
            open_moves = line.move_ids.filtered(
                lambda m: (
                    m.aftersales_part_role in ("issue", "repair")
                    and m.state not in ("done", "cancel")
                )
            )
            rounding = line.product_uom_id or line.product_id.uom_id
            if line.consumed:
                consumed = (
                    line.product_uom_qty
                    if line.source != "stock"
                    else (totals["issue_done"] - totals["return_done"] + totals["repair_done"])
                )
                line.state = "consumed" if rounding.compare(consumed, 0) > 0 else "returned"
            elif line.source != "stock":
                line.state = "issued"
            elif totals["repair_done"] and not totals["issue_done"]:
                line.state = "consumed"
            elif totals["issue_done"]:
                back = rounding.compare(totals["return_done"], totals["issue_done"]) >= 0
                line.state = "returned" if back else "issued"
            elif open_moves and all(m.state == "assigned" for m in open_moves):
                line.state = "reserved"
            else:
                line.state = "to_reserve"

    @api.depends("state", "qty_reserved", "product_uom_qty", "ticket_id.parts_warehouse_id")
    def _compute_availability(self):
        without_moves = self.browse()
        for line in self:
            line.qty_forecast = 0.0
            line.availability = False
            if line.source != "stock" or line.state not in ("to_reserve", "reserved"):
                continue
            open_moves = line.move_ids.filtered(
                lambda m: (
                    m.aftersales_part_role in ("issue", "repair")
                    and m.state not in ("done", "cancel")
                )
            )
            if not open_moves:
                without_moves |= line
                continue
            needed = sum(line._move_qty(m, m.product_uom_qty) for m in open_moves)
            line.qty_forecast = sum(
                line.product_id.uom_id._compute_quantity(
                    m.forecast_availability, line.product_uom_id
                )
                for m in open_moves
            )
            line.availability = line._availability_of(line.qty_reserved, needed)
        without_moves._compute_availability_from_stock()

    def _compute_availability_from_stock(self):
        """Lines not reserved yet: what is free in their warehouse's spare parts location."""
        by_location = defaultdict(lambda: self.browse())
        for line in self:
            by_location[line.ticket_id.parts_warehouse_id.aftersales_spare_loc_id] |= line
        for location, lines in by_location.items():
            free = {}
            if location:
                products = lines.product_id.with_context(location=location.id)
                free = {p["id"]: p["free_qty"] for p in products.read(["free_qty"])}
            for line in lines:
                qty = line.product_id.uom_id._compute_quantity(
                    free.get(line.product_id.id, 0.0), line.product_uom_id
                )
                line.qty_forecast = qty
                line.availability = line._availability_of(qty, line.product_uom_qty)

    def _availability_of(self, available, needed):
        uom = self.product_uom_id or self.product_id.uom_id
        if not uom:
            return False
        if uom.compare(available, needed) >= 0:
            return "available"
        return "partial" if uom.compare(available, 0) > 0 else "unavailable"

    @api.depends("product_id", "product_uom_qty", "product_uom_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(qty)s %(uom)s %(product)s",
                qty=line.product_uom_qty,
                uom=line.product_uom_id.name or "",
                product=line.product_id.display_name or "",
            )

    # ------------------------------------------------------------ constraints

    @api.constrains("product_uom_qty", "qty_unused", "qty_defective")
    def _check_quantities(self):
        for line in self:
            uom = line.product_uom_id or line.product_id.uom_id
            if uom.compare(line.product_uom_qty, 0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of part %(product)s on ticket %(ticket)s must be more "
                        "than zero: remove the line if the part is not needed.",
                        product=line.product_id.display_name,
                        ticket=line.ticket_id.display_name,
                    )
                )
            if uom.compare(line.qty_unused, line.qty_issued) > 0:
                raise ValidationError(
                    self.env._(
                        "Only %(issued)s %(uom)s of part %(product)s were issued: no more can "
                        "come back unused.",
                        issued=line.qty_issued,
                        uom=uom.name,
                        product=line.product_id.display_name,
                    )
                )
            if uom.compare(line.qty_unused, 0) < 0 or uom.compare(line.qty_defective, 0) < 0:
                raise ValidationError(
                    self.env._(
                        "The unused and defective quantities of part %(product)s cannot be "
                        "negative.",
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("product_id")
    def _check_product(self):
        for line in self:
            product = line.product_id
            if not product.active:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s is archived: choose a part that is still in use.",
                        product=product.display_name,
                    )
                )
            if product.type != "consu":
                raise ValidationError(
                    self.env._(
                        "%(product)s is a service, not a part: put labour and travel on the "
                        "quotation, and only goods on the spare parts lines.",
                        product=product.display_name,
                    )
                )

    @api.constrains("lot_id", "product_id", "product_uom_qty")
    def _check_lot(self):
        for line in self.filtered("lot_id"):
            if line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s belongs to %(lot_product)s, not to %(product)s: choose a "
                        "lot of the part.",
                        lot=line.lot_id.name,
                        lot_product=line.lot_id.product_id.display_name,
                        product=line.product_id.display_name,
                    )
                )
            if line.product_id.tracking == "serial" and line.product_uom_qty != 1:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s is one unit of %(product)s: use one line per "
                        "serial number with a quantity of 1.",
                        lot=line.lot_id.name,
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("product_uom_id", "product_id")
    def _check_uom(self):
        for line in self:
            reference = line.product_id.uom_id
            if reference and not reference._has_common_reference(line.product_uom_id):
                raise ValidationError(
                    self.env._(
                        "Part %(product)s is counted in %(reference)s, it cannot be given in "
                        "%(uom)s: choose a unit of the same kind.",
                        product=line.product_id.display_name,
                        reference=reference.name,
                        uom=line.product_uom_id.name,
                    )
                )

    # ------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        closed = lines.ticket_id.filtered("is_closed")
        if closed:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is closed: its spare parts cannot change any more.",
                    ticket=closed[0].display_name,
                )
            )
        return lines

    def write(self, vals):
        if not self.env.context.get("aftersales_parts_internal"):
            self._check_editable(vals)
        replaced = MOVE_KEY_FIELDS & set(vals)
        in_progress = self.browse()
        if replaced or "product_uom_qty" in vals:
            in_progress = self.sudo().filtered(lambda line: line._open_issue_moves())
        res = super().write(vals)
        if in_progress:
            if replaced:
                in_progress._open_issue_moves().with_context(
                    aftersales_skip_parts_sync=True
                )._action_cancel()
            # the picking of the ticket follows the change
            in_progress.ticket_id._reserve_parts()
        return res

    def _check_editable(self, vals):
        changing = MOVE_KEY_FIELDS | {"product_uom_qty"}
        if not changing & set(vals):
            return
        for line in self:
            if line.ticket_id.is_closed or line.consumed:
                raise UserError(
                    self.env._(
                        "Part %(part)s of ticket %(ticket)s is already consumed: it cannot "
                        "change any more.",
                        part=line.display_name,
                        ticket=line.ticket_id.display_name,
                    )
                )
            if MOVE_KEY_FIELDS & set(vals) and line.qty_issued:
                raise UserError(
                    self.env._(
                        "Part %(part)s of ticket %(ticket)s is already issued: bring it back "
                        "(unused quantity) and add a new line instead of changing it.",
                        part=line.display_name,
                        ticket=line.ticket_id.display_name,
                    )
                )
            qty = vals.get("product_uom_qty")
            uom = line.product_uom_id
            if qty is not None and line.qty_issued and uom.compare(qty, line.qty_issued) < 0:
                raise UserError(
                    self.env._(
                        "%(issued)s %(uom)s of part %(product)s are already issued: the "
                        "quantity cannot be less.",
                        issued=line.qty_issued,
                        uom=uom.name,
                        product=line.product_id.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        for line in self:
            if line.consumed or line.qty_issued:
                raise UserError(
                    self.env._(
                        "Part %(part)s of ticket %(ticket)s was already issued: it stays on the "
                        "ticket as a record of the parts used.",
                        part=line.display_name,
                        ticket=line.ticket_id.display_name,
                    )
                )

    def unlink(self):
        tickets = self.ticket_id
        self.sudo()._open_issue_moves().with_context(
            aftersales_skip_parts_sync=True
        )._action_cancel()
        res = super().unlink()
        tickets.exists().sudo()._parts_sync_waiting_stage()
        return res

    # ------------------------------------------------------------ stock moves

    def _open_issue_moves(self):
        return self.move_ids.filtered(
            lambda m: (
                m.aftersales_part_role in ("issue", "repair") and m.state not in ("done", "cancel")
            )
        )

    def _qty_to_request(self):
        """Quantity (line unit) still to ask from the warehouse: positive to add to the
        picking, negative when the line asks for less than what is already requested."""
        self.ensure_one()
        totals = self._move_totals()
        requested = (
            totals["issue_done"]
            + totals["issue_open"]
            + totals["repair_done"]
            + totals["repair_open"]
        )
        return self.product_uom_qty - requested

    def _qty_to_send(self, role):
        """Quantity (line unit) for a transfer of `role` ("return": unused parts brought back,
        "defective": replaced parts taken back, "vendor_return": defective parts to the
        vendor) that no transfer of that role covers yet."""
        self.ensure_one()
        if role == "return" and self.source != "stock":
            return 0.0
        totals = self._move_totals()
        quantity = self.qty_unused if role == "return" else self.qty_defective
        return quantity - totals[f"{role}_done"] - totals[f"{role}_open"]

    def _summary_texts(self):
        """One line of the service report per part: quantity, unit, part, lots, source."""
        texts = []
        sources = dict(self._fields["source"]._description_selection(self.env))
        for line in self:
            lots = (
                line.lot_id
                | line.move_ids.filtered(
                    lambda m: m.aftersales_part_role in ("issue", "repair") and m.state == "done"
                ).move_line_ids.lot_id
            )
            text = self.env._(
                "%(qty)s %(uom)s %(product)s",
                qty=line.product_uom_id.round(line.qty_consumed),
                uom=line.product_uom_id.name,
                product=line.product_id.display_name,
            )
            if lots:
                text += f" ({', '.join(lots.mapped('name'))})"
            if line.source != "stock":
                text += f" - {sources[line.source]}"
            texts.append(text)
        return texts

    # ------------------------------------------------------------ quotation

    def _prepare_quotation_line_vals(self):
        """Sale order lines of the parts the customer pays: not covered, not their own."""
        return [
            {
                "product_id": line.product_id.id,
                "product_uom_qty": line.product_uom_qty,
                "product_uom_id": line.product_uom_id.id,
                "price_unit": line.price_unit,
            }
            for line in self
            if line.source != "customer" and not line.covered_by_warranty
        ]
