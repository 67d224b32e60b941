"""Spare parts of a solved ticket reused on another (the similar tickets' one click)."""


def add_reused_parts(ticket, tickets):
    """New part lines on `ticket` for the parts `tickets` consumed, in their unit, leaving
    out the parts `ticket` already lists (a second click adds nothing); how many."""
    listed = ticket.part_line_ids.product_id
    vals_list = [
        {
            "ticket_id": ticket.id,
            "product_id": line.product_id.id,
            "product_uom_qty": line.product_uom_qty,
            "product_uom_id": line.product_uom_id.id,
        }
        for line in tickets.part_line_ids
        if line.consumed and line.product_id not in listed
    ]
    ticket.env["aftersales.part.line"].create(vals_list)
    return len(vals_list)
