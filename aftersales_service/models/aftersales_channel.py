from odoo import fields, models


class AftersalesChannel(models.Model):
    _name = "aftersales.channel"
    _description = "After-Sales Intake Channel"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical code used by the email gateway, the portal and the channel API "
        "(phone, email, portal, wechat, visit, letter, api).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "The code of a channel must be unique.")

    def _get_by_code(self, code):
        """The active channel with this code (empty recordset when there is none)."""
        return self.search([("code", "=", code)], limit=1)
