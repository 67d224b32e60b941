from datetime import timedelta

from odoo import api, fields, models


class AftersalesNameplateReport(models.Model):
    """A fault reported from a nameplate QR code: what the rate limits count."""

    _name = "aftersales.nameplate.report"
    _description = "Fault Reported from a Nameplate"
    _order = "id desc"

    lot_id = fields.Many2one(
        "stock.lot", string="Serial Number", required=True, index=True, ondelete="cascade"
    )
    ticket_id = fields.Many2one("aftersales.ticket", index=True, ondelete="set null")
    address = fields.Char(string="Network Address", index=True)

    _lot_date_idx = models.Index("(lot_id, create_date)")

    @api.model
    def _count_recent(self, lot, address):
        """(reports on `lot`, reports from `address`) within the last hour."""
        since = fields.Datetime.now() - timedelta(hours=1)
        Report = self.sudo()
        by_lot = Report.search_count([("lot_id", "=", lot.id), ("create_date", ">=", since)])
        by_address = Report.search_count([("address", "=", address), ("create_date", ">=", since)])
        return by_lot, by_address

    @api.autovacuum
    def _gc_old_reports(self):
        """The log only serves the hourly limits: keep a week."""
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=7))]
        ).unlink()
