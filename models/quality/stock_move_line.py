from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# What a done move line records about the goods: after the gate ran, it no longer
# changes for inspected goods or goods in quarantine / awaiting inspection.
LOCKED_FIELDS = {
    "quantity",
    "product_uom_id",
    "product_id",
    "location_id",
    "location_dest_id",
    "lot_id",
    "lot_name",
}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _sg_locked_after_done(self):
        """Done lines of gated goods, or touching quarantine / awaiting inspection."""
        return self.filtered(
            lambda ml: ml.state == "done"
            and (
                (ml.move_id and ml.move_id._sg_gated_by_source())
                or ml.location_id._sg_is_held()
                or ml.location_dest_id._sg_is_held()
            )
        )

    def _sg_refuse_locked(self, lines):
        products = lines.product_id if lines._name == "stock.move.line" else lines
        raise UserError(
            _(
                "%(products)s: the goods of a done transfer that was "
                "quality-inspected (or that touches quarantine) cannot be changed "
                "afterwards. Receive more goods with a new receipt, so that they are "
                "inspected.",
                products=", ".join(sorted(set(products.mapped("display_name")))),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env["stock.move"]._sg_is_internal_write():
            move_ids = [vals["move_id"] for vals in vals_list if vals.get("move_id")]
            done = (
                self.env["stock.move"]
                .browse(move_ids)
                .filtered(lambda m: m.state == "done")
            )
            Location = self.env["stock.location"]
            for vals in vals_list:
                move = done.filtered(lambda m, v=vals: m.id == v.get("move_id"))
                if move and (
                    move._sg_gated_by_source()
                    or Location.browse(
                        vals.get("location_id") or move.location_id.id
                    )._sg_is_held()
                    or Location.browse(
                        vals.get("location_dest_id") or move.location_dest_id.id
                    )._sg_is_held()
                ):
                    self._sg_refuse_locked(move.product_id)
        lines = super().create(vals_list)
        if not self.env["stock.move"]._sg_is_internal_write():
            locked = lines._sg_locked_after_done()
            if locked:
                self._sg_refuse_locked(locked)
        return lines

    def write(self, vals):
        if (
            LOCKED_FIELDS.intersection(vals)
            and not self.env["stock.move"]._sg_is_internal_write()
        ):
            locked = self._sg_locked_after_done()
            if locked:
                moving = {
                    "location_id",
                    "location_dest_id",
                    "product_id",
                    "product_uom_id",
                    "lot_id",
                    "lot_name",
                }.intersection(vals)
                changed = locked
                if not moving:
                    # only the quantity: lowering it stays Odoo's business, raising it
                    # is refused
                    changed = locked.filtered(
                        lambda ml: float_compare(
                            vals["quantity"],
                            ml.quantity,
                            precision_rounding=ml.product_uom_id.rounding,
                        )
                        > 0
                    )
                else:
                    changed = locked.filtered(
                        lambda ml: any(
                            (ml[f].id if ml._fields[f].type == "many2one" else ml[f])
                            != (vals[f] or False)
                            for f in moving
                        )
                    )
                if changed:
                    self._sg_refuse_locked(changed)
        return super().write(vals)
