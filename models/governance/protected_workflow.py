"""Protected workflow fields: one mechanism for every model of the addon.

A field that records a decision of the policy (a state, a result, an approval's
bookkeeping, a quadrant, the policy scope ...) changes only inside the addon's own
action methods. Those methods check who acts and the business rules first, then write
through :meth:`_sg_protected_write`, which writes with ``sudo()`` and an internal
marker.

The marker is honoured only when the environment is superuser **and** the context value
is the module's own sentinel object. A caller of Odoo's external API controls the whole
context, but it can only send JSON values, never this object, and it never runs as
superuser: no context key sent from outside relaxes anything.

Use::

    class SaleGovernanceInspection(models.Model):
        _name = "sale.governance.inspection"
        _inherit = ["sale.governance.protected.mixin", "mail.thread"]

        def _sg_protected_fields(self):
            return super()._sg_protected_fields() | {"state", "result"}

        def action_done(self):
            self._check_inspector()                       # who acts, business rules
            self._sg_protected_write({"state": "done"})   # then the write

Extensions of core models (``sale.order``, ``stock.picking`` ...) inherit the mixin the
same way (``_inherit = ["sale.order", "sale.governance.protected.mixin"]``) and add
their fields by overriding :meth:`_sg_protected_fields`; every feature adds its own and
calls ``super()``.
"""

from odoo import _, api, models
from odoo.exceptions import UserError

# The internal marker. Only Python code of this process holds a reference to this
# object.
_INTERNAL_WRITE = object()
_MARKER_KEY = "sale_governance_internal_write"


class SaleGovernanceProtectedMixin(models.AbstractModel):
    _name = "sale.governance.protected.mixin"
    _description = "Sales Governance: fields changed only by the policy's own actions"

    # ------------------------------------------------------------------ configuration
    def _sg_protected_fields(self):
        """Names of the fields that only the addon's action methods change (extend with
        super())."""
        return set()

    def _sg_protected_create_allowed(self, field_name, value):
        """Whether ``create`` may set a protected field to ``value`` (by default: its
        default)."""
        field = self._fields.get(field_name)
        if field is None:
            return True
        default = self.default_get([field_name]).get(field_name)
        if field.type in ("many2one",):
            value = value or False
            default = default or False
        elif field.type in ("one2many", "many2many"):
            return not value
        elif field.type == "boolean":
            value, default = bool(value), bool(default)
        return value == default

    # ------------------------------------------------------------------ the marker
    def _sg_is_internal_write(self):
        """True only inside :meth:`_sg_protected_write` (superuser and the module's
        sentinel)."""
        return self.env.su and self.env.context.get(_MARKER_KEY) is _INTERNAL_WRITE

    def _sg_internal(self):
        """These records, as superuser with the internal marker, for the addon's own
        writes.

        Call it only after the action has checked who acts and the business rules.
        """
        return self.sudo().with_context(**{_MARKER_KEY: _INTERNAL_WRITE})

    def _sg_protected_write(self, vals):
        """Write ``vals`` (protected fields included) after the caller has checked the
        rules."""
        return self._sg_internal().write(vals)

    def _sg_protected_create(self, vals_list):
        """Create records whose protected fields the addon sets itself (returned without
        sudo)."""
        return self._sg_internal().create(vals_list).with_env(self.env)

    # ------------------------------------------------------------------ the guard
    def _sg_refuse_protected(self, field_names):
        labels = sorted(
            self._fields[name]._description_string(self.env) for name in field_names
        )
        raise UserError(
            _(
                "%(fields)s of %(model)s cannot be set directly: they change only "
                "through the policy's own actions (the buttons on the form). Use "
                "those actions instead.",
                fields=", ".join(labels),
                model=self._description,
            )
        )

    def _sg_check_protected_vals(self, vals_list, creating=False):
        if self._sg_is_internal_write():
            return
        protected = self._sg_protected_fields()
        if not protected:
            return
        refused = set()
        for vals in vals_list:
            for name in protected.intersection(vals):
                if creating and self._sg_protected_create_allowed(name, vals[name]):
                    continue
                if not creating and self._sg_protected_unchanged(name, vals[name]):
                    continue
                refused.add(name)
        if refused:
            self._sg_refuse_protected(refused)

    def _sg_protected_unchanged(self, field_name, value):
        """A write that sends a protected field's current value on every record changes
        nothing."""
        field = self._fields[field_name]
        if field.type in ("one2many", "many2many"):
            return False
        records = self.sudo()
        if field.type == "many2one":
            value = value or False
            return all((rec[field_name].id or False) == value for rec in records)
        try:
            value = field.convert_to_record(
                field.convert_to_cache(value, records), records
            )
        except (ValueError, TypeError):
            return False
        return all(rec[field_name] == value for rec in records)

    @api.model_create_multi
    def create(self, vals_list):
        self._sg_check_protected_vals(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._sg_check_protected_vals([vals])
        return super().write(vals)
