from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext, sql

from .tokens import similarity_tokens

SIMILAR_LIMIT = 5
SUMMARY_LENGTH = 160
SIMILAR_TSV = "similar_tsv"


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

    def _auto_init(self):
        """The words of `similar_key` as PostgreSQL's text search reads them, in a column
        that PostgreSQL keeps itself (generated), and its index on the closed tickets."""
        res = super()._auto_init()
        cr = self.env.cr
        if not sql.column_exists(cr, self._table, SIMILAR_TSV):
            cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN %s tsvector GENERATED ALWAYS AS "
                    "(to_tsvector('simple'::regconfig, COALESCE(similar_key, ''))) STORED",
                    SQL.identifier(self._table),
                    SQL.identifier(SIMILAR_TSV),
                )
            )
        sql.create_index(
            cr,
            f"{self._table}_{SIMILAR_TSV}_closed_idx",
            self._table,
            [SIMILAR_TSV],
            method="gin",
            where="is_closed AND active",
        )
        return res

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
        """The closed tickets most similar to this one, best first, that the user may read:
        those of the same product, then, while fewer than `limit`, those of its category
        (none while the product is not known). One query per scope, the second one only
        when the first found too few."""
        self.ensure_one()
        found = self.browse()
        for scope in self._similar_scopes():
            query = self._similar_query(scope, limit - len(found))
            if query is None:
                break
            found += self.browse(query.get_result_ids())
            if len(found) >= limit:
                break
        return found

    def _similar_scopes(self):
        """The domains searched in turn: the same product, then the rest of its category."""
        product = self.product_id
        if not product:
            return []
        scopes = [[("product_id", "=", product.id)]]
        if product.categ_id:
            scopes.append(
                [("product_categ_id", "=", product.categ_id.id), ("product_id", "!=", product.id)]
            )
        return scopes

    def _similar_query(self, scope, limit=SIMILAR_LIMIT):
        """The query of the closed tickets of `scope` (a domain) sharing a word with this
        one, within the user's record rules, best first: the rank of the text match
        (``ts_rank``), then the latest closed. None when there is nothing to compare."""
        self.ensure_one()
        words = self._similar_words()
        if self.is_closed or not words:
            return None
        domain = [("is_closed", "=", True), ("company_id", "=", self.company_id.id), *scope]
        if self._origin.id:
            domain.append(("id", "!=", self._origin.id))
        query = self.env["aftersales.ticket"]._search(domain, limit=limit)
        document = SQL.identifier(query.table, SIMILAR_TSV)
        words_query = SQL("to_tsquery('simple'::regconfig, %s)", " | ".join(words))
        query.add_where(SQL("%s @@ %s", document, words_query))
        # rank normalised by the length of the closed ticket's text (1: 1 + its log)
        query.order = SQL(
            "ts_rank(%s, %s, 1) DESC, %s DESC NULLS LAST, %s DESC",
            document,
            words_query,
            SQL.identifier(query.table, "closed_date"),
            SQL.identifier(query.table, "id"),
        )
        return query

    def _similar_words(self):
        """The words of the subject and description, but those of the product's name: every
        ticket of the product may name it, that tells nothing of the fault."""
        description = html2plaintext(self.description) if self.description else ""
        product_words = set(similarity_tokens(self.product_id.display_name))
        words = similarity_tokens(self.name, description)
        return [word for word in words if word not in product_words]

    # ------------------------------------------------------------ actions

    def action_add_similar_parts(self):
        """Add the parts this closed ticket used to the ticket named in the context (the
        ticket whose similar tickets are shown)."""
        self.ensure_one()
        target = self.browse(self.env.context.get("aftersales_similar_target_id") or [])
        if not target.exists() or target == self:
            raise UserError(self.env._("Save the ticket first, then add the parts again."))
        target.check_access("write")
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
