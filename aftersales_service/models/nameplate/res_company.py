from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_service_phone = fields.Char(
        string="Service Phone",
        help="Printed on the nameplate labels and shown on the public page of a serial. "
        "Leave empty to use the company's phone.",
    )
    aftersales_qr_reports_per_hour = fields.Integer(
        string="Nameplate Reports per Hour",
        default=5,
        help="How many faults may be reported from the nameplate QR code of one serial, and "
        "from one network address, within an hour.",
    )

    _aftersales_qr_reports_per_hour_positive = models.Constraint(
        "CHECK(aftersales_qr_reports_per_hour >= 0)",
        "The number of nameplate reports per hour cannot be negative.",
    )

    def _aftersales_service_phone(self):
        self.ensure_one()
        return self.aftersales_service_phone or self.phone or ""
