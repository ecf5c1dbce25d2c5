from odoo import models


class _ReturnFrom:
    """Context value naming the location a return leaves from. Only this module's Python
    code can build it (RPC sends JSON values), so no caller can redirect a return by
    context."""

    __slots__ = ("location_id",)

    def __init__(self, location_id):
        self.location_id = location_id


_RETURN_FROM_KEY = "sale_governance_return_from"


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values_based_on(self, picking):
        vals = super()._prepare_picking_default_values_based_on(picking)
        # returns of rejected goods leave from quarantine, not from saleable stock
        marker = self.env.context.get(_RETURN_FROM_KEY)
        if isinstance(marker, _ReturnFrom):
            vals["location_id"] = marker.location_id
        return vals

    def _sg_create_return_from(self, location, inspection):
        """Odoo's return of the rejected goods, leaving from ``location`` (quarantine),
        released by ``inspection``: the only way goods leave quarantine towards the
        vendor."""
        new_picking = self.with_context(
            **{_RETURN_FROM_KEY: _ReturnFrom(location.id)}
        )._create_return()
        new_picking.move_ids._sg_protected_write(
            {"sg_release_inspection_id": inspection.id}
        )
        return new_picking
