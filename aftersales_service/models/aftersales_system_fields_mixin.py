from odoo import api, models
from odoo.exceptions import UserError

# The context key of the product's own writes of system-recorded fields.
SYSTEM_WRITE = "aftersales_system_write"


class AftersalesSystemFieldsMixin(models.AbstractModel):
    """Fields the product records itself (survey answers and scores, 三包 actions and their
    documents, SLA and escalation events, dispatch logs, warranty dates): only the product's
    own methods and the after-sales managers write them.

    Each feature declares its fields by extending `_aftersales_system_fields()`; `create`
    and `write` check them once, here. The product's methods write them through
    `_aftersales_system()`. A superuser environment (`sudo()`, the crons) is the system
    too: sudo code is the product's own, and it never writes a value of these fields that
    comes from outside (a portal controller that writes with sudo whitelists its fields).
    """

    _name = "aftersales.system.fields.mixin"
    _description = "After-Sales System-Recorded Fields"

    def _aftersales_system_fields(self):
        """The names of the fields only the system writes (features extend the set)."""
        return set()

    def _aftersales_typed_on_create(self):
        """The system fields a user may still give when recording a record by hand."""
        return set()

    def _aftersales_system(self):
        """These records, allowed to write their system-recorded fields."""
        return self.with_context(**{SYSTEM_WRITE: True})

    def _check_system_fields(self, field_names):
        if self.env.su or self.env.context.get(SYSTEM_WRITE):
            return
        written = self._aftersales_system_fields() & set(field_names)
        if not written or self.env.user.has_group("aftersales_service.group_aftersales_manager"):
            return
        labels = sorted(self._fields[name]._description_string(self.env) for name in written)
        raise UserError(
            self.env._(
                "%(fields)s of %(model)s are recorded by the system and cannot be changed "
                "by hand. Use the buttons of the record, or ask an after-sales manager to "
                "correct them.",
                fields=", ".join(labels),
                model=self._description,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        # an empty value on a new record records nothing (a form sends its empty lists)
        given = {name for vals in vals_list for name, value in vals.items() if value}
        self._check_system_fields(given - self._aftersales_typed_on_create())
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_fields(vals)
        return super().write(vals)
