from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import float_round, format_date

from ..warranty.dates import local_date


class AftersalesWarranty(models.Model):
    """三包 rule 2 (the period does not count repair and waiting days) and rule 6
    (depreciation on the refund of a used product)."""

    _inherit = "aftersales.warranty"

    is_sanbao = fields.Boolean(related="policy_id.is_sanbao", string="三包 (China)")
    sanbao_paused_days = fields.Integer(
        string="Repair and Waiting Days",
        compute="_compute_sanbao_paused_days",
        store=True,
        help="三包 rule 2: days the product spent in repair or waiting for parts since the "
        "start of the warranty (from handing in or the on-site start to closing, per "
        "ticket). The 三包 period does not count them: its end dates move out by them.",
    )
    original_end_date = fields.Date(
        string="Original Warranty End",
        compute="_compute_original_end_date",
        store=True,
        help="The end of the warranty without the repair and waiting days (extensions "
        "included).",
    )

    @api.depends(
        "policy_id.is_sanbao",
        "start_date",
        "ticket_ids.sanbao_repair_days",
        "ticket_ids.warranty_claim_date",
    )
    def _compute_sanbao_paused_days(self):
        for warranty in self:
            if not warranty.policy_id.is_sanbao:
                warranty.sanbao_paused_days = 0
                continue
            warranty.sanbao_paused_days = sum(
                ticket.sanbao_repair_days
                for ticket in warranty.ticket_ids
                if ticket.warranty_claim_date
                and warranty.start_date
                and ticket.warranty_claim_date >= warranty.start_date
            )

    @api.depends("start_date", "policy_id", "sanbao_paused_days")
    def _compute_end_dates(self):
        """The windows of a 三包 policy move out by the repair and waiting days."""
        res = super()._compute_end_dates()
        for warranty in self.filtered("sanbao_paused_days"):
            shift = relativedelta(days=warranty.sanbao_paused_days)
            for name in ("refund_end_date", "exchange_end_date", "repair_end_date"):
                if warranty[name]:
                    warranty[name] = warranty[name] + shift
        return res

    @api.depends("end_date", "sanbao_paused_days")
    def _compute_original_end_date(self):
        for warranty in self:
            end = warranty.end_date
            warranty.original_end_date = end and end - relativedelta(
                days=warranty.sanbao_paused_days
            )

    def _aftersales_system_fields(self):
        return super()._aftersales_system_fields() | {"sanbao_paused_days", "original_end_date"}

    # ------------------------------------------------------------ rule 6

    def _create_refund_credit_note(self, ticket):
        credit_note = super()._create_refund_credit_note(ticket)
        if credit_note and self.policy_id.is_sanbao:
            self._sanbao_add_depreciation(credit_note, ticket)
        return credit_note

    def _sanbao_depreciation(self, invoice, price, ticket):
        """(amount, computation) of the depreciation of a refund (三包 rule 6): price × daily
        rate × (days since the invoice − repair and waiting days), at most the price."""
        self.ensure_one()
        rate = self.product_id.categ_id._aftersales_depreciation_rate()
        if not rate or not invoice.invoice_date:
            return 0.0, False
        today = local_date(fields.Datetime.now(), self._customer_tz())
        used = (today - invoice.invoice_date).days
        paused = self.sanbao_paused_days + ticket._sanbao_days_so_far()
        days = max(used - paused, 0)
        amount = float_round(
            min(price * rate / 100.0 * days, price),
            precision_rounding=invoice.currency_id.rounding,
        )
        computation = self.env._(
            "Depreciation: %(price)s × %(rate)s%% a day × (%(used)s days since the invoice of "
            "%(invoice_date)s − %(paused)s days of repair and waiting) = %(price)s × "
            "%(rate)s%% × %(days)s = %(amount)s",
            price=price,
            rate=rate,
            used=used,
            invoice_date=format_date(self.env, invoice.invoice_date),
            paused=paused,
            days=days,
            amount=amount,
        )
        return amount, computation

    def _sanbao_add_depreciation(self, credit_note, ticket):
        line = credit_note.invoice_line_ids[:1]
        invoice = credit_note.reversed_entry_id
        price = line.price_unit * line.quantity * (1 - (line.discount or 0.0) / 100.0)
        amount, computation = self._sanbao_depreciation(invoice, price, ticket)
        if amount:
            credit_note.write(
                {
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._(
                                    "三包 depreciation (%(computation)s)", computation=computation
                                ),
                                "quantity": 1.0,
                                "price_unit": -amount,
                                "account_id": line.account_id.id,
                                "tax_ids": [Command.set(line.tax_ids.ids)],
                            }
                        )
                    ]
                }
            )
        ticket._aftersales_system().write(
            {"sanbao_depreciation_amount": amount, "sanbao_depreciation_note": computation}
        )
