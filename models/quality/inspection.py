import math
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, formatLang
from odoo.tools.misc import get_lang

# Fields only the inspection's own actions (or the server, from the goods) may change:
# never a plain create/write, whatever the caller sends in the context
# (sale.governance.protected.mixin).
PROTECTED_FIELDS = {
    "state",
    "result",
    "date_done",
    "quarantine_move_id",
    "booking_move_ids",
    "kind",
    "picking_id",
    "product_id",
    "lot_name",
    "location_id",
    "company_id",
    "origin_inspection_id",
    "template_id",
    "quantity",
    "joint_required",
    "signoff_ids",
}
# Fields holding the inspection's findings: locked once the inspection is done or
# signed.
RESULT_FIELDS = {
    "sample_size",
    "qty_accepted",
    "qty_rejected",
    "inspector_ids",
    "line_ids",
}
# What the inspector enters, per inspection and per checklist line
# (action_record_results).
RESULT_INPUT = {"sample_size", "qty_accepted", "qty_rejected", "notes"}
RESULT_LINE_INPUT = {"result", "value", "note"}


def _sample_size(quantity, mode, size):
    """Sample of ``quantity`` for a sampling rule: rounded up, at least 1, at most
    ``quantity``."""
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
    _inherit = ["sale.governance.protected.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _("New"),
    )
    kind = fields.Selection(
        [("receipt", "Receipt Inspection"), ("spot", "Stock Spot Check")],
        required=True,
        default="receipt",
        readonly=True,
        tracking=True,
    )
    receipt_kind = fields.Selection(
        [
            ("vendor", "Vendor Receipt"),
            ("production", "Finished Goods"),
            ("return", "Customer Return"),
        ],
        string="Goods From",
        compute="_compute_receipt_kind",
        store=True,
        help="Where the inspected goods come from: a vendor, our own production "
        "(finished goods) or a customer return.",
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
        "stock.picking",
        string="Receipt",
        index=True,
        check_company=True,
        readonly=True,
        ondelete="cascade",
    )
    picking_state = fields.Selection(
        related="picking_id.state", string="Receipt Status"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Vendor",
        compute="_compute_partner_id",
        store=True,
        index=True,
        readonly=True,
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
        readonly=True,
        tracking=True,
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        related="product_id.categ_id",
        store=True,
        index=True,
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    lot_name = fields.Char(string="Lot/Serial Number", readonly=True)
    location_id = fields.Many2one(
        "stock.location",
        string="Checked Location",
        check_company=True,
        readonly=True,
        help="Spot checks: the stock location whose goods on hand were checked. "
        "Finished goods: the location awaiting inspection where they wait for the "
        "result.",
    )
    quarantine_location_id = fields.Many2one(
        "stock.location",
        compute="_compute_quarantine_location_id",
    )
    template_id = fields.Many2one(
        "sale.governance.inspection.template",
        string="Checklist",
        readonly=True,
    )
    quantity = fields.Float(
        string="Inspected Quantity",
        digits="Product Unit of Measure",
        tracking=True,
        readonly=True,
        help="Quantity received (receipts) or on hand (spot checks) that this "
        "inspection decides. It follows the goods: 'Create Inspections' on the "
        "receipt updates it.",
    )
    sample_size = fields.Float(digits="Product Unit of Measure", tracking=True)
    qty_accepted = fields.Float(
        string="Accepted", digits="Product Unit of Measure", tracking=True
    )
    qty_rejected = fields.Float(
        string="Rejected", digits="Product Unit of Measure", tracking=True
    )
    inspector_ids = fields.Many2many(
        "res.users",
        string="Inspectors",
        tracking=True,
        help="The quality inspectors who inspected the goods.",
    )
    date_done = fields.Datetime(
        string="Inspection Date", readonly=True, copy=False, tracking=True
    )
    notes = fields.Html()
    line_ids = fields.One2many(
        "sale.governance.inspection.line",
        "inspection_id",
        string="Checklist Results",
        copy=True,
    )
    photo_ids = fields.Many2many("ir.attachment", string="Photos")
    origin_inspection_id = fields.Many2one(
        "sale.governance.inspection",
        string="Carried Over From",
        readonly=True,
        copy=False,
        help="Set when the inspected goods moved to a backorder or split transfer.",
    )
    quarantine_move_id = fields.Many2one("stock.move", readonly=True, copy=False)
    booking_move_ids = fields.One2many(
        "stock.move",
        "sg_release_inspection_id",
        string="Booking Moves",
        readonly=True,
        help="Moves made on the strength of this inspection's result: out of the "
        "location awaiting inspection into stock or quarantine, returns of rejected "
        "goods.",
    )
    joint_required = fields.Boolean(
        string="Joint Inspection Group",
        readonly=True,
        help="Recorded only when every required department of the joint quality "
        "inspection group has signed.",
    )
    signoff_ids = fields.One2many(
        "sale.governance.inspection.signoff",
        "inspection_id",
        string="Sign-offs",
        readonly=True,
    )
    signoff_summary = fields.Char(compute="_compute_signoff_summary", string="Signed")
    pass_rate = fields.Float(
        compute="_compute_rates",
        store=True,
        aggregator="avg",
        help="100 for a passed inspection, 0 otherwise; its average is the pass rate.",
    )
    acceptance_rate = fields.Float(
        compute="_compute_rates", store=True, aggregator="avg"
    )

    @api.depends("picking_id.partner_id")
    def _compute_partner_id(self):
        for inspection in self:
            partner = inspection.picking_id.partner_id
            inspection.partner_id = partner.commercial_partner_id or partner

    @api.depends(
        "picking_id.location_id.usage",
        "picking_id.picking_type_id.sg_production_receipt",
    )
    def _compute_receipt_kind(self):
        for inspection in self:
            picking = inspection.picking_id
            if not picking:
                inspection.receipt_kind = False
            elif (
                picking.picking_type_id.sg_production_receipt
                or picking.location_id.usage == "production"
            ):
                inspection.receipt_kind = "production"
            elif picking.location_id.usage == "customer":
                inspection.receipt_kind = "return"
            else:
                inspection.receipt_kind = "vendor"

    @api.depends("picking_id", "location_id")
    def _compute_quarantine_location_id(self):
        for inspection in self:
            warehouse = (
                inspection.picking_id.picking_type_id.warehouse_id
                or inspection.location_id.warehouse_id
                or inspection.picking_id.location_dest_id.warehouse_id
            )
            inspection.quarantine_location_id = warehouse.sg_quarantine_location_id

    @api.depends("signoff_ids.state")
    def _compute_signoff_summary(self):
        for inspection in self:
            signoffs = inspection.signoff_ids
            signed = signoffs.filtered(lambda s: s.state != "pending")
            inspection.signoff_summary = (
                f"{len(signed)} / {len(signoffs)}" if signoffs else ""
            )

    @api.depends("state", "result", "quantity", "qty_accepted")
    def _compute_rates(self):
        for inspection in self:
            done = inspection.state == "done"
            inspection.pass_rate = (
                100.0 if done and inspection.result == "pass" else 0.0
            )
            inspection.acceptance_rate = (
                100.0 * inspection.qty_accepted / inspection.quantity
                if done and inspection.quantity
                else 0.0
            )

    @api.constrains("sample_size", "quantity", "qty_accepted", "qty_rejected")
    def _check_quantities(self):
        for inspection in self:
            rounding = inspection.product_id.uom_id.rounding or 0.01
            if (
                min(
                    inspection.quantity,
                    inspection.sample_size,
                    inspection.qty_accepted,
                    inspection.qty_rejected,
                )
                < 0
            ):
                raise ValidationError(
                    _(
                        "Inspection %(name)s: quantities cannot be negative.",
                        name=inspection.name,
                    )
                )
            if (
                float_compare(
                    inspection.sample_size,
                    inspection.quantity,
                    precision_rounding=rounding,
                )
                > 0
            ):
                raise ValidationError(
                    _(
                        "Inspection %(name)s: the sample (%(sample)s) is larger than "
                        "the inspected quantity (%(qty)s). Take a sample of at most "
                        "%(qty)s.",
                        name=inspection.name,
                        sample=inspection._sg_fmt_qty(inspection.sample_size),
                        qty=inspection._sg_fmt_qty(inspection.quantity),
                    )
                )

    # ------------------------------------------------------------------ protected
    # fields
    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | PROTECTED_FIELDS

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        new = self.env._("New")
        unnamed = [vals for vals in vals_list if vals.get("name", new) == new]
        for vals, name in zip(unnamed, self._sg_next_names(len(unnamed)), strict=False):
            vals["name"] = name
        inspections = super().create(vals_list)
        inspections.filtered("joint_required")._sg_create_signoffs()
        return inspections

    @api.model
    def _sg_next_names(self, count):
        """``count`` references from the inspection sequence, drawn through the API of
        ir.sequence: the sequence is looked up once, then ``next_by_id`` per reference
        (one ``nextval`` each; ir.sequence has no public call drawing several)."""
        if not count:
            return []
        seq = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "sale.governance.inspection"),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not seq:
            return [self.env._("New")] * count
        return [seq.next_by_id() for _i in range(count)]

    def write(self, vals):
        self.check_access("write")
        if not self._sg_is_internal_write() and RESULT_FIELDS.intersection(vals):
            self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(inspection.state == "done" for inspection in self):
            raise UserError(
                _(
                    "A recorded inspection cannot be deleted; it is the receipt's "
                    "evidence."
                )
            )

    def _check_editable(self):
        for inspection in self:
            if inspection.state != "todo":
                raise UserError(
                    _(
                        "Inspection %(name)s is recorded. Reset it to To Inspect "
                        "before changing its findings.",
                        name=inspection.name,
                    )
                )
            if any(s.state != "pending" for s in inspection._sg_joint_signoffs()):
                raise UserError(
                    _(
                        "Inspection %(name)s is signed by the joint inspection group. "
                        "A quality inspector must reset it before its findings change.",
                        name=inspection.name,
                    )
                )

    def _sg_joint_signoffs(self):
        """The sign-offs of a joint inspection. Only the addon creates sign-offs, and
        only on joint inspections (``joint_required`` is protected): the others are not
        read."""
        self.ensure_one()
        if not self.joint_required:
            return self.env["sale.governance.inspection.signoff"]
        return self.signoff_ids

    def _check_editable_lines(self):
        self._check_editable()

    def _check_inspector(self):
        if not self.env.user.has_group("sale_governance.group_quality_inspector"):
            raise UserError(
                _("Only quality inspectors can record or change inspection results.")
            )

    # ------------------------------------------------------------------ formatting
    def _sg_fmt_qty(self, qty, uom=None, with_unit=False):
        """A quantity in the user's number format ("1,234.5"), with the unit when
        asked."""
        uom = uom or self[:1].product_id.uom_id
        digits = (
            0
            if float(qty).is_integer()
            else (
                self.env["decimal.precision"].precision_get("Product Unit of Measure")
            )
        )
        text = formatLang(self.env, qty, digits=digits)
        return f"{text} {uom.name}" if with_unit and uom else text

    # ------------------------------------------------------------------ actions
    def action_done(self):
        """Record the result: the server decides passed / partial / failed from the
        findings."""
        self._check_inspector()
        self = self.with_prefetch()  # pylint: disable=self-cls-assignment
        for inspection in self:
            if inspection.state != "todo":
                raise UserError(
                    _(
                        "Inspection %(name)s is not waiting for a result.",
                        name=inspection.name,
                    )
                )
        # one read per model for the whole batch (no query per inspection)
        self.fetch(
            [
                "name",
                "state",
                "quantity",
                "qty_accepted",
                "qty_rejected",
                "product_id",
                "line_ids",
                "inspector_ids",
                "joint_required",
                "kind",
                "location_id",
                "picking_id",
            ]
        )
        self.line_ids.fetch(
            ["name", "kind", "result", "value", "is_measured", "min_value", "max_value"]
        )
        self.product_id.fetch(["uom_id", "product_tmpl_id"])
        self._sg_evaluate_measured_lines()
        for inspection in self:
            inspection._check_result_input()
        now = fields.Datetime.now()
        by_vals = {}
        for inspection in self:
            rounding = inspection.product_id.uom_id.rounding
            if float_is_zero(inspection.qty_rejected, precision_rounding=rounding):
                result = "pass"
            elif float_is_zero(inspection.qty_accepted, precision_rounding=rounding):
                result = "fail"
            else:
                result = "partial"
            by_vals.setdefault((result, bool(inspection.inspector_ids)), []).append(
                inspection.id
            )
        for (result, has_inspectors), ids in by_vals.items():
            vals = {"state": "done", "result": result, "date_done": now}
            if not has_inspectors:
                vals["inspector_ids"] = [fields.Command.link(self.env.user.id)]
            self.browse(ids).with_context(tracking_disable=True)._sg_protected_write(
                vals
            )
        self._sg_log_batch(lambda inspection: inspection._sg_result_note())
        self._sg_book_on_result()
        self.picking_id._sg_close_inspection_activities()
        spot_checks = self.filtered(lambda i: i.kind == "spot")
        if spot_checks:
            self._sg_close_activities(spot_checks, _("Inspected."))
        return True

    def _sg_result_note(self):
        """The chatter note of a recorded result: who, the result, the quantities and
        the sample."""
        values = {
            "user": self.env.user.name,
            "result": dict(self._fields["result"]._description_selection(self.env))[
                self.result
            ],
            "accepted": self._sg_fmt_qty(self.qty_accepted, with_unit=True),
            "rejected": self._sg_fmt_qty(self.qty_rejected, with_unit=True),
        }
        if not self.sample_size:
            return self.env._(
                "Result recorded by %(user)s: %(result)s (accepted %(accepted)s, "
                "rejected %(rejected)s).",
                **values,
            )
        return self.env._(
            "Result recorded by %(user)s: %(result)s (accepted %(accepted)s, "
            "rejected %(rejected)s, sample %(sample)s).",
            sample=self._sg_fmt_qty(self.sample_size, with_unit=True),
            **values,
        )

    def action_record_results(self, results):
        """Record what the inspector found for many inspections at once, then their
        results (``action_done``), in a number of queries that does not grow with the
        number of inspections.

        ``results``: ``{inspection id: {"qty_accepted": 10.0, "qty_rejected": 0.0,
        "sample_size": 2.0, "notes": "...", "lines": {line id: {"result": "pass",
        "value": 10.2, "note": "..."}}}}`` (ids may be strings, as JSON sends them;
        every key is optional). The inspections of ``self`` that ``results`` leaves out
        are recorded with the findings entered before. The values go through the
        ordinary ``write`` of the inspections and their lines (the same rights and
        guards as the form), one ``write`` per distinct set of values.
        """
        self._check_inspector()
        self = self.with_prefetch()  # pylint: disable=self-cls-assignment
        results = {int(key): vals or {} for key, vals in (results or {}).items()}
        if set(results) - set(self.ids):
            raise UserError(
                _("Record the results of the inspections you selected only.")
            )
        line_owner = {line.id: line.inspection_id.id for line in self.line_ids}
        by_vals, lines_by_vals = defaultdict(list), defaultdict(list)
        for inspection_id, vals in results.items():
            vals = dict(vals)
            for line_key, line_vals in (vals.pop("lines", None) or {}).items():
                line_id = int(line_key)
                if line_owner.get(line_id) != inspection_id:
                    raise UserError(
                        _("A checklist result belongs to another inspection.")
                    )
                self._sg_check_input_keys(line_vals, RESULT_LINE_INPUT)
                lines_by_vals[tuple(sorted(line_vals.items()))].append(line_id)
            self._sg_check_input_keys(vals, RESULT_INPUT)
            if vals:
                by_vals[tuple(sorted(vals.items()))].append(inspection_id)
        lines = self.line_ids
        for vals, line_ids in lines_by_vals.items():
            if vals:
                lines.browse(line_ids).with_prefetch(lines._prefetch_ids).write(
                    dict(vals)
                )
        # The quantities are not tracked one field and one message per inspection
        # (posted at commit): the result's note below gives them, the sample too.
        untracked = self.with_context(mail_notrack=True)
        for vals, inspection_ids in by_vals.items():
            untracked.browse(inspection_ids).with_prefetch(self._prefetch_ids).write(
                dict(vals)
            )
        return self.action_done()

    @api.model
    def _sg_check_input_keys(self, vals, allowed):
        unknown = set(vals) - allowed
        if unknown:
            raise UserError(
                _(
                    "Only the inspector's findings are recorded here, not %(fields)s.",
                    fields=", ".join(sorted(unknown)),
                )
            )

    def _sg_log_batch(self, body_of):
        """One chatter note per inspection, created in one batch (no per-record
        message_post)."""
        if not self:
            return
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        self.env["mail.message"].sudo().create(
            [
                dict(
                    self._sg_message_common(),
                    res_id=inspection.id,
                    subtype_id=subtype_id,
                    record_name=inspection.name,
                    body=body_of(inspection),
                )
                for inspection in self
            ]
        )

    def _sg_message_common(self, model=None):
        """Values shared by the chatter notes the addon creates in batch (author,
        reply-to): given once, so that ``mail.message.create`` does not look them up per
        message."""
        author = self.env.user.partner_id
        return {
            "model": model or self._name,
            "message_type": "notification",
            "author_id": author.id,
            "email_from": author.email_formatted or False,
            "reply_to": author.email_formatted or False,
        }

    @api.model
    def _sg_close_activities(self, records, feedback):
        """Remove the inspectors' to-dos on ``records`` and log it once per record that
        had one, in batch (one DELETE and one INSERT, not an ORM unlink per to-do)."""
        xmlid = "sale_governance.mail_activity_type_inspection"
        closed = records._sg_unlink_activities(xmlid, automated_only=False)
        if not closed:
            return
        IrModelData = self.env["ir.model.data"]
        activity_type = (
            self.env["mail.activity.type"]
            .sudo()
            .browse(IrModelData._xmlid_to_res_id(xmlid))
        )
        closed = records.browse(sorted(closed)).with_prefetch(records._prefetch_ids)
        subtype_id = IrModelData._xmlid_to_res_id(
            "mail.mt_activities", raise_if_not_found=False
        ) or IrModelData._xmlid_to_res_id("mail.mt_note")
        common = self._sg_message_common(records._name)
        body = self.env._(
            "%(activity)s done: %(feedback)s",
            activity=activity_type.name,
            feedback=feedback,
        )
        self.env["mail.message"].sudo().create(
            [
                {
                    **common,
                    "res_id": record.id,
                    "record_name": record.display_name,
                    "subtype_id": subtype_id,
                    "mail_activity_type_id": activity_type.id,
                    "body": body,
                }
                for record in closed
            ]
        )

    def _sg_evaluate_measured_lines(self):
        """The server decides measured items from their value and range, whatever label
        was sent."""
        lines = self.line_ids.filtered(lambda line: line.kind == "measure")
        by_result = {}
        for line in lines:
            expected = line._sg_measured_result()
            if line.result != expected:
                by_result.setdefault(expected, []).append(line.id)
        for result, ids in by_result.items():
            self.env["sale.governance.inspection.line"].browse(ids)._sg_protected_write(
                {"result": result}
            )

    def _check_result_input(self):
        self.ensure_one()
        uom = self.product_id.uom_id
        rounding = uom.rounding
        if float_is_zero(self.quantity, precision_rounding=rounding):
            raise UserError(
                _(
                    "Inspection %(name)s: there is no inspected quantity.",
                    name=self.name,
                )
            )
        total = self.qty_accepted + self.qty_rejected
        if float_compare(total, self.quantity, precision_rounding=rounding) != 0:
            raise UserError(
                _(
                    "Inspection %(name)s: accepted %(accepted)s + rejected "
                    "%(rejected)s = %(total)s, but %(qty)s were inspected. Split the "
                    "whole inspected quantity between accepted and rejected.",
                    name=self.name,
                    accepted=self._sg_fmt_qty(self.qty_accepted),
                    rejected=self._sg_fmt_qty(self.qty_rejected),
                    total=self._sg_fmt_qty(total, with_unit=True),
                    qty=self._sg_fmt_qty(self.quantity, with_unit=True),
                )
            )
        missing = self.line_ids.filtered(
            lambda line: line.kind == "measure" and not line.is_measured
        )
        if missing:
            raise UserError(
                _(
                    "Inspection %(name)s: enter the measured value of %(items)s.",
                    name=self.name,
                    items=", ".join(missing.mapped("name")),
                )
            )
        undecided = self.line_ids.filtered(
            lambda line: line.kind == "check" and not line.result
        )
        if undecided:
            raise UserError(
                _(
                    "Inspection %(name)s: mark %(items)s as passed or failed.",
                    name=self.name,
                    items=", ".join(undecided.mapped("name")),
                )
            )
        if self.joint_required:
            pending = self.signoff_ids.filtered(
                lambda s: s.state == "pending" and s.required
            )
            if pending:
                raise UserError(
                    _(
                        "Inspection %(name)s: the joint inspection group has not "
                        "signed yet. Waiting for: %(departments)s.",
                        name=self.name,
                        departments=", ".join(pending.department_id.mapped("name")),
                    )
                )
        failed = self.line_ids.filtered(lambda line: line.result == "fail")
        failed_names = failed.mapped("name") + [
            _(
                "%(department)s (%(reason)s)",
                department=s.department_id.name,
                reason=s.note or "",
            )
            for s in self._sg_joint_signoffs().filtered(lambda s: s.state == "failed")
        ]
        if failed_names and float_is_zero(
            self.qty_rejected, precision_rounding=rounding
        ):
            raise UserError(
                _(
                    "Inspection %(name)s: %(items)s failed, yet nothing is rejected. "
                    "Reject the failing quantity, or correct the checklist.",
                    name=self.name,
                    items=", ".join(failed_names),
                )
            )

    def action_reset(self):
        """Back to To Inspect (sign-offs cleared), while the goods have not been moved
        on the strength of the result. Inspectors only; logged in the chatter."""
        self._check_inspector()
        for inspection in self:
            if inspection.state == "cancel":
                raise UserError(
                    _("Inspection %(name)s is cancelled.", name=inspection.name)
                )
            if (
                inspection.picking_id.state in ("done", "cancel")
                and not inspection.location_id
            ):
                raise UserError(
                    _(
                        "Inspection %(name)s: receipt %(picking)s is already "
                        "processed; its result can no longer change.",
                        name=inspection.name,
                        picking=inspection.picking_id.name,
                    )
                )
            if inspection.quarantine_move_id or inspection.booking_move_ids:
                raise UserError(
                    _(
                        "Inspection %(name)s: goods were already moved on the "
                        "strength of its result; it can no longer change.",
                        name=inspection.name,
                    )
                )
        signed = self.signoff_ids.filtered(lambda s: s.state != "pending")
        if signed:
            signed._sg_protected_write(
                {"state": "pending", "user_id": False, "date": False}
            )
        self._sg_protected_write({"state": "todo", "result": False, "date_done": False})
        for inspection in self:
            inspection.message_post(
                body=_(
                    "Reset to To Inspect by %(user)s; the sign-offs were cleared.",
                    user=self.env.user.name,
                )
            )
        return True

    def action_quarantine(self):
        """Spot check: move the rejected quantity from the checked location to
        quarantine."""
        self._check_inspector()
        moves_vals = []
        todo = self.browse()
        for inspection in self:
            if inspection.kind != "spot" or inspection.state != "done":
                raise UserError(
                    _(
                        "Inspection %(name)s: only recorded spot checks move goods to "
                        "quarantine; receipts do it when they are validated.",
                        name=inspection.name,
                    )
                )
            if inspection.quarantine_move_id:
                raise UserError(
                    _(
                        "Inspection %(name)s: already moved to quarantine.",
                        name=inspection.name,
                    )
                )
            if float_is_zero(
                inspection.qty_rejected,
                precision_rounding=inspection.product_id.uom_id.rounding,
            ):
                raise UserError(
                    _(
                        "Inspection %(name)s: nothing was rejected.",
                        name=inspection.name,
                    )
                )
            quarantine = inspection.quarantine_location_id
            if not quarantine:
                raise UserError(
                    _(
                        "No quarantine location for %(location)s. Set one on its "
                        "warehouse.",
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
                    "sg_release_inspection_id": inspection.id,
                }
            )
            todo |= inspection
        moves = self.env["stock.move"]._sg_protected_create(moves_vals).sudo()
        moves._action_confirm()
        moves._action_assign()
        for inspection, move in zip(todo, moves, strict=False):
            rounding = move.product_uom.rounding
            if (
                float_compare(
                    move.quantity, move.product_uom_qty, precision_rounding=rounding
                )
                < 0
            ):
                raise UserError(
                    _(
                        "Inspection %(name)s: only %(available)s of %(qty)s are "
                        "available in %(location)s to move to quarantine.",
                        name=inspection.name,
                        available=inspection._sg_fmt_qty(move.quantity),
                        qty=inspection._sg_fmt_qty(
                            move.product_uom_qty, with_unit=True
                        ),
                        location=inspection.location_id.display_name,
                    )
                )
        moves.picked = True
        moves._action_done()
        for inspection, move in zip(todo, moves, strict=False):
            inspection._sg_protected_write({"quarantine_move_id": move.id})
            inspection.message_post(
                body=_(
                    "%(qty)s moved to quarantine.",
                    qty=inspection._sg_fmt_qty(move.quantity, with_unit=True),
                )
            )
        return True

    def _sg_book_on_result(self):
        """Finished goods waiting in the location awaiting inspection: accepted part to
        stock, rejected part to quarantine, on the strength of the recorded result."""
        waiting = self.filtered(
            lambda i: i.state == "done"
            and i.location_id.sg_is_awaiting
            and not i.booking_move_ids
            and i.picking_id.state == "done"
        )
        if not waiting:
            return
        moves_vals = []
        for inspection in waiting:
            picking = inspection.picking_id
            destination = picking.location_dest_id
            if destination.sg_is_awaiting or destination.usage != "internal":
                destination = picking.picking_type_id.warehouse_id.lot_stock_id
            quarantine = inspection.quarantine_location_id
            for qty, dest in (
                (inspection.qty_accepted, destination),
                (inspection.qty_rejected, quarantine),
            ):
                if float_is_zero(
                    qty, precision_rounding=inspection.product_id.uom_id.rounding
                ):
                    continue
                if not dest:
                    raise UserError(
                        _(
                            "%(picking)s: rejected goods need a quarantine location. "
                            "Set one on the warehouse (Inventory > Configuration > "
                            "Warehouses).",
                            picking=picking.name,
                        )
                    )
                moves_vals.append(
                    {
                        "name": _(
                            "%(name)s: booked on the inspection result",
                            name=inspection.name,
                        ),
                        "product_id": inspection.product_id.id,
                        "product_uom": inspection.product_id.uom_id.id,
                        "product_uom_qty": qty,
                        "location_id": inspection.location_id.id,
                        "location_dest_id": dest.id,
                        "company_id": inspection.company_id.id,
                        "origin": f"{picking.name} / {inspection.name}",
                        "sg_release_inspection_id": inspection.id,
                    }
                )
        moves = self.env["stock.move"]._sg_protected_create(moves_vals).sudo()
        moves._action_confirm()
        moves._action_assign()
        short = moves.filtered(
            lambda m: float_compare(
                m.quantity, m.product_uom_qty, precision_rounding=m.product_uom.rounding
            )
            < 0
        )
        if short:
            raise UserError(
                _(
                    "%(product)s: the goods awaiting inspection are no longer all in "
                    "%(location)s; the result cannot be booked. Ask the warehouse "
                    "what happened to them.",
                    product=short[0].product_id.display_name,
                    location=short[0].location_id.display_name,
                )
            )
        moves.picked = True
        moves._action_done()

    def action_return_to_vendor(self):
        """Return the rejected goods of a receipt from quarantine to the vendor (Odoo's
        return)."""
        self.ensure_one()
        picking = self.picking_id
        if (
            self.kind != "receipt"
            or picking.state != "done"
            or not self.qty_rejected
            or (self.receipt_kind != "vendor")
        ):
            raise UserError(
                _(
                    "Only rejected goods of a processed vendor receipt can be "
                    "returned to the vendor."
                )
            )
        siblings = picking.sg_inspection_ids.filtered(
            lambda i: i.state == "done" and i.product_id == self.product_id
        )
        wizard = (
            self.env["stock.return.picking"]
            .with_context(
                active_id=picking.id,
                active_ids=picking.ids,
                active_model="stock.picking",
            )
            .create({"picking_id": picking.id})
        )
        rejected = sum(siblings.mapped("qty_rejected"))
        for line in wizard.product_return_moves:
            line.quantity = rejected if line.product_id == self.product_id else 0.0
            rejected -= line.quantity
        quarantine = self.quarantine_location_id
        new_picking = wizard._sg_create_return_from(quarantine, self)
        self.message_post(
            body=_(
                "Return to vendor created: %(picking)s",
                picking=new_picking._get_html_link(),
            )
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

    def _sg_create_signoffs(self):
        """One pending sign-off per active department of the company's joint inspection
        group."""
        departments = (
            self.env["sale.governance.inspection.department"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)])
        )
        vals_list = [
            {"inspection_id": inspection.id, "department_id": department.id}
            for inspection in self
            for department in departments
            if department.company_id == inspection.company_id
        ]
        if vals_list:
            self.env["sale.governance.inspection.signoff"]._sg_protected_create(
                vals_list
            )


