from collections import defaultdict

from psycopg2 import errors

from odoo import api, models
from odoo.exceptions import ConcurrencyError
from odoo.tools import mute_logger


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    # one ticket sequence a company, even when two transactions create it at the same moment
    _aftersales_ticket_company_uniq = models.UniqueIndex(
        "(company_id) WHERE code = 'aftersales.ticket'",
        "A company has one after-sales ticket sequence.",
    )

    @api.model
    def _aftersales_ticket_sequence(self, company):
        """The ticket sequence of `company`, created on first use (one counter a company).

        The first tickets of a new company may be created at the same moment by two
        transactions: the unique index lets one create the sequence; the other fails with
        a concurrency error, which Odoo retries, and the retry uses the same sequence
        (the server logs the retry, not an error).
        """
        # an archived sequence still holds the company's numbers (and the unique index)
        Sequence = self.sudo().with_context(active_test=False)
        sequence = Sequence.search(
            [("code", "=", "aftersales.ticket"), ("company_id", "=", company.id)], limit=1
        )
        if sequence:
            return sequence
        try:
            # the insert refused to the second transaction is expected and retried: not an
            # error in the server's log ("bad query")
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                sequence = Sequence.create(
                    {
                        "name": self.env._(
                            "After-Sales Tickets (%(company)s)", company=company.name
                        ),
                        "code": "aftersales.ticket",
                        "company_id": company.id,
                        "prefix": "AS%(year)s/",
                        "padding": 5,
                        "implementation": "standard",
                    }
                )
        except errors.UniqueViolation as exc:
            raise ConcurrencyError(
                f"the ticket sequence of company {company.id} was created by another transaction"
            ) from exc
        return sequence

    @api.model
    def _aftersales_number_vals(self, vals_list, sequence_of):
        """Number the records about to be created (`number` missing or "/") with the
        sequence `sequence_of(company)` of their company: one query per company."""
        by_company = defaultdict(list)
        for vals in vals_list:
            if vals.get("number", "/") == "/":
                by_company[vals.get("company_id") or self.env.company.id].append(vals)
        for company_id, company_vals in by_company.items():
            company = self.env["res.company"].browse(company_id)
            sequence = sequence_of(company).with_company(company)
            numbers = sequence._aftersales_next_numbers(len(company_vals))
            for vals, number in zip(company_vals, numbers, strict=True):
                vals["number"] = number

    def _aftersales_next_numbers(self, count):
        """The next `count` numbers of this sequence, in one query for a standard sequence.

        A standard sequence is a PostgreSQL sequence: one round trip serves a whole batch of
        tickets or warranties. Other sequences take their numbers one by one.
        """
        self.ensure_one()
        if self.implementation != "standard" or self.use_date_range:
            return [self.next_by_id() for _index in range(count)]
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1",
            [f"ir_sequence_{self.id:03d}", count],
        )
        return [self.get_next_char(number) for (number,) in self.env.cr.fetchall()]
