from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext

from .tokens import similarity_tokens

SIMILAR_LIMIT = 5
SUMMARY_LENGTH = 160


class AftersalesTicket(models.Model):
    """Similar solved tickets at intake: the closed tickets of the same product (or product
    category) whose subject and description share the most words with this one."""

    _inherit = "aftersales.ticket"

    similar_key = fields.Text(
        compute="_compute_similar_key",
        store=True,
        copy=False,
        groups="aftersales_service.group_aftersales_user",
        help="The words of the subject and the description the similar tickets are found by "
        "(Latin words, pairs of Chinese characters).",
    )
    product_categ_id = fields.Many2one(
        related="product_id.categ_id", store=True, index=True, string="Product Category"
    )
    similar_ticket_ids = fields.Many2many(
        "aftersales.ticket",
        string="Similar Solved Tickets",
        compute="_compute_similar_ticket_ids",
        groups="aftersales_service.group_aftersales_user",
        help="Up to five closed tickets of the same product (else of its category) with the "
        "most similar subject and description: what solved them and the parts they used.",
    )
    similar_resolution_text = fields.Char(
        string="Resolution Summary",
        compute="_compute_similar_resolution_text",
        groups="aftersales_service.group_aftersales_user",
    )

    # the text search index of the closed tickets, on the words of `similar_key`
    _similar_key_closed_idx = models.Index(
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(similar_key, ''))) "
        "WHERE is_closed AND active"
    )

    @api.depends("name", "description")
    def _compute_similar_key(self):
        for ticket in self:
            description = html2plaintext(ticket.description) if ticket.description else ""
            ticket.similar_key = " ".join(similarity_tokens(ticket.name, description)) or False

    @api.depends("name", "description", "product_id", "is_closed", "company_id")
    def _compute_similar_ticket_ids(self):
        for ticket in self:
            ticket.similar_ticket_ids = ticket._find_similar_tickets()

    @api.depends("resolution")
    def _compute_similar_resolution_text(self):
        for ticket in self:
            text = html2plaintext(ticket.resolution) if ticket.resolution else ""
            text = " ".join(text.split())
            if len(text) > SUMMARY_LENGTH:
                text = text[: SUMMARY_LENGTH - 1] + "…"
            ticket.similar_resolution_text = text or False

    # ------------------------------------------------------------ lookup

    def _find_similar_tickets(self, limit=SIMILAR_LIMIT):
        """The closed tickets most similar to this one, best first, that the user may read."""
        self.ensure_one()
        query = self._similar_query(limit)
        return self.browse(query.get_result_ids() if query is not None else ())

    def _similar_query(self, limit=SIMILAR_LIMIT):
        """The query of the similar tickets (None when there is nothing to compare).

        The text search index finds the closed tickets sharing a word with this one, among
        those of the same product or product category (any product when the ticket has
        none), within the user's record rules; the same product comes before the category,
        then the rank of the text match (``ts_rank``), then the latest closed.
        """
        self.ensure_one()
        description = html2plaintext(self.description) if self.description else ""
        words = similarity_tokens(self.name, description)
        if self.is_closed or not words:
            return None
        domain = [("is_closed", "=", True), ("company_id", "=", self.company_id.id)]
        if self._origin.id:
            domain.append(("id", "!=", self._origin.id))
        product = self.product_id
        if product.categ_id:
            domain += [
                "|",
                ("product_id", "=", product.id),
                ("product_categ_id", "=", product.categ_id.id),
            ]
        elif product:
            domain.append(("product_id", "=", product.id))
        query = self.env["aftersales.ticket"]._search(domain, limit=limit)
        column = SQL.identifier(query.table, "similar_key")
        document = SQL("to_tsvector('simple'::regconfig, COALESCE(%s, ''))", column)
        words_query = SQL("to_tsquery('simple'::regconfig, %s)", " | ".join(words))
        query.add_where(SQL("%s @@ %s", document, words_query))
        query.order = SQL(
            "COALESCE(%s = %s, FALSE) DESC, ts_rank(%s, %s) DESC, %s DESC NULLS LAST, %s DESC",
            SQL.identifier(query.table, "product_id"),
            product.id or 0,
            document,
            words_query,
            SQL.identifier(query.table, "closed_date"),
            SQL.identifier(query.table, "id"),
        )
        return query

    # ------------------------------------------------------------ actions

    def action_add_similar_parts(self):
        """Add the parts this closed ticket used to the ticket named in the context (the
        ticket whose similar tickets are shown)."""
        self.ensure_one()
        target = self.browse(self.env.context.get("aftersales_similar_target_id") or [])
        if not target.exists() or target == self:
            raise UserError(self.env._("Save the ticket first, then add the parts again."))
        added = target._add_parts_used_by(self)
        if not added:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s used no spare part that %(target)s does not list yet.",
                    ticket=self.display_name,
                    target=target.display_name,
                )
            )
        return True
