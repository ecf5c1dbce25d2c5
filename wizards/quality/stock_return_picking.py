from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _prepare_picking_default_values_based_on(self, picking):
        vals = super()._prepare_picking_default_values_based_on(picking)
        # returns of rejected goods leave from quarantine, not from saleable stock
        location_id = self.env.context.get("sg_return_from_location")
        if location_id:
            vals["location_id"] = location_id
        return vals
