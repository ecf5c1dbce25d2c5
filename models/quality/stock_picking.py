from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class StockPicking(models.Model):
    _inherit = "stock.picking"

    sg_inspection_ids = fields.One2many(
        "sale.governance.inspection", "picking_id", string="Inspections"
    )
    sg_inspection_required = fields.Boolean(
        related="picking_type_id.sg_inspection_required", string="Inspection Required"
    )
    sg_inspection_count = fields.Integer(
        string="Number of Inspections", compute="_compute_sg_inspection_status"
    )
    sg_inspection_todo_count = fields.Integer(
        string="Inspections Waiting", compute="_compute_sg_inspection_status"
    )
    sg_inspection_status = fields.Selection(
        [
            ("none", "No Inspection"),
            ("todo", "Waiting for Inspection"),
            ("done", "Inspected"),
        ],
        string="Quality Inspection",
        compute="_compute_sg_inspection_status",
    )

    @api.depends("sg_inspection_ids.state")
    def _compute_sg_inspection_status(self):
        for picking in self:
            inspections = picking.sg_inspection_ids.filtered(
                lambda i: i.state != "cancel"
            )
            picking.sg_inspection_count = len(inspections)
            picking.sg_inspection_todo_count = len(
                inspections.filtered(lambda i: i.state == "todo")
            )
            if not inspections:
                picking.sg_inspection_status = "none"
            elif any(i.state == "todo" for i in inspections):
                picking.sg_inspection_status = "todo"
            else:
                picking.sg_inspection_status = "done"

    # ------------------------------------------------------------------ overrides
    def write(self, vals):
        if (
            "picking_type_id" in vals
            and not self.env["stock.move"]._sg_is_internal_write()
        ):
            new_type = self.env["stock.picking.type"].browse(vals["picking_type_id"])
            if not new_type.sg_inspection_required and self.sg_inspection_ids.filtered(
                lambda i: i.state == "todo"
            ):
                raise UserError(
                    _(
                        "Goods of this transfer wait for their quality inspection; it "
                        "cannot move to an operation type without inspection."
                    )
                )
        return super().write(vals)

    def button_validate(self):
        # early, clear refusal before the backorder wizard; _action_done checks again
        self.filtered(
            lambda p: p.state not in ("draft", "done", "cancel")
            and not p._sg_is_production_receipt()
        )._sg_check_inspection_gate()
        return super().button_validate()

    def _sg_stock_gates(self):
        """The quality gate runs second in ``_action_done`` (governance), where every
        path that validates a transfer passes (button, backorder wizard, RPC), and
        again in ``stock.move._action_done``."""
        gate = (20, "quality", "_sg_quality_before_done", "_sg_quality_after_done")
        return super()._sg_stock_gates() + [gate]

    def _sg_quality_before_done(self):
        """Finished goods still waiting for their inspection go to the location
        awaiting inspection; rejected goods go to quarantine instead of stock; the gate
        of the moves refuses whatever else waits for inspection."""
        self._sg_route_to_awaiting()
        self._sg_may_carry_inspections()._sg_route_rejected_to_quarantine()

    def _sg_quality_after_done(self):
        """Book the result of the inspections decided (accepted, rejected goods)."""
        self._sg_may_carry_inspections().sg_inspection_ids.filtered(
            lambda i: i.state == "done"
        )._sg_book_on_result()

    def _sg_may_carry_inspections(self):
        """The transfers of ``self`` that may carry inspections; the others (plain
        deliveries) cost the stock gate no query.

        Inspections are created for the goods that need one because of where they come
        from (``stock.move._sg_gated_by_source``), and follow them into backorders and
        split transfers. A transfer all of whose moves hand goods to a customer, none
        of them needing an inspection, is a delivery: its goods do not enter stock and
        no inspection decides where they go. Judged from its moves (their locations and
        products, read already by the gate of ``button_validate``) exactly as the
        quality gate judges goods, never from a flag of the transfer itself.
        """
        return self.filtered(
            lambda p: not p.move_ids
            or any(
                m.location_dest_id.usage != "customer" or m._sg_gated_by_source()
                for m in p.move_ids
            )
        )

    # ------------------------------------------------------------------ actions
    def action_sg_view_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_governance.sale_governance_inspection_action"
        )
        action["domain"] = [("picking_id", "=", self.id)]
        action["context"] = {
            "create": False,
            "search_default_todo": bool(self.sg_inspection_todo_count),
        }
        if self.sg_inspection_count == 1:
            action.update(
                view_mode="form",
                views=[(False, "form")],
                res_id=self.sg_inspection_ids.id,
            )
        return action

    def action_sg_create_inspections(self):
        """Create the inspections missing (e.g. after lots or quantities were entered)
        and bring the quantity of those waiting in line with the goods."""
        for picking in self:
            for move in picking.move_ids:
                template = move.product_id.product_tmpl_id._sg_foreign_template(
                    picking.company_id
                )
                if template and move._sg_gated_by_source():
                    raise UserError(
                        picking._sg_foreign_template_message(move.product_id, template)
                    )
        self._sg_create_inspections(refresh=True)
        return True

    def _sg_foreign_template_message(self, product, template):
        return _(
            "%(product)s: its inspection checklist %(template)s belongs to company "
            "%(company)s. An inventory or governance administrator of %(company)s "
            "must share it (leave its company empty) or give the product a checklist "
            "of %(this)s.",
            product=product.display_name,
            template=template.name,
            company=template.company_id.name,
            this=self.company_id.name,
        )

    # ------------------------------------------------------------------ business
    def _sg_gated(self):
        return self.filtered(lambda p: p.state not in ("done", "cancel"))

    @api.model
    def _sg_move_qty(self, move):
        return move.product_uom._compute_quantity(
            move.quantity, move.product_id.uom_id, rounding_method="HALF-UP"
        )

    def _sg_moves_to_inspect(self, states=None):
        """Moves of ``self`` whose goods need an inspection, with a quantity to
        receive."""
        return self.move_ids.filtered(
            lambda m: (
                m.state in states if states else m.state not in ("done", "cancel")
            )
            and not float_is_zero(m.quantity, precision_rounding=m.product_uom.rounding)
            and m._sg_gated_by_source()
        )

    def _sg_is_production_receipt(self):
        self.ensure_one()
        return (
            self.picking_type_id.sg_production_receipt
            or self.location_id.usage == "production"
        )

    def _sg_create_inspections(self, refresh=False):
        """One inspection per product (and lot, when lots are known) of the ready
        receipts that need one. Inspections follow the goods into backorders and split
        transfers. With ``refresh``, the quantity of an inspection still waiting (not
        signed) follows the goods."""
        pickings = self._sg_gated()
        moves = pickings._sg_moves_to_inspect(
            states=("confirmed", "waiting", "partially_available", "assigned")
        )
        if not moves:
            return self.env["sale.governance.inspection"]
        pickings = moves.picking_id
        moves.move_line_ids.mapped(
            "lot_name"
        )  # prefetch the lines of every move at once
        origins = pickings.backorder_id
        Inspection = self.env["sale.governance.inspection"].sudo()
        moves.product_id.product_tmpl_id.categ_id.mapped("sg_inspection_template_id")
        existing = Inspection.search(
            [("picking_id", "in", (pickings | origins).ids), ("state", "!=", "cancel")]
        )
        inspected = defaultdict(list)  # (picking, product) -> inspection ids
        for inspection in existing:
            inspected[inspection.picking_id, inspection.product_id].append(
                inspection.id
            )
        vals_list = []
        to_refresh = []
        to_follow = Inspection
        for picking, products in self._sg_group_moves(moves).items():
            origin = picking.backorder_id
            for product, product_moves in products.items():
                qty = sum(self._sg_move_qty(m) for m in product_moves)
                if inspected.get((picking, product)):
                    if refresh:
                        to_refresh.append(
                            (Inspection.browse(inspected[picking, product]), qty)
                        )
                    continue
                if origin:
                    origin_inspections = Inspection.browse(
                        inspected.get((origin, product), [])
                    ).with_prefetch(existing._prefetch_ids)
                    if origin_inspections and origin.state != "done":
                        # split transfer: inspections whose goods all left the origin
                        # follow them
                        if not origin._sg_moves_to_inspect().filtered(
                            lambda m, p=product: m.product_id == p
                        ):
                            to_follow |= origin_inspections
                            origin_inspections._sg_protected_write(
                                {"picking_id": picking.id}
                            )
                            continue
                    elif origin_inspections:
                        carried = origin._sg_carry_over_vals(
                            product, origin_inspections, picking
                        )
                        if carried:
                            vals_list.append(carried)
                            qty -= carried["quantity"]
                            if (
                                float_compare(
                                    qty, 0, precision_rounding=product.uom_id.rounding
                                )
                                <= 0
                            ):
                                continue
                vals_list += picking._sg_inspection_vals(product, product_moves, qty)
        for inspections, qty in to_refresh:
            waiting = inspections.filtered(
                lambda i: i.state == "todo"
                and not i.lot_name
                and all(s.state == "pending" for s in i.signoff_ids)
            )
            if (
                len(waiting) == 1
                and len(inspections) == 1
                and float_compare(
                    waiting.quantity,
                    qty,
                    precision_rounding=waiting.product_id.uom_id.rounding,
                )
            ):
                waiting._sg_protected_write(
                    {
                        "quantity": qty,
                        "sample_size": Inspection._sample_size_for(
                            waiting.product_id, qty
                        ),
                    }
                )
        inspections = (
            Inspection._sg_protected_create(vals_list).sudo()
            if vals_list
            else Inspection
        )
        todo_pickings = inspections.filtered(lambda i: i.state == "todo").picking_id
        todo_pickings._sg_schedule_inspection_activities()
        return inspections | to_follow

    @api.model
    def _sg_group_moves(self, moves):
        """{picking: {product: moves}} in one pass, keeping the prefetch of
        ``moves``."""
        grouped = defaultdict(lambda: defaultdict(list))
        for move in moves:
            grouped[move.picking_id][move.product_id].append(move.id)
        return {
            picking: {
                product: moves.browse(ids).with_prefetch(moves._prefetch_ids)
                for product, ids in products.items()
            }
            for picking, products in grouped.items()
        }

    def _sg_inspection_vals(self, product, moves, qty):
        """Values of the inspections of ``product``: one per lot when every line has its
        lot."""
        self.ensure_one()
        Inspection = self.env["sale.governance.inspection"]
        if product.product_tmpl_id._sg_foreign_template(self.company_id):
            # another company's checklist: no inspection; the gate explains what to
            # share
            return []
        template = product.product_tmpl_id._sg_inspection_template(self.company_id)
        lines = template._sg_inspection_line_commands()
        common = {
            "kind": "receipt",
            "company_id": self.company_id.id,
            "picking_id": self.id,
            "product_id": product.id,
            "template_id": template.id,
            "joint_required": self._sg_is_production_receipt()
            or product.product_tmpl_id._sg_needs_joint_inspection(),
        }
        per_lot = defaultdict(float)
        move_lines = moves.move_line_ids
        if (
            product.tracking != "none"
            and move_lines
            and all(ml.lot_name or ml.lot_id for ml in move_lines)
        ):
            for ml in move_lines:
                per_lot[ml.lot_name or ml.lot_id.name] += (
                    ml.product_uom_id._compute_quantity(
                        ml.quantity, product.uom_id, rounding_method="HALF-UP"
                    )
                )
        if not per_lot:
            per_lot[False] = qty
        return [
            dict(
                common,
                lot_name=lot,
                quantity=lot_qty,
                sample_size=Inspection._sample_size_for(product, lot_qty),
                line_ids=lines,
            )
            for lot, lot_qty in per_lot.items()
            if lot_qty > 0
        ]

    def _sg_carry_over_vals(self, product, inspections, backorder):
        """Inspected goods of a processed receipt that went to its backorder keep their
        result."""
        self.ensure_one()
        rounding = product.uom_id.rounding
        done = inspections.filtered(lambda i: i.state == "done")
        inspected = sum(done.mapped("quantity"))
        received = sum(
            self._sg_move_qty(m)
            for m in self.move_ids.filtered(
                lambda m: m.state == "done" and m.product_id == product
            )
        )
        leftover = inspected - received
        if float_compare(leftover, 0, precision_rounding=rounding) <= 0:
            return False
        rejected = sum(done.mapped("qty_rejected"))
        rejected_left = max(rejected - min(rejected, received), 0.0)
        return {
            "kind": "receipt",
            "company_id": backorder.company_id.id,
            "picking_id": backorder.id,
            "product_id": product.id,
            "template_id": done[:1].template_id.id,
            "quantity": leftover,
            "sample_size": 0.0,
            "qty_accepted": leftover - rejected_left,
            "qty_rejected": rejected_left,
            "inspector_ids": [fields.Command.set(done.inspector_ids.ids)],
            "state": "done",
            "result": "pass"
            if float_is_zero(rejected_left, precision_rounding=rounding)
            else (
                "fail"
                if float_compare(rejected_left, leftover, precision_rounding=rounding)
                >= 0
                else "partial"
            ),
            "date_done": max(done.mapped("date_done")),
            "origin_inspection_id": done[:1].id,
            "notes": _("Inspected with %(picking)s.", picking=self.name),
        }

    def _sg_schedule_inspection_activities(self):
        """One to-do per receipt for each quality inspector of its company, in one
        create."""
        if not self:
            return
        activity_type = self.env.ref(
            "sale_governance.mail_activity_type_inspection", raise_if_not_found=False
        )
        inspectors = (
            self.env.ref("sale_governance.group_quality_inspector")
            .sudo()
            .users.filtered(lambda u: not u.share)
        )
        model_id = self.env["ir.model"]._get_id("stock.picking")
        vals_list = []
        for picking in self:
            for user in inspectors.filtered(
                lambda u, p=picking: p.company_id in u.company_ids
            ):
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": picking.id,
                        "activity_type_id": activity_type.id
                        if activity_type
                        else False,
                        "summary": _(
                            "Inspect the goods of %(picking)s", picking=picking.name
                        ),
                        "user_id": user.id,
                        "date_deadline": fields.Date.context_today(self),
                    }
                )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)

    def _sg_close_inspection_activities(self):
        done = self.filtered(lambda p: p.sg_inspection_status == "done")
        if done:
            self.env["sale.governance.inspection"]._sg_close_activities(
                done, _("All goods inspected.")
            )

    def _sg_check_inspection_gate(self, moves=None):
        """Refuse while any goods to receive wait for their inspection, listing the
        products."""
        if moves is None:
            moves = (
                self._sg_gated()
                ._sg_moves_to_inspect()
                .filtered(lambda m: m._sg_enters_stock())
            )
        if not moves:
            return
        messages = []
        inspected = defaultdict(list)  # (picking, product) -> inspection ids
        all_inspections = moves.picking_id.sg_inspection_ids
        for inspection in all_inspections:
            if inspection.state != "cancel":
                inspected[inspection.picking_id, inspection.product_id].append(
                    inspection.id
                )
        Inspection = self.env["sale.governance.inspection"]
        for picking, products in self._sg_group_moves(moves).items():
            waiting = []
            for product, product_moves in products.items():
                mine = Inspection.browse(
                    inspected.get((picking, product), [])
                ).with_prefetch(all_inspections._prefetch_ids)
                qty = sum(self._sg_move_qty(m) for m in product_moves)
                rounding = product.uom_id.rounding
                foreign = product.product_tmpl_id._sg_foreign_template(
                    picking.company_id
                )
                if not mine and foreign:
                    waiting.append(
                        picking._sg_foreign_template_message(product, foreign)
                    )
                elif not mine:
                    waiting.append(
                        _(
                            "%(product)s (no inspection yet)",
                            product=product.display_name,
                        )
                    )
                elif any(i.state == "todo" for i in mine):
                    waiting.append(
                        _("%(product)s (to inspect)", product=product.display_name)
                    )
                elif (
                    float_compare(
                        qty, sum(mine.mapped("quantity")), precision_rounding=rounding
                    )
                    > 0
                ):
                    waiting.append(
                        _(
                            "%(product)s (%(inspected)s inspected, %(qty)s to receive)",
                            product=product.display_name,
                            inspected=mine._sg_fmt_qty(sum(mine.mapped("quantity"))),
                            qty=mine._sg_fmt_qty(qty, product.uom_id, with_unit=True),
                        )
                    )
                elif all(i.lot_name for i in mine):
                    lots = {
                        ml.lot_name or ml.lot_id.name
                        for ml in product_moves.move_line_ids
                        if ml.quantity
                    }
                    missing = lots - set(mine.mapped("lot_name"))
                    if missing:
                        waiting.append(
                            _(
                                "%(product)s (lots not inspected: %(lots)s)",
                                product=product.display_name,
                                lots=", ".join(sorted(str(lot) for lot in missing)),
                            )
                        )
            if waiting:
                messages.append(
                    _(
                        "%(picking)s: %(products)s",
                        picking=picking.name,
                        products="; ".join(waiting),
                    )
                )
        if messages:
            raise UserError(
                _(
                    "These goods wait for their quality inspection; a quality "
                    "inspector must record the result before the receipt can be "
                    "validated (use 'Create Inspections' for goods that have none "
                    "yet):\n%(details)s",
                    details="\n".join(messages),
                )
            )

    def _sg_route_to_awaiting(self):
        """Production receipts: finished goods whose inspection is not recorded yet are
        received into the warehouse's location awaiting inspection; the result books
        them (not before)."""
        for picking in self._sg_gated().filtered(
            lambda p: p._sg_is_production_receipt()
        ):
            moves = picking._sg_moves_to_inspect()
            if not moves:
                continue
            picking._sg_create_inspections()
            awaiting = (
                picking.picking_type_id.warehouse_id.sg_awaiting_location_id
                or picking.location_dest_id.warehouse_id.sg_awaiting_location_id
            )
            inspections = picking.sg_inspection_ids.filtered(
                lambda i: i.state != "cancel"
            )
            waiting_products = inspections.filtered(
                lambda i: i.state == "todo"
            ).product_id
            if not waiting_products:
                continue
            if not awaiting:
                raise UserError(
                    _(
                        "%(picking)s: finished goods wait for their inspection and "
                        "the warehouse has no location awaiting inspection. Set one "
                        "on the warehouse (Inventory > Configuration > Warehouses).",
                        picking=picking.name,
                    )
                )
            lines = moves.move_line_ids.filtered(
                lambda ml, products=waiting_products: ml.product_id in products
            )
            lines.write({"location_dest_id": awaiting.id})
            inspections.filtered(
                lambda i, products=waiting_products: i.product_id in products
            )._sg_protected_write({"location_id": awaiting.id})
            picking.message_post(
                body=_(
                    "Finished goods received into %(location)s until the joint "
                    "inspection group's result: %(products)s",
                    location=awaiting.display_name,
                    products=", ".join(waiting_products.mapped("display_name")),
                )
            )

    def _sg_route_rejected_to_quarantine(self):
        """Rejected quantities go to the warehouse's quarantine location, never to
        stock."""
        for picking in self._sg_gated():
            rejecting = picking.sg_inspection_ids.filtered(
                lambda i: i.state == "done" and i.qty_rejected > 0
            )
            if not rejecting:
                continue
            quarantine = (
                picking.picking_type_id.warehouse_id.sg_quarantine_location_id
                or picking.location_dest_id.warehouse_id.sg_quarantine_location_id
            )
            if not quarantine:
                raise UserError(
                    _(
                        "%(picking)s: rejected goods need a quarantine location. Set "
                        "one on the warehouse (Inventory > Configuration > "
                        "Warehouses).",
                        picking=picking.name,
                    )
                )
            for inspection in rejecting:
                product = inspection.product_id
                remaining = inspection.qty_rejected
                move_lines = picking.move_line_ids.filtered(
                    lambda ml, i=inspection, q=quarantine: ml.product_id == i.product_id
                    and ml.location_dest_id != q
                    and ml.quantity > 0
                    and ml.move_id.state not in ("done", "cancel")
                    and (
                        not i.lot_name or (ml.lot_name or ml.lot_id.name) == i.lot_name
                    )
                )
                for ml in move_lines:
                    if (
                        float_compare(
                            remaining, 0, precision_rounding=product.uom_id.rounding
                        )
                        <= 0
                    ):
                        break
                    ml_qty = ml.product_uom_id._compute_quantity(
                        ml.quantity, product.uom_id, rounding_method="HALF-UP"
                    )
                    if (
                        float_compare(
                            ml_qty,
                            remaining,
                            precision_rounding=product.uom_id.rounding,
                        )
                        <= 0
                    ):
                        ml.location_dest_id = quarantine
                        remaining -= ml_qty
                    else:
                        split_qty = product.uom_id._compute_quantity(
                            remaining, ml.product_uom_id
                        )
                        ml.copy(
                            {
                                "quantity": split_qty,
                                "location_dest_id": quarantine.id,
                                "move_id": ml.move_id.id,
                                "picking_id": picking.id,
                            }
                        )
                        ml.quantity -= split_qty
                        remaining = 0.0
            picking.message_post(
                body=_(
                    "Rejected goods sent to %(location)s: %(details)s",
                    location=quarantine.display_name,
                    details=", ".join(
                        f"{i.product_id.display_name} "
                        f"{i._sg_fmt_qty(i.qty_rejected, with_unit=True)}"
                        for i in rejecting
                    ),
                )
            )