class SaleGovernanceInspectionLine(models.Model):
    _name = "sale.governance.inspection.line"
    _description = "Inspection Checklist Result"
    _inherit = ["sale.governance.protected.mixin"]
    _order = "inspection_id, sequence, id"

    # the definition of an item that comes from the checklist template: the inspector
    # fills in value, result and note, never changes what is checked
    TEMPLATE_FIELDS = ("name", "kind", "uom", "min_value", "max_value", "inspection_id")

    inspection_id = fields.Many2one(
        "sale.governance.inspection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="inspection_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Criterion", required=True)
    kind = fields.Selection(
        [("check", "Pass / Fail"), ("measure", "Measured Value")],
        required=True,
        default="check",
    )
    from_template = fields.Boolean(
        readonly=True,
        help="Item of the checklist template: cannot be removed or redefined.",
    )
    uom = fields.Char(string="Unit")
    min_value = fields.Float(string="Minimum")
    max_value = fields.Float(string="Maximum")
    value = fields.Float(string="Measured Value (number)")
    value_input = fields.Char(
        string="Measured Value",
        compute="_compute_value_input",
        inverse="_inverse_value_input",
        help="Empty until the inspector enters the measured value (0 is a value too).",
    )
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

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | {"from_template"}

    @api.depends("value", "is_measured", "kind")
    @api.depends_context("lang")
    def _compute_value_input(self):
        for line in self:
            if line.kind == "measure" and line.is_measured:
                digits = 0 if float(line.value).is_integer() else 4
                text = formatLang(self.env, line.value, digits=digits, grouping=False)
                if digits:
                    lang = get_lang(self.env)
                    text = text.rstrip("0").rstrip(lang.decimal_point)
                line.value_input = text
            else:
                line.value_input = False

    def _inverse_value_input(self):
        lang = get_lang(self.env)
        for line in self:
            text = (line.value_input or "").strip()
            if not text:
                line._sg_protected_write({"value": 0.0, "is_measured": False})
                continue
            normalized = (
                text.replace(lang.thousands_sep or ",", "")
                if lang.thousands_sep
                else text
            )
            normalized = (
                normalized.replace(lang.decimal_point, ".")
                if lang.decimal_point != "."
                else normalized
            )
            try:
                number = float(normalized.replace(" ", ""))
            except ValueError:
                raise UserError(
                    _(
                        "%(item)s: '%(value)s' is not a number. Enter the measured "
                        "value, e.g. 10.2.",
                        item=line.name,
                        value=text,
                    )
                ) from None
            line._sg_protected_write({"value": number, "is_measured": True})

    def _sg_measured_result(self):
        self.ensure_one()
        if not self.is_measured:
            return False
        return "pass" if self.min_value <= self.value <= self.max_value else "fail"

    @api.depends("kind", "value", "is_measured", "min_value", "max_value")
    def _compute_result(self):
        for line in self:
            if line.kind != "measure":
                continue
            line.result = line._sg_measured_result()

    @api.constrains("kind", "min_value", "max_value")
    def _check_range(self):
        for line in self:
            if line.kind == "measure" and line.min_value > line.max_value:
                raise ValidationError(
                    _(
                        "Criterion %(item)s: the minimum (%(min)s) is greater than "
                        "the maximum (%(max)s).",
                        item=line.name,
                        min=line.min_value,
                        max=line.max_value,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        internal = self._sg_is_internal_write()
        for vals in vals_list:
            if not internal:
                vals.pop("is_measured", None)
            if "value" in vals and "is_measured" not in vals:
                vals["is_measured"] = True
        lines = super().create(vals_list)
        if not internal:
            lines.inspection_id._check_editable_lines()
        return lines

    def write(self, vals):
        internal = self._sg_is_internal_write()
        if not internal:
            vals = dict(vals)
            vals.pop("is_measured", None)
            self.inspection_id._check_editable_lines()
            redefined = [f for f in self.TEMPLATE_FIELDS if f in vals]
            if redefined and any(line.from_template for line in self):
                raise UserError(
                    _(
                        "Checklist items that come from the template cannot be "
                        "redefined (%(fields)s); add a note, or add your own item.",
                        fields=", ".join(
                            self._fields[f]._description_string(self.env)
                            for f in redefined
                        ),
                    )
                )
        if "value" in vals and "is_measured" not in vals:
            vals = dict(vals, is_measured=True)
        measured = self.filtered(lambda line: line.kind == "measure")
        if "result" in vals and measured and "kind" not in vals and not internal:
            # a measured item's result follows from its value and range, never typed in
            others = self - measured
            if others:
                super(SaleGovernanceInspectionLine, others).write(vals)
            vals = {k: v for k, v in vals.items() if k != "result"}
            return (
                super(SaleGovernanceInspectionLine, measured).write(vals)
                if vals
                else True
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_template_items(self):
        if self._sg_is_internal_write():
            return
        self.inspection_id._check_editable_lines()
        if any(line.from_template for line in self):
            raise UserError(
                _(
                    "Checklist items that come from the template cannot be deleted; "
                    "record their result, or add a note."
                )
            )
