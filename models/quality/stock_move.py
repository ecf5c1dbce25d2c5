from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class StockMove(models.Model):
    _inherit = ["stock.move", "sale.governance.protected.mixin"]
    _name = "stock.move"

    sg_inspection_state = fields.Selection(
        [
            ("todo", "To Inspect"),
            ("pass", "Passed"),
            ("partial", "Partially Accepted"),
            ("fail", "Failed"),
        ],
        string="Inspection",
        compute="_compute_sg_inspection_state",
    )
    sg_inspection_label = fields.Char(
        string="Inspection Status",
        compute="_compute_sg_inspection_state",
        help="How many inspections of this line's goods wait, or their result.",
    )
    sg_release_inspection_id = fields.Many2one(
        "sale.governance.inspection",
        string="Released by Inspection",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The inspection whose decision moves these goods out of quarantine or "
        "out of the location awaiting inspection.",
    )

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {"sg_release_inspection_id"}

    @api.depends(
        "picking_id.sg_inspection_ids.state",
        "picking_id.sg_inspection_ids.result",
        "product_id",
    )
    def _compute_sg_inspection_state(self):
        # the pickings' inspections are read once for all moves (one2many prefetch)
        labels = dict(
            self._fields["sg_inspection_state"]._description_selection(self.env)
        )
        for move in self:
            inspections = move.picking_id.sg_inspection_ids.filtered(
                lambda i, m=move: i.product_id == m.product_id and i.state != "cancel"
            )
            waiting = inspections.filtered(lambda i: i.state == "todo")
            if not inspections:
                move.sg_inspection_state = False
                move.sg_inspection_label = False
            elif waiting:
                move.sg_inspection_state = "todo"
                move.sg_inspection_label = (
                    _("%(count)s to inspect", count=len(waiting))
                    if len(inspections) > 1
                    else labels["todo"]
                )
            else:
                results = set(inspections.mapped("result"))
                move.sg_inspection_state = (
                    results.pop() if len(results) == 1 else "partial"
                )
                move.sg_inspection_label = labels[move.sg_inspection_state]

    # ------------------------------------------------------------------ which goods are
    # gated
    def _sg_gated_by_source(self):
        """Whether these goods need an inspection before they enter stock, judged from
        the goods (product or category flag) and where they come from, whatever
        operation type carries them: vendors and production always; customers when the
        company inspects returns; any source when the operation type asks for an
        inspection."""
        self.ensure_one()
        if not self.product_id.product_tmpl_id._sg_needs_inspection():
            return False
        source = self.location_id
        if source._sg_is_held():
            return False
        if source.usage in ("supplier", "production"):
            return True
        picking_type = self.picking_type_id or self.picking_id.picking_type_id
        if source.usage == "customer" and self.company_id.sg_inspect_customer_returns:
            return True
        return bool(
            picking_type.sg_inspection_required or picking_type.sg_production_receipt
        )

    def _sg_enters_stock(self):
        """Whether some of these goods go into an ordinary internal location (not
        quarantine nor awaiting inspection)."""
        self.ensure_one()
        lines = self.move_line_ids.filtered(lambda ml: ml.quantity)
        destinations = lines.location_dest_id if lines else self.location_dest_id
        return any(d.usage == "internal" and not d._sg_is_held() for d in destinations)

    def _sg_is_gated(self):
        self.ensure_one()
        return self._sg_gated_by_source() and self._sg_enters_stock()

    def write(self, vals):
        if "quantity" in vals and not self._sg_is_internal_write():
            raised = self.filtered(
                lambda m: m.state == "done"
                and float_compare(
                    vals["quantity"],
                    m.quantity,
                    precision_rounding=m.product_uom.rounding,
                )
                > 0
                and (
                    m._sg_gated_by_source()
                    or m.move_line_ids.location_dest_id.filtered("sg_is_quarantine")
                    or m.move_line_ids.location_id.filtered(
                        lambda loc: loc._sg_is_held()
                    )
                )
            )
            if raised:
                self.env["stock.move.line"]._sg_refuse_locked(raised.product_id)
        return super().write(vals)

    # ------------------------------------------------------------------ gates
    def _action_assign(self, force_qty=False):
        res = super()._action_assign(force_qty=force_qty)
        self.picking_id._sg_create_inspections()
        return res

    def _action_done(self, cancel_backorder=False):
        """Every path that brings goods into stock passes here (pickings, backorder
        wizard, moves without a transfer): gated goods need their inspection, and goods
        leave quarantine or the location awaiting inspection only on an inspection's
        decision."""
        todo = self.filtered(lambda m: m.state not in ("done", "cancel"))
        todo._sg_check_goods_gate()
        todo._sg_check_held_locations()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _sg_check_goods_gate(self):
        gated = self.filtered(
            lambda m: not float_is_zero(
                m.quantity, precision_rounding=m.product_uom.rounding
            )
            and m._sg_is_gated()
        )
        if not gated:
            return
        loose = gated.filtered(lambda m: not m.picking_id)
        if loose:
            raise UserError(
                _(
                    "%(products)s need a quality inspection before entering stock; "
                    "receive them with a transfer (a receipt), where the inspection "
                    "is recorded.",
                    products=", ".join(loose.product_id.mapped("display_name")),
                )
            )
        gated.picking_id._sg_check_inspection_gate(gated)

    def _sg_check_held_locations(self):
        """Quarantine and awaiting-inspection stock leaves only through an
        inspection."""
        refused = []
        for move in self:
            lines = move.move_line_ids.filtered(
                lambda ml: ml.quantity and ml.location_id._sg_is_held()
            )
            if not lines:
                continue
            release = move.sg_release_inspection_id
            for ml in lines:
                dest = ml.location_dest_id
                if dest._sg_is_held():
                    continue
                allowed = (
                    release
                    and release.sudo().state == "done"
                    and (ml.location_id.sg_is_awaiting or dest.usage != "internal")
                )
                if not allowed:
                    refused.append(ml)
        if refused:
            raise UserError(
                _(
                    "%(products)s: goods in %(location)s leave it only through a "
                    "quality inspector's decision on the inspection (booking of the "
                    "result, Return to Vendor, Move to Quarantine), not by an "
                    "ordinary transfer.",
                    products=", ".join(
                        sorted({ml.product_id.display_name for ml in refused})
                    ),
                    location=refused[0].location_id.display_name,
                )
            )
