import math
import random

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

# Fields only the inspection's own actions may change (never a plain write).
PROTECTED_FIELDS = {
    "state",
    "result",
    "date_done",
    "quarantine_move_id",
    "kind",
    "picking_id",
    "product_id",
    "lot_name",
    "location_id",
    "company_id",
    "origin_inspection_id",
}
# Fields holding the inspection's findings: locked once the inspection is done.
RESULT_FIELDS = {
    "quantity",
    "sample_size",
    "qty_accepted",
    "qty_rejected",
    "inspector_ids",
    "line_ids",
}


def _sample_size(quantity, mode, size):
    """Sample of ``quantity`` for a sampling rule: rounded up, at least 1, at most ``quantity``."""
    if quantity <= 0:
        return 0.0
    if mode == "percent":
        sample = math.ceil(quantity * (size or 0.0) / 100.0)
    else:
        sample = math.ceil(size or 0.0)
    return float(min(max(sample, 1), quantity))


class SaleGovernanceInspection(models.Model):
    _name = "sale.governance.inspection"
    _description = "Quality Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    kind = fields.Selection(
        [("receipt", "Receipt Inspection"), ("spot", "Stock Spot Check")],
        required=True,
        default="receipt",
        readonly=True,
        tracking=True,
    )
    state = fields.Selection(
        [("todo", "To Inspect"), ("done", "Done"), ("cancel", "Cancelled")],
        required=True,
        default="todo",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    result = fields.Selection(
        [("pass", "Passed"), ("partial", "Partially Accepted"), ("fail", "Failed")],
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Receipt", index=True, check_company=True, readonly=True,
        ondelete="cascade",
    )
    picking_state = fields.Selection(related="picking_id.state", string="Receipt Status")
    partner_id = fields.Many2one(
        "res.partner", string="Vendor", compute="_compute_partner_id", store=True, index=True,
        readonly=True,
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True, readonly=True,
        tracking=True,
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", related="product_id.categ_id", store=True,
        index=True,
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    lot_name = fields.Char(string="Lot/Serial Number", readonly=True)
    location_id = fields.Many2one(
        "stock.location", string="Checked Location", check_company=True, readonly=True,
        help="Spot checks: the stock location whose goods on hand were checked.",
    )
    quarantine_location_id = fields.Many2one(
        "stock.location", compute="_compute_quarantine_location_id",
    )
    template_id = fields.Many2one(
        "sale.governance.inspection.template", string="Checklist", check_company=True,
        readonly=True,
    )
    quantity = fields.Float(
        string="Inspected Quantity", digits="Product Unit of Measure", tracking=True,
        help="Quantity received (receipts) or on hand (spot checks) that this inspection decides.",
    )
    sample_size = fields.Float(digits="Product Unit of Measure", tracking=True)
    qty_accepted = fields.Float(string="Accepted", digits="Product Unit of Measure", tracking=True)
    qty_rejected = fields.Float(string="Rejected", digits="Product Unit of Measure", tracking=True)
    inspector_ids = fields.Many2many(
        "res.users", string="Inspectors", tracking=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(
            "sale_governance.group_quality_inspector").ids)],
        help="The members of the joint inspection group who inspected the goods.",
    )
    date_done = fields.Datetime(string="Inspection Date", readonly=True, copy=False, tracking=True)
    notes = fields.Html()
    line_ids = fields.One2many(
        "sale.governance.inspection.line", "inspection_id", string="Checklist Results", copy=True
    )
    photo_ids = fields.Many2many("ir.attachment", string="Photos")
    origin_inspection_id = fields.Many2one(
        "sale.governance.inspection", string="Carried Over From", readonly=True, copy=False,
        help="Set when the inspected goods moved to a backorder or split transfer.",
    )
    quarantine_move_id = fields.Many2one("stock.move", readonly=True, copy=False)
    pass_rate = fields.Float(
        compute="_compute_rates", store=True, aggregator="avg",
        help="100 for a passed inspection, 0 otherwise; its average is the pass rate.",
    )
    acceptance_rate = fields.Float(compute="_compute_rates", store=True, aggregator="avg")

    @api.depends("picking_id.partner_id")
    def _compute_partner_id(self):
        for inspection in self:
            partner = inspection.picking_id.partner_id
            inspection.partner_id = partner.commercial_partner_id or partner

    @api.depends("picking_id", "location_id")
    def _compute_quarantine_location_id(self):
        for inspection in self:
            warehouse = (
                inspection.picking_id.picking_type_id.warehouse_id
                or inspection.location_id.warehouse_id
                or inspection.picking_id.location_dest_id.warehouse_id
            )
            inspection.quarantine_location_id = warehouse.sg_quarantine_location_id

    @api.depends("state", "result", "quantity", "qty_accepted")
    def _compute_rates(self):
        for inspection in self:
            done = inspection.state == "done"
            inspection.pass_rate = 100.0 if done and inspection.result == "pass" else 0.0
            inspection.acceptance_rate = (
                100.0 * inspection.qty_accepted / inspection.quantity
                if done and inspection.quantity
                else 0.0
            )

    @api.constrains("sample_size", "quantity", "qty_accepted", "qty_rejected")
    def _check_quantities(self):
        for inspection in self:
            rounding = inspection.product_id.uom_id.rounding or 0.01
            if min(inspection.quantity, inspection.sample_size, inspection.qty_accepted,
                   inspection.qty_rejected) < 0:
                raise ValidationError(
                    _("Inspection %(name)s: quantities cannot be negative.", name=inspection.name)
                )
            if float_compare(inspection.sample_size, inspection.quantity,
                             precision_rounding=rounding) > 0:
                raise ValidationError(
                    _(
                        "Inspection %(name)s: the sample (%(sample)s) is larger than the inspected "
                        "quantity (%(qty)s). Take a sample of at most %(qty)s.",
                        name=inspection.name,
                        sample=inspection.sample_size,
                        qty=inspection.quantity,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        new = self.env._("New")
        unnamed = [vals for vals in vals_list if vals.get("name", new) == new]
        for vals, name in zip(unnamed, self._sg_next_names(len(unnamed))):
            vals["name"] = name
        return super().create(vals_list)

    @api.model
    def _sg_next_names(self, count):
        """``count`` references from the inspection sequence in one query (a receipt may have
        hundreds of lines), instead of one ``next_by_code`` per inspection."""
        code = "sale.governance.inspection"
        if not count:
            return []
        seq = self.env["ir.sequence"].sudo().search(
            [("code", "=", code), ("company_id", "in", [self.env.company.id, False])],
            order="company_id",
            limit=1,
        )
        if count == 1 or not seq or seq.implementation != "standard" or seq.use_date_range:
            return [self.env["ir.sequence"].next_by_code(code) or self.env._("New") for _i in range(count)]
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)", ["ir_sequence_%03d" % seq.id, count]
        )
        return [seq.get_next_char(number) for (number,) in self.env.cr.fetchall()]

    def write(self, vals):
        self.check_access("write")
        if not self.env.context.get("sg_inspection_internal"):
            protected = PROTECTED_FIELDS.intersection(vals)
            if protected:
                raise UserError(
                    _(
                        "The status, result and subject of an inspection change only through its "
                        "buttons (Record Result, Reset to To Inspect), not by editing %(fields)s.",
                        fields=", ".join(sorted(protected)),
                    )
                )
            if RESULT_FIELDS.intersection(vals):
                self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(inspection.state == "done" for inspection in self):
            raise UserError(_("A recorded inspection cannot be deleted; it is the receipt's evidence."))

    def _check_editable(self):
        for inspection in self:
            if inspection.state != "todo":
                raise UserError(
                    _(
                        "Inspection %(name)s is recorded. Reset it to To Inspect before changing "
                        "its findings.",
                        name=inspection.name,
                    )
                )

    def _check_editable_lines(self):
        if not self.env.context.get("sg_inspection_internal"):
            self._check_editable()

    def _check_inspector(self):
        if not self.env.user.has_group("sale_governance.group_quality_inspector"):
            raise UserError(_("Only quality inspectors can record or change inspection results."))

    # ------------------------------------------------------------------ actions
    def action_done(self):
        """Record the result: validates the findings and decides passed / partial / failed."""
        self._check_inspector()
        for inspection in self:
            if inspection.state != "todo":
                raise UserError(
                    _("Inspection %(name)s is not waiting for a result.", name=inspection.name)
                )
            inspection._check_result_input()
        for inspection in self:
            rounding = inspection.product_id.uom_id.rounding
            if float_is_zero(inspection.qty_rejected, precision_rounding=rounding):
                result = "pass"
            elif float_is_zero(inspection.qty_accepted, precision_rounding=rounding):
                result = "fail"
            else:
                result = "partial"
            vals = {"state": "done", "result": result, "date_done": fields.Datetime.now()}
            if not inspection.inspector_ids:
                vals["inspector_ids"] = [fields.Command.link(self.env.user.id)]
            inspection.with_context(sg_inspection_internal=True).write(vals)
        self.picking_id._sg_close_inspection_activities()
        spot_checks = self.filtered(lambda i: i.kind == "spot")
        if spot_checks:
            self._sg_close_activities(spot_checks, _("Inspected."))
        return True

    @api.model
    def _sg_close_activities(self, records, feedback):
        """Mark the inspectors' to-dos on ``records`` done (one search, one feedback)."""
        activity_type = self.env.ref(
            "sale_governance.mail_activity_type_inspection", raise_if_not_found=False
        )
        if not records or not activity_type:
            return
        activities = self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        if activities:
            activities.action_feedback(feedback=feedback)

    def _check_result_input(self):
        self.ensure_one()
        rounding = self.product_id.uom_id.rounding
        if float_is_zero(self.quantity, precision_rounding=rounding):
            raise UserError(
                _("Inspection %(name)s: enter the inspected quantity.", name=self.name)
            )
        total = self.qty_accepted + self.qty_rejected
        if float_compare(total, self.quantity, precision_rounding=rounding) != 0:
            raise UserError(
                _(
                    "Inspection %(name)s: accepted (%(accepted)s) + rejected (%(rejected)s) = "
                    "%(total)s, but %(qty)s were inspected. Split the whole inspected quantity "
                    "between accepted and rejected.",
                    name=self.name,
                    accepted=self.qty_accepted,
                    rejected=self.qty_rejected,
                    total=total,
                    qty=self.quantity,
                )
            )
        missing = self.line_ids.filtered(lambda l: l.kind == "measure" and not l.is_measured)
        if missing:
            raise UserError(
                _(
                    "Inspection %(name)s: enter the measured value of %(items)s.",
                    name=self.name,
                    items=", ".join(missing.mapped("name")),
                )
            )
        undecided = self.line_ids.filtered(lambda l: l.kind == "check" and not l.result)
        if undecided:
            raise UserError(
                _(
                    "Inspection %(name)s: mark %(items)s as passed or failed.",
                    name=self.name,
                    items=", ".join(undecided.mapped("name")),
                )
            )
        failed = self.line_ids.filtered(lambda l: l.result == "fail")
        if failed and float_is_zero(self.qty_rejected, precision_rounding=rounding):
            raise UserError(
                _(
                    "Inspection %(name)s: %(items)s failed, yet nothing is rejected. Reject the "
                    "failing quantity, or correct the checklist.",
                    name=self.name,
                    items=", ".join(failed.mapped("name")),
                )
            )

    def action_reset(self):
        """Back to To Inspect, while the goods have not been moved on the strength of the result."""
        self._check_inspector()
        for inspection in self:
            if inspection.picking_id.state in ("done", "cancel"):
                raise UserError(
                    _(
                        "Inspection %(name)s: receipt %(picking)s is already processed; its "
                        "result can no longer change.",
                        name=inspection.name,
                        picking=inspection.picking_id.name,
                    )
                )
            if inspection.quarantine_move_id:
                raise UserError(
                    _(
                        "Inspection %(name)s: the rejected goods are already in quarantine.",
                        name=inspection.name,
                    )
                )
        self.with_context(sg_inspection_internal=True).write(
            {"state": "todo", "result": False, "date_done": False}
        )
        return True

    def action_quarantine(self):
        """Spot check: move the rejected quantity from the checked location to quarantine."""
        self._check_inspector()
        moves_vals = []
        todo = self.browse()
        for inspection in self:
            if inspection.kind != "spot" or inspection.state != "done":
                raise UserError(
                    _(
                        "Inspection %(name)s: only recorded spot checks move goods to quarantine; "
                        "receipts do it when they are validated.",
                        name=inspection.name,
                    )
                )
            if inspection.quarantine_move_id:
                raise UserError(
                    _("Inspection %(name)s: already moved to quarantine.", name=inspection.name)
                )
            if float_is_zero(inspection.qty_rejected,
                             precision_rounding=inspection.product_id.uom_id.rounding):
                raise UserError(
                    _("Inspection %(name)s: nothing was rejected.", name=inspection.name)
                )
            quarantine = inspection.quarantine_location_id
            if not quarantine:
                raise UserError(
                    _(
                        "No quarantine location for %(location)s. Set one on its warehouse.",
                        location=inspection.location_id.display_name,
                    )
                )
            moves_vals.append(
                {
                    "name": _("Quarantine after %(name)s", name=inspection.name),
                    "product_id": inspection.product_id.id,
                    "product_uom": inspection.product_id.uom_id.id,
                    "product_uom_qty": inspection.qty_rejected,
                    "location_id": inspection.location_id.id,
                    "location_dest_id": quarantine.id,
                    "company_id": inspection.company_id.id,
                    "origin": inspection.name,
                }
            )
            todo |= inspection
        moves = self.env["stock.move"].create(moves_vals)
        moves._action_confirm()
        moves._action_assign()
        for inspection, move in zip(todo, moves):
            rounding = move.product_uom.rounding
            if float_compare(move.quantity, move.product_uom_qty, precision_rounding=rounding) < 0:
                raise UserError(
                    _(
                        "Inspection %(name)s: only %(available)s of %(qty)s are available in "
                        "%(location)s to move to quarantine.",
                        name=inspection.name,
                        available=move.quantity,
                        qty=move.product_uom_qty,
                        location=inspection.location_id.display_name,
                    )
                )
        moves.picked = True
        moves._action_done()
        for inspection, move in zip(todo, moves):
            inspection.with_context(sg_inspection_internal=True).quarantine_move_id = move
            inspection.message_post(
                body=_("%(qty)s moved to quarantine.", qty=move.quantity)
            )
        return True

    def action_return_to_vendor(self):
        """Return the rejected goods of a receipt from quarantine to the vendor (Odoo's return)."""
        self.ensure_one()
        picking = self.picking_id
        if self.kind != "receipt" or picking.state != "done" or not self.qty_rejected:
            raise UserError(
                _("Only rejected goods of a processed receipt can be returned to the vendor.")
            )
        siblings = picking.sg_inspection_ids.filtered(
            lambda i: i.state == "done" and i.product_id == self.product_id
        )
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_ids=picking.ids, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        rejected = sum(siblings.mapped("qty_rejected"))
        for line in wizard.product_return_moves:
            line.quantity = rejected if line.product_id == self.product_id else 0.0
            rejected -= line.quantity
        quarantine = self.quarantine_location_id
        new_picking = wizard.with_context(sg_return_from_location=quarantine.id)._create_return()
        self.message_post(
            body=_("Return to vendor created: %(picking)s", picking=new_picking._get_html_link())
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": new_picking.id,
            "view_mode": "form",
        }

    def action_open_picking(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.picking_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ business
    @api.model
    def _sample_size_for(self, product, quantity):
        mode, size = product.product_tmpl_id._sg_sampling_rule()
        return _sample_size(quantity, mode, size)


class SaleGovernanceInspectionLine(models.Model):
    _name = "sale.governance.inspection.line"
    _description = "Inspection Checklist Result"
    _order = "inspection_id, sequence, id"

    inspection_id = fields.Many2one(
        "sale.governance.inspection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="inspection_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Criterion", required=True)
    kind = fields.Selection(
        [("check", "Pass / Fail"), ("measure", "Measured Value")], required=True, default="check"
    )
    uom = fields.Char(string="Unit")
    min_value = fields.Float(string="Minimum")
    max_value = fields.Float(string="Maximum")
    value = fields.Float(string="Measured Value")
    is_measured = fields.Boolean(
        readonly=True, help="Whether a value was entered (0 is a value too)."
    )
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail")],
        compute="_compute_result",
        store=True,
        readonly=False,
        precompute=True,
    )
    note = fields.Char()

    @api.depends("kind", "value", "is_measured", "min_value", "max_value")
    def _compute_result(self):
        for line in self:
            if line.kind != "measure":
                continue
            if not line.is_measured:
                line.result = False
            elif line.min_value <= line.value <= line.max_value:
                line.result = "pass"
            else:
                line.result = "fail"

    @api.constrains("kind", "min_value", "max_value")
    def _check_range(self):
        for line in self:
            if line.kind == "measure" and line.min_value > line.max_value:
                raise ValidationError(
                    _(
                        "Criterion %(item)s: the minimum (%(min)s) is greater than the maximum "
                        "(%(max)s).",
                        item=line.name,
                        min=line.min_value,
                        max=line.max_value,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "value" in vals:
                vals["is_measured"] = True
        lines = super().create(vals_list)
        lines.inspection_id._check_editable_lines()
        return lines

    def write(self, vals):
        self.inspection_id._check_editable_lines()
        if "value" in vals:
            vals = dict(vals, is_measured=True)
        measured = self.filtered(lambda l: l.kind == "measure")
        if "result" in vals and measured and "kind" not in vals:
            # a measured item's result follows from its value and range, never typed in
            others = self - measured
            if others:
                super(SaleGovernanceInspectionLine, others).write(vals)
            vals = {k: v for k, v in vals.items() if k != "result"}
            return super(SaleGovernanceInspectionLine, measured).write(vals) if vals else True
        return super().write(vals)

    def unlink(self):
        self.inspection_id._check_editable_lines()
        return super().unlink()


class SaleGovernanceInspectionSpotCheck(models.Model):
    """Spot checks of stock on hand (in principle twice a month)."""

    _inherit = "sale.governance.inspection"

    SPOT_CHECK_MAX_WEIGHT_DAYS = 180

    @api.model
    def _cron_spot_checks(self):
        companies = self.env["res.company"].search([])
        for company in companies:
            self.with_company(company)._sg_create_spot_checks(company, company.sg_spot_check_count)

    @api.model
    def _sg_spot_check_weights(self, products, now=None):
        """Weight of each product: days since its last spot check (capped), never checked = cap."""
        now = now or fields.Datetime.now()
        cap = self.SPOT_CHECK_MAX_WEIGHT_DAYS
        last = dict(
            self._read_group(
                [("kind", "=", "spot"), ("product_id", "in", products.ids)],
                ["product_id"],
                ["create_date:max"],
            )
        )
        weights = {}
        for product in products:
            checked = last.get(product)
            days = (now - checked).days if checked else cap
            weights[product] = 1.0 + min(max(days, 0), cap)
        return weights

    @api.model
    def _sg_pick_weighted(self, weights, count, rng):
        """``count`` distinct keys drawn at random, with probability growing with their weight
        (Efraimidis-Spirakis: the largest u ** (1 / w))."""
        keyed = sorted(
            ((rng.random() ** (1.0 / weight), product.id, product) for product, weight in weights.items()),
            reverse=True,
        )
        return [product for _key, _id, product in keyed[: max(count, 0)]]

    @api.model
    def _sg_create_spot_checks(self, company, count, rng=None):
        """Pick products with stock on hand (one read of the quants), weighted towards those not
        checked recently, and create one spot check per product and stock location."""
        rng = rng or random.SystemRandom()
        groups = self.env["stock.quant"]._read_group(
            [
                ("company_id", "=", company.id),
                ("location_id.usage", "=", "internal"),
                ("location_id.sg_is_quarantine", "=", False),
                ("quantity", ">", 0),
            ],
            ["product_id", "location_id"],
            ["quantity:sum"],
        )
        stock = {}
        for product, location, quantity in groups:
            stock.setdefault(product, []).append((location, quantity))
        if not stock:
            return self.browse()
        open_checks = self._read_group(
            [("kind", "=", "spot"), ("state", "=", "todo"), ("company_id", "=", company.id)],
            ["product_id"],
        )
        for (product,) in open_checks:
            stock.pop(product, None)
        products = self.env["product.product"].browse([p.id for p in stock])
        weights = self._sg_spot_check_weights(products)
        chosen = self._sg_pick_weighted(weights, count, rng)
        vals_list = []
        for product in chosen:
            template = product.product_tmpl_id._sg_inspection_template()
            lines = [fields.Command.create(v) for v in template.item_ids._prepare_inspection_line_vals()]
            for location, quantity in stock[product]:
                vals_list.append(
                    {
                        "kind": "spot",
                        "company_id": company.id,
                        "product_id": product.id,
                        "location_id": location.id,
                        "quantity": quantity,
                        "sample_size": self._sample_size_for(product, quantity),
                        "template_id": template.id,
                        "line_ids": lines,
                    }
                )
        inspections = self.sudo().create(vals_list)
        inspections._sg_schedule_spot_check_activities()
        return inspections

    def _sg_schedule_spot_check_activities(self):
        activity_type = self.env.ref(
            "sale_governance.mail_activity_type_inspection", raise_if_not_found=False
        )
        inspectors = self.env.ref("sale_governance.group_quality_inspector").sudo().users.filtered(
            lambda u: not u.share
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": inspection.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": _("Spot check of %(product)s", product=inspection.product_id.display_name),
                "user_id": user.id,
                "date_deadline": fields.Date.context_today(self),
            }
            for inspection in self
            for user in inspectors.filtered(lambda u, i=inspection: i.company_id in u.company_ids)
        ]
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)
