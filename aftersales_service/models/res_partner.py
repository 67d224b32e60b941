from odoo import api, fields, models
from odoo.tools import email_normalize
from odoo.tools.mail import email_split_tuples


class ResPartner(models.Model):
    _inherit = "res.partner"

    aftersales_tier_id = fields.Many2one(
        "aftersales.customer.tier",
        string="Service Tier",
        index=True,
        help="Service level of this customer (e.g. strategic, key, standard). Set on the "
        "company: its contacts share it.",
        groups="base.group_user",
    )
    aftersales_ticket_count = fields.Integer(
        string="Service Tickets",
        compute="_compute_aftersales_ticket_count",
        groups="aftersales_service.group_aftersales_user",
    )

    @api.model
    def _aftersales_demo_language(self, xmlids, lang="zh_CN"):
        """Demo data: the demo company, its users and customers speak `lang` when it is
        installed (`make run` installs zh_CN; `make run DEMO_LANG=en_US` keeps English)."""
        Lang = self.env["res.lang"]
        if not Lang._lang_get(lang):
            return
        # Zhang Wei of 华东塑料 reads English: English stays active beside `lang` (a database
        # created with another language has English inactive)
        Lang._activate_lang("en_US")
        partners = self.browse()
        for xmlid in xmlids:
            record = self.env.ref(xmlid, raise_if_not_found=False)
            if record:
                partners |= record.partner_id if record._name == "res.users" else record
        partners.write({"lang": lang})

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "aftersales_tier_id"]

    def signup_prepare(self, signup_type="signup"):
        # Odoo prepares the sign-up of each customer notified while customers may sign up
        # (auth_signup.invitation_scope "b2c"): write the row only when the type changes,
        # so that tickets of one customer notified at once do not collide on its row
        todo = self.filtered(lambda p: p.sudo().signup_type != signup_type)
        return super(ResPartner, todo).signup_prepare(signup_type=signup_type) if todo else True

    def _compute_aftersales_ticket_count(self):
        counts = self.env["aftersales.ticket"]._count_by(
            "commercial_partner_id", self.commercial_partner_id.ids
        )
        for partner in self:
            partner.aftersales_ticket_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        return self.env["aftersales.ticket"]._action_for(
            [("commercial_partner_id", "=", self.commercial_partner_id.id)],
            {"default_partner_id": self.id},
        )

    @api.model
    def _find_from_email_for_ticket(self, email):
        """The contact with this address (case-insensitive), if any."""
        parsed = email_split_tuples(email or "")
        normalized = parsed and email_normalize(parsed[0][1])
        if not normalized:
            return self.browse()
        return self.search([("email_normalized", "=", normalized)], limit=1)

    @api.model
    def _find_or_create_from_email_for_ticket(self, email, name=None):
        """The contact with this address (case-insensitive), or a new one.

        `email` may be formatted ("张伟 <zhang@example.cn>"); the name part is used for a
        new contact, else `name`, else the address itself.
        """
        parsed = email_split_tuples(email or "")
        if not parsed:
            return self.browse()
        display, address = parsed[0]
        normalized = email_normalize(address)
        if not normalized:
            return self.browse()
        partner = self.search([("email_normalized", "=", normalized)], limit=1)
        if not partner:
            partner = self.create({"name": name or display or normalized, "email": address})
        return partner
