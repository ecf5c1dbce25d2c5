from collections import defaultdict
from datetime import date, datetime

from psycopg2.errors import LockNotAvailable

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import float_compare, float_round

from ..contract_approval.approval import APPROVAL_ACTIVITY
from ..governance.contract_terms import CONTRACT_TERM_FIELDS

# Fields that only the approval methods write (protected workflow).
APPROVAL_BOOKKEEPING_FIELDS = {
    "approval_state",
    "approval_ids",
    "approval_round",
    "approval_snapshot",
}
# The commercial content an approval is bound to (fingerprint taken at submission).
APPROVAL_ORDER_FIELDS = (
    "partner_id",
    "partner_invoice_id",
    "partner_shipping_id",
    "user_id",
    "pricelist_id",
    "payment_term_id",
    "fiscal_position_id",
    "commitment_date",
    "currency_id",
    *CONTRACT_TERM_FIELDS,
)
APPROVAL_LINE_FIELDS = (
    "product_id",
    "product_uom_qty",
    "product_uom",
    "product_packaging_id",
    "product_packaging_qty",
    "price_unit",
    "discount",
    "tax_id",
)
# Line values of the fingerprint (the quantity counts in the product's base unit).
FINGERPRINT_LINE_KEYS = (
    "product_id",
    "qty_base",
    "product_uom",
    "product_packaging_id",
    "price_unit",
    "discount",
    "tax_id",
)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = [
        "sale.order",
        "sale.governance.contract.terms.mixin",
        "sale.governance.protected.mixin",
    ]

    approval_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("to_submit", "To Submit"),
            ("waiting", "Waiting for Approval"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Contract Approval",
        compute="_compute_approval_state",
        store=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="The contract approval (by default Sales Department, Business Management "
        "Department, Executive in Charge) that a governed quotation needs before it "
        "is confirmed.",
    )
    approval_round = fields.Integer(string="Submissions", copy=False, readonly=True)
    approval_ids = fields.One2many(
        "sale.governance.approval",
        "order_id",
        string="Approval Trail",
        copy=False,
        readonly=True,
    )
    approval_snapshot = fields.Json(
        string="Approved Content",
        copy=False,
        readonly=True,
        help="The commercial content of the quotation at submission: the approvals "
        "hold for it only.",
    )
    approval_levels_required = fields.Char(
        string="Approval Levels",
        compute="_compute_approval_levels_required",
        help="The approval levels that this quotation needs with its current terms "
        "and the company's approval settings.",
    )
    approval_needed = fields.Boolean(compute="_compute_approval_levels_required")
    approval_pending_info = fields.Char(
        string="Pending Approval",
        compute="_compute_approval_pending_info",
        help="The level whose turn it is and the people who may decide it.",
    )
    approval_can_act = fields.Boolean(
        compute="_compute_approval_can_act",
        help="Whether the current user may decide the level that is pending.",
    )
    approval_to_approve = fields.Boolean(
        string="To Approve",
        compute="_compute_approval_can_act",
        search="_search_approval_to_approve",
    )
    # The contract terms of the mixin, proposed from the company's defaults.
    contract_quality_standard = fields.Text(
        compute="_compute_contract_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    contract_acceptance_method = fields.Text(
        compute="_compute_contract_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    contract_settlement_method = fields.Char(
        compute="_compute_contract_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    contract_signing_place = fields.Char(
        compute="_compute_contract_terms",
        store=True,
        readonly=False,
        precompute=True,
    )
    contract_dispute_resolution = fields.Text(
        compute="_compute_contract_terms",
        store=True,
        readonly=False,
        precompute=True,
    )

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | APPROVAL_BOOKKEEPING_FIELDS

    # ------------------------------------------------------------------ computes

    @api.depends("governed")
    def _compute_approval_state(self):
        for order in self:
            if not order.governed:
                order.approval_state = "not_required"
            elif order.approval_state in (False, "not_required"):
                order.approval_state = "to_submit"

    @api.depends(
        "governed",
        "amount_untaxed",
        "order_line.discount",
        "order_line.price_unit",
        "payment_term_id",
        "partner_id",
        "company_id",
    )
    def _compute_approval_levels_required(self):
        levels_by_order = self._sg_approval_required_levels()
        for order in self:
            levels = levels_by_order.get(order.id)
            order.approval_needed = bool(levels)
            order.approval_levels_required = (
                ", ".join(levels.mapped("name")) if levels else _("None")
            )

    @api.depends("approval_ids.state", "approval_state", "user_id")
    def _compute_approval_pending_info(self):
        for order in self:
            line = (
                order._sg_approval_pending_line()
                if order.approval_state == "waiting"
                else None
            )
            if not line:
                order.approval_pending_info = False
                continue
            approvers = line._approval_approvers()[line]
            order.approval_pending_info = _(
                "%(level)s — %(approvers)s",
                level=line._approval_level_label(),
                approvers=", ".join(approvers.mapped("name"))
                or _("no approver in the group"),
            )

    @api.depends_context("uid")
    @api.depends("approval_ids.state", "user_id")
    def _compute_approval_can_act(self):
        for order in self:
            line = order._sg_approval_pending_line()
            can_act = (
                bool(line)
                and order.user_id != self.env.user
                and (
                    line.group_id in self.env.user.groups_id
                    or bool(order._sg_approval_substituted_approvers(line))
                )
            )
            order.approval_can_act = can_act
            order.approval_to_approve = can_act

    def _search_approval_to_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                _("The filter 'To Approve' only supports 'is set' and 'is not set'.")
            )
        user = self.env.user
        substituted = (
            self.env["sale.governance.approval.substitute"]
            .sudo()
            .search(
                [
                    ("substitute_id", "=", user.id),
                    ("company_id", "in", self.env.companies.ids),
                    ("date_from", "<=", fields.Date.context_today(self)),
                    ("date_to", ">=", fields.Date.context_today(self)),
                ]
            )
            .user_id
        )
        group_ids = (user.groups_id | substituted.groups_id).ids
        domain = [
            (
                "approval_ids",
                "any",
                [("state", "=", "pending"), ("group_id", "in", group_ids)],
            ),
            ("user_id", "!=", user.id),
        ]
        if (operator == "=") != value:
            domain = ["!"] + expression.normalize_domain(domain)
        return domain

    @api.depends("company_id")
    def _compute_contract_terms(self):
        for order in self:
            for fname in CONTRACT_TERM_FIELDS:
                if not order[fname]:
                    order[fname] = order.company_id[fname]

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # A governed order is never born confirmed (create or copy with a confirmed
        # state).
        orders.filtered(lambda o: o.state == "sale")._sg_approval_check_confirmable()
        return orders

    def write(self, vals):
        confirming = self.browse()
        if (
            vals.get("state") == "sale"
        ):  # every confirmation path (button, portal, RPC) writes it
            confirming = self.filtered(lambda o: o.state != "sale")
            confirming._sg_approval_check_confirmable()
        review = self.browse()
        if set(APPROVAL_ORDER_FIELDS).intersection(vals) or "order_line" in vals:
            review = self._sg_approval_under_review()
        res = super().write(vals)
        if review:
            review._sg_approval_reset_if_changed()
        if confirming:
            # The values written together with the state count too.
            confirming._sg_approval_check_confirmable()
        return res

    # ------------------------------------------------------------------ actions

    def action_approval_submit(self):
        """Start the review: one approval step per required level, the first one
        pending, the others waiting for their turn; the commercial content is
        fingerprinted."""
        for order in self:
            if not order.governed:
                raise UserError(
                    _(
                        "%(order)s is not under the sales policy: it needs no "
                        "approval.",
                        order=order.name,
                    )
                )
            if order.state not in ("draft", "sent"):
                raise UserError(
                    _(
                        "%(order)s is no longer a quotation: only quotations are "
                        "submitted for approval.",
                        order=order.name,
                    )
                )
            if (
                order.approval_state in ("waiting", "approved")
                and not order._sg_approval_changes()
            ):
                raise UserError(
                    _(
                        "%(order)s was already submitted for approval. Change its "
                        "terms to submit it again.",
                        order=order.name,
                    )
                )
        self._sg_approval_check_complete()
        levels_by_order = self._sg_approval_required_levels()
        for order in self:
            if not levels_by_order[order.id]:
                raise UserError(
                    _(
                        "%(order)s needs no approval with its current terms: confirm "
                        "it directly.",
                        order=order.name,
                    )
                )
        self._sg_approval_cancel_open_lines(_("Submitted again."))
        vals_list = []
        for order in self:
            new_round = order.approval_round + 1
            levels = levels_by_order[order.id]
            vals_list += [
                {
                    "order_id": order.id,
                    "round": new_round,
                    "level_id": level.id,
                    "sequence": level.sequence,
                    "level_name": level.name,
                    "group_id": level.group_id.id,
                    "state": "pending" if level == levels[0] else "waiting",
                }
                for level in levels
            ]
            order._sg_protected_write(
                {
                    "approval_state": "waiting",
                    "approval_round": new_round,
                    "approval_snapshot": order._sg_approval_fingerprint(),
                }
            )
        approvals = self.env["sale.governance.approval"]._sg_protected_create(vals_list)
        bodies = {}
        for order in self:
            reasons = list(order._sg_approval_policy_conditions().values())
            body = _(
                "Submitted for approval: %(levels)s.",
                levels=", ".join(levels_by_order[order.id].mapped("name")),
            )
            if reasons:
                body = _(
                    "%(body)s Outside standard terms: %(reasons)s.",
                    body=body,
                    reasons="; ".join(reasons),
                )
            bodies[order.id] = body
        # One batch of chatter notes; the approvers are notified by their activities.
        self._sg_log_notes(bodies)
        approvals.filtered(lambda a: a.state == "pending")._approval_notify()
        return True

    def action_approval_approve(self):
        return self._sg_approval_open_wizard("approve")

    def action_approval_reject(self):
        return self._sg_approval_open_wizard("reject")

    def _sg_approval_open_wizard(self, decision):
        return {
            "type": "ir.actions.act_window",
            "name": _("Approve") if decision == "approve" else _("Reject"),
            "res_model": "sale.governance.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_order_ids": self.ids,
                "default_decision": decision,
            },
        }

    # ------------------------------------------------------------------ business
    # methods

    def _sg_approval_under_review(self):
        """The quotations of ``self`` whose submission or approval a change would
        invalidate."""
        return self.filtered(
            lambda o: o.approval_state in ("waiting", "approved")
            and o.state in ("draft", "sent", "cancel")
        )

    def _sg_approval_pending_line(self):
        self.ensure_one()
        return self.approval_ids.filtered(
            lambda a: a.state == "pending" and a.round == self.approval_round
        )[:1]

    def _sg_approval_substituted_approvers(self, line):
        """Members of ``line``'s group that the current user stands in for today."""
        self.ensure_one()
        approvers = self.env["sale.governance.approval.substitute"]._substituted_users(
            self.env.user, self.company_id
        )
        return (approvers & line.group_id.sudo().users) - self.user_id

    def _sg_approval_required_levels(self):
        """``{order id: approval levels}``: the levels each order of ``self`` needs
        right now."""
        Level = self.env["sale.governance.approval.level"]
        result = {}
        for order in self:
            company = order.company_id
            if not order.governed or not company:
                result[order.id] = Level
                continue
            levels = company._sg_approval_levels()
            if not company.approval_use_thresholds:
                result[order.id] = levels
                continue
            amount = order.currency_id._convert(
                order.amount_untaxed,
                company.currency_id,
                company,
                order.date_order or fields.Date.context_today(order),
            )
            conditions = (
                order._sg_approval_policy_conditions()
                if levels.filtered(
                    lambda lv: lv.condition_discount
                    or lv.condition_pricelist
                    or lv.condition_payment_term
                )
                else {}
            )
            result[order.id] = levels.filtered(
                lambda lv, amount=amount, conditions=conditions, company=company: (
                    company.currency_id.compare_amounts(amount, lv.amount_threshold) > 0
                    or any(lv[f"condition_{key}"] for key in conditions)
                )
            )
        return result

    def _sg_approval_policy_conditions(self):
        """What takes this quotation beyond standard prices and terms:
        ``{condition: phrase}`` (conditions: ``discount``, ``pricelist``,
        ``payment_term``)."""
        self.ensure_one()
        company = self.company_id
        reasons = {}
        product_lines = self.order_line.filtered(
            lambda line: line.product_id
            and not line.display_type
            and not line.is_downpayment
        )
        if company.approval_check_discount and any(
            line.discount > company.approval_max_discount for line in product_lines
        ):
            reasons["discount"] = _(
                "discount above %(max)s%%", max=company.approval_max_discount
            )
        if company.approval_check_pricelist and self._sg_approval_lines_below_pricelist(
            product_lines
        ):
            reasons["pricelist"] = _("unit price below the pricelist price")
        if company.approval_check_payment_term:
            standard = self.partner_id.commercial_partner_id.with_company(
                company
            ).property_payment_term_id
            if self._sg_approval_term_days(
                self.payment_term_id
            ) > self._sg_approval_term_days(standard):
                reasons["payment_term"] = _(
                    "payment term longer than the customer's standard one"
                )
        return reasons

    def _sg_approval_lines_below_pricelist(self, lines):
        """The ``lines`` sold below their pricelist price; one price computation per
        distinct quantity and unit, not per line."""
        self.ensure_one()
        groups = defaultdict(lambda: self.env["sale.order.line"])
        for line in lines:
            groups[(line.product_uom_qty or 1.0, line.product_uom)] |= line
        below = self.env["sale.order.line"]
        for (qty, uom), group in groups.items():
            prices = self.pricelist_id._compute_price_rule(
                group.product_id,
                qty,
                currency=self.currency_id,
                uom=uom,
                date=self.date_order or fields.Datetime.now(),
            )
            below |= group.filtered(
                lambda line, prices=prices: self.currency_id.compare_amounts(
                    line.price_unit, prices[line.product_id.id][0]
                )
                < 0
            )
        return below

    @api.model
    def _sg_approval_term_days(self, term):
        return max(term.line_ids.mapped("nb_days") or [0]) if term else 0

    def _sg_approval_missing_items(self):
        """Every contract item missing on this quotation (translated phrases)."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        company_partner = self.company_id.partner_id
        banks = {
            partner.id: count
            for partner, count in self.env["res.partner.bank"]._read_group(
                [("partner_id", "in", (customer | company_partner).ids)],
                ["partner_id"],
                ["__count"],
            )
        }
        missing = []
        for party, partner in (
            (_("Customer"), customer),
            (_("Our company"), company_partner),
        ):
            checks = (
                (partner.name, _("legal name")),
                (partner.street and partner.city, _("address (street and city)")),
                (partner.phone or partner.mobile, _("phone")),
                (partner.vat, _("tax ID")),
                (banks.get(partner.id), _("bank account")),
            )
            missing += [f"{party}: {label}" for value, label in checks if not value]
        product_lines = self.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
        if not product_lines:
            missing.append(_("Order lines: at least one line with a product"))
        for line in product_lines:
            if line.product_uom_qty <= 0 or line.price_unit <= 0:
                missing.append(
                    _(
                        "Order line %(product)s: quantity and unit price",
                        product=line.product_id.display_name or line.name,
                    )
                )
        shipping = self.partner_shipping_id
        checks = (
            (self.payment_term_id, _("Payment terms")),
            (self.contract_settlement_method, _("Settlement method")),
            (self.commitment_date, _("Delivery date")),
            (shipping and shipping.street and shipping.city, _("Delivery address")),
            (self.contract_quality_standard, _("Quality standard")),
            (self.contract_acceptance_method, _("Acceptance method")),
            (self.contract_signing_place, _("Place of signing")),
            (
                self.contract_dispute_resolution,
                _("Dispute resolution (place and method)"),
            ),
        )
        missing += [label for value, label in checks if not value]
        return missing

    def _sg_approval_check_complete(self):
        messages = []
        for order in self:
            missing = order._sg_approval_missing_items()
            if missing:
                messages.append(
                    _(
                        "The contract of %(order)s is incomplete. Fill in before "
                        "submitting it for approval:\n%(items)s",
                        order=order.name,
                        items="\n".join(f"- {item}" for item in missing),
                    )
                )
        if messages:
            raise UserError("\n\n".join(messages))

    # ------------------------------------------------------------------ fingerprint

    @api.model
    def _sg_approval_fingerprint_value(self, value):
        if isinstance(value, models.BaseModel):
            return sorted(value.ids) if len(value) > 1 else (value.id or False)
        if isinstance(value, float):
            return float_round(value, precision_digits=6)
        if isinstance(value, datetime | date):
            return fields.Datetime.to_string(value)
        return value or False

    def _sg_approval_fingerprint(self):
        """The commercial content of this order that an approval is bound to
        (JSON-able): order terms, and per line product, quantity in the product's base
        unit, unit, packaging, price, discount and taxes."""
        self.ensure_one()
        value = self._sg_approval_fingerprint_value
        lines = {}
        for line in self.order_line.filtered(lambda line: not line.display_type):
            qty_base = (
                line.product_uom._compute_quantity(
                    line.product_uom_qty,
                    line.product_id.uom_id or line.product_uom,
                    round=False,
                )
                if line.product_uom
                else line.product_uom_qty
            )
            lines[str(line.id)] = {
                "product_id": line.product_id.id or False,
                "qty_base": value(qty_base),
                "product_uom": line.product_uom.id or False,
                "product_packaging_id": line.product_packaging_id.id or False,
                "price_unit": value(line.price_unit),
                "discount": value(line.discount),
                "tax_id": sorted(line.tax_id.ids),
            }
        return {
            "order": {fname: value(self[fname]) for fname in APPROVAL_ORDER_FIELDS},
            "lines": lines,
        }

    def _sg_approval_changes(self):
        """What changed since the submission (translated phrases; empty when nothing
        did)."""
        self.ensure_one()
        before = self.approval_snapshot or {}
        if not before:
            return []
        now = self._sg_approval_fingerprint()
        changes = [
            self._fields[fname]._description_string(self.env)
            for fname, value in now["order"].items()
            if before.get("order", {}).get(fname, False) != value
        ]
        line_labels = {
            "product_id": _("Product"),
            "qty_base": _("Quantity"),
            "product_uom": _("Unit"),
            "product_packaging_id": _("Packaging"),
            "price_unit": _("Unit Price"),
            "discount": _("Discount"),
            "tax_id": _("Taxes"),
        }
        old_lines = before.get("lines", {})
        lines = self.order_line.filtered(lambda line: not line.display_type)
        for line in lines:
            old = old_lines.get(str(line.id))
            if old is None:
                product = line.product_id.display_name or line.name
                changes.append(_("a new order line (%(product)s)", product=product))
                continue
            new = now["lines"][str(line.id)]
            changed = [
                key for key in FINGERPRINT_LINE_KEYS if old.get(key, False) != new[key]
            ]
            if not changed:
                continue  # the product's name is read only for a changed line
            product = line.product_id.display_name or line.name
            changes += [
                _(
                    "%(field)s of line %(product)s",
                    field=line_labels[key],
                    product=product,
                )
                for key in changed
            ]
        if set(old_lines) - set(now["lines"]):
            changes.append(_("a removed order line"))
        return changes

    def _sg_approval_reset_if_changed(self):
        """Cancel the approvals of the orders of ``self`` whose commercial content
        differs from what was submitted; the chatter names the change."""
        changes = {}
        for order in self._sg_approval_under_review():
            labels = order._sg_approval_changes()
            if labels:
                changes[order] = labels
        if changes:
            self._sg_approval_reset(changes)

    # ------------------------------------------------------------------ the gate

    def _sg_approval_missing(self):
        """The governed orders of ``self`` that lack an approval for what they are now
        (any state): a required level not approved in the current round, or a content
        changed since."""
        candidates = self.filtered("governed")
        if not candidates:
            return candidates
        levels_by_order = candidates._sg_approval_required_levels()
        missing = self.browse()
        for order in candidates:
            levels = levels_by_order[order.id]
            if not levels:
                continue
            approved = order.approval_ids.filtered(
                lambda a, o=order: a.round == o.approval_round and a.state == "approved"
            ).level_id
            if (
                order.approval_state != "approved"
                or levels - approved
                or order._sg_approval_changes()
            ):
                missing |= order
        return missing

    def _sg_approval_blocking(self):
        """The quotations of ``self`` that may not be confirmed yet for lack of
        approval."""
        return self.filtered(
            lambda o: o.state in ("draft", "sent")
        )._sg_approval_missing()

    def _sg_approval_error_message(self):
        """Why this order cannot be confirmed for lack of approval (False when it
        can)."""
        self.ensure_one()
        if not self._sg_approval_missing():
            return False
        if self.approval_state == "waiting":
            line = self._sg_approval_pending_line()
            status = _("it waits for %(level)s", level=line._approval_level_label())
        elif self.approval_state == "rejected":
            status = _("it was rejected; change it and submit it again")
        elif self.approval_state == "approved":
            changes = self._sg_approval_changes()
            if changes:
                status = _(
                    "%(changes)s changed after the approval; submit it again",
                    changes=", ".join(changes),
                )
            else:
                status = _(
                    "the approval settings changed since its approval; submit it again"
                )
        else:
            status = _("submit it for approval first")
        return _(
            "%(order)s cannot be confirmed before its contract is approved: "
            "%(status)s.",
            order=self.name,
            status=status,
        )

    def _sg_approval_check_confirmable(self):
        for order in self._sg_approval_missing():
            raise UserError(order._sg_approval_error_message())

    def _confirmation_error_message(self):
        # What action_confirm, the portal signature and online payments go through.
        return (
            super()._confirmation_error_message() or self._sg_approval_error_message()
        )

    def _sg_approval_cancel_open_lines(self, reason):
        self.approval_ids.filtered(
            lambda a: a.state in ("waiting", "pending", "approved")
        )._sg_protected_write({"state": "cancelled", "cancel_reason": reason})

    def _sg_approval_reset(self, changes):
        """``changes``: ``{order: [labels]}`` changed after submission."""
        for order, labels in changes.items():
            what = ", ".join(labels)
            order._sg_approval_cancel_open_lines(
                _("Changed after submission: %(what)s", what=what)
            )
            order._sg_protected_write(
                {"approval_state": "to_submit", "approval_snapshot": False}
            )
            order.activity_unlink([APPROVAL_ACTIVITY])
            order._message_log(
                body=_(
                    "The approvals given so far were cancelled because %(what)s "
                    "changed after submission. Submit the quotation for approval "
                    "again.",
                    what=what,
                )
            )

    def _sg_approval_lock(self, lines):
        """Lock the approval steps being decided, so that two approvers never decide the
        same step at the same moment; the second one is told to try again."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM sale_governance_approval WHERE id IN %s FOR "
                    "UPDATE NOWAIT",
                    [tuple(lines.ids)],
                )
        except LockNotAvailable:
            raise UserError(
                _(
                    "Another approver is deciding the same approval step right now. "
                    "Reload the quotation and try again."
                )
            ) from None
        lines.invalidate_recordset(["state", "user_id"])

    def _sg_approval_decide(self, approve, comment=False):
        """Record the current user's decision on the pending level of each order of
        ``self``."""
        comment = (comment or "").strip()
        if not approve and not comment:
            raise UserError(
                _(
                    "Give the reason for the rejection: the salesperson needs it to "
                    "rework the quotation."
                )
            )
        user = self.env.user
        now = fields.Datetime.now()
        pending = {order: order._sg_approval_pending_line() for order in self}
        lines = (
            self.env["sale.governance.approval"].union(*pending.values())
            if pending
            else None
        )
        if lines:
            self._sg_approval_lock(lines)
        notify = self.env["sale.governance.approval"]
        approved = self.browse()
        approved_bodies = {}
        for order in self:
            line = pending[order]
            if order.approval_state != "waiting" or not line or line.state != "pending":
                raise UserError(
                    _("%(order)s is not waiting for an approval.", order=order.name)
                )
            if order._sg_approval_changes():
                raise UserError(
                    _(
                        "%(order)s changed since it was submitted (%(changes)s): it "
                        "must be submitted again before anyone approves it.",
                        order=order.name,
                        changes=", ".join(order._sg_approval_changes()),
                    )
                )
            on_behalf = order._sg_approval_check_can_decide(line)
            line._sg_protected_write(
                {
                    "state": "approved" if approve else "rejected",
                    "user_id": user.id,
                    "on_behalf_of_id": on_behalf.id,
                    "date": now,
                    "comment": comment,
                }
            )
            label = line._approval_level_label()
            who = (
                user.name
                if not on_behalf
                else _(
                    "%(user)s on behalf of %(approver)s",
                    user=user.name,
                    approver=on_behalf.name,
                )
            )
            if approve:
                following = order.approval_ids.filtered(
                    lambda a, o=order: a.round == o.approval_round
                    and a.state == "waiting"
                ).sorted(lambda a: (a.sequence, a.id))[:1]
                body = _("%(level)s approved by %(who)s.", level=label, who=who)
                if comment:
                    body = _(
                        "%(body)s Comment: %(comment)s", body=body, comment=comment
                    )
                approved_bodies[order.id] = body
                if following:
                    following._sg_protected_write({"state": "pending"})
                    notify |= following
                else:
                    order._sg_protected_write({"approval_state": "approved"})
                    if order.user_id:
                        approved |= order
            else:
                order.approval_ids.filtered(
                    lambda a, o=order: a.round == o.approval_round
                    and a.state == "waiting"
                )._sg_protected_write(
                    {
                        "state": "cancelled",
                        "cancel_reason": _("Rejected at %(level)s", level=label),
                    }
                )
                vals = {"approval_state": "rejected"}
                if order.state == "sent":
                    vals["state"] = "draft"
                order._sg_protected_write(vals)
                order.message_post(
                    body=_(
                        "%(level)s rejected by %(who)s. Reason: %(reason)s",
                        level=label,
                        who=who,
                        reason=comment,
                    )
                )
                if order.user_id:
                    order.activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=order.user_id.id,
                        summary=_("Quotation rejected at %(level)s", level=label),
                        note=comment,
                    )
        # The decided level's activities are closed (the decision is in the chatter),
        # the next level's approvers get theirs: a few batched queries whatever the
        # number of approvers.
        self._sg_unlink_activities(APPROVAL_ACTIVITY)  # after the checks above
        if approved_bodies:
            self.browse(approved_bodies)._sg_log_notes(approved_bodies)
        if approved:
            # the salesperson's to-do, as activity_schedule() gives it with
            # mail_activity_quick_update, in one batch (governance's mail_bulk)
            approved.sudo()._sg_schedule_activities(
                "mail.mail_activity_data_todo",
                [order.user_id for order in approved],
                fields.Date.context_today(self),
                summary=_("Contract approved: confirm the order"),
            )
        if notify:
            notify._approval_notify()
        return True

    def _sg_approval_approve(self, comment=False):
        return self._sg_approval_decide(True, comment)

    def _sg_approval_reject(self, reason):
        return self._sg_approval_decide(False, reason)

    def _sg_approval_check_can_decide(self, line):
        """Refuse unless the current user may decide ``line``; return the approver they
        stand in for (empty when they act in their own name)."""
        self.ensure_one()
        user = self.env.user
        label = line._approval_level_label()
        on_behalf = self.env["res.users"]
        if line.group_id not in user.groups_id:
            on_behalf = self._sg_approval_substituted_approvers(line)[:1]
            if not on_behalf:
                later = self.approval_ids.filtered(
                    lambda a: a.round == self.approval_round
                    and a.state == "waiting"
                    and a.group_id in user.groups_id
                )
                if later:
                    raise UserError(
                        _(
                            "%(order)s waits for %(level)s: %(later)s can decide only "
                            "after it.",
                            order=self.name,
                            level=label,
                            later=later[0]._approval_level_label(),
                        )
                    )
                raise UserError(
                    _(
                        "Only members of %(group)s decide %(level)s of %(order)s.",
                        group=line.group_id.sudo().name,
                        level=label,
                        order=self.name,
                    )
                )
        if self.user_id and self.user_id in (user | on_behalf):
            raise UserError(
                _(
                    "The salesperson of %(order)s cannot approve it: another member "
                    "of the approver group decides.",
                    order=self.name,
                )
            )
        if not self.company_id.approval_allow_same_approver:
            decided = self.approval_ids.filtered(
                lambda a: a.round == self.approval_round and a.state == "approved"
            )
            if (user | on_behalf) & (decided.user_id | decided.on_behalf_of_id):
                raise UserError(
                    _(
                        "You already approved another level of %(order)s: one person "
                        "cannot approve two levels of the same order.",
                        order=self.name,
                    )
                )
        return on_behalf

    def _sg_approval_demo_decide(self, user_xmlid, comment=False):
        """Demo data: ``user_xmlid`` approves the pending level (the real checks
        apply)."""
        user = self.env.ref(user_xmlid)
        return self.with_user(user)._sg_approval_approve(comment)

    # ------------------------------------------------------------------ portal and
    # payments

    def _has_to_be_signed(self):
        return super()._has_to_be_signed() and not self._sg_approval_blocking()

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and not self._sg_approval_blocking()

    def _sg_approval_payment_received(self, transaction):
        """A payment reached a quotation that waits for its approval: the payment is
        kept (posted as a customer payment by Odoo), the order stays a quotation, the
        salesperson is told."""
        for order in self:
            order.message_post(
                body=_(
                    "Payment %(reference)s of %(amount)s received while the contract "
                    "waits for its approval: the quotation is not confirmed. Confirm "
                    "it once the contract is approved.",
                    reference=transaction.reference,
                    amount=transaction.currency_id.format(transaction.amount),
                )
            )
            if order.user_id:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=order.user_id.id,
                    summary=_(
                        "Payment received before approval: confirm after approval"
                    ),
                    note=_(
                        "Payment %(reference)s was received for %(order)s before its "
                        "contract was approved. Follow the approval, then confirm the "
                        "order.",
                        reference=transaction.reference,
                        order=order.name,
                    ),
                )


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _sg_approval_qty_base(self):
        self.ensure_one()
        if not self.product_uom or not self.product_id:
            return self.product_uom_qty
        return self.product_uom._compute_quantity(
            self.product_uom_qty, self.product_id.uom_id, round=False
        )

    def _sg_approval_confirmed(self):
        """Product lines of confirmed governed orders (their approval covers what they
        hold)."""
        return self.filtered(
            lambda line: not line.display_type
            and not line.is_downpayment
            and line.order_id.state == "sale"
            and line.order_id.governed
        )

    def _sg_approval_check_amendment(self, before=None):
        """Refuse more goods or value on confirmed governed orders that need an
        approval: an amendment of the contract is a new contract (cancel and
        requote)."""
        for line in self:
            order = line.order_id
            product = line.product_id.display_name or line.name
            if before is None:
                what = _("a new line %(product)s", product=product)
            else:
                qty_base, price_unit, subtotal, product_before = before[line]
                rounding = line.product_id.uom_id.rounding or 0.001
                if product_before != line.product_id:
                    what = _("the product of line %(product)s", product=product)
                elif (
                    float_compare(
                        line._sg_approval_qty_base(),
                        qty_base,
                        precision_rounding=rounding,
                    )
                    > 0
                ):
                    what = _("more quantity on line %(product)s", product=product)
                elif order.currency_id.compare_amounts(line.price_unit, price_unit):
                    what = _("the unit price of line %(product)s", product=product)
                elif (
                    order.currency_id.compare_amounts(line.price_subtotal, subtotal) > 0
                ):
                    what = _("more value on line %(product)s", product=product)
                else:
                    continue
            if not order._sg_approval_required_levels()[order.id]:
                continue
            never_approved = (
                not order.approval_round and order._sg_approval_error_message()
            )
            if never_approved:
                # A confirmed governed order that was never approved (created or copied
                # so).
                raise UserError(never_approved)
            raise UserError(
                _(
                    "%(order)s is a confirmed order under the sales policy: %(what)s "
                    "would need a new contract approval. Create a new quotation for "
                    "the additional goods (or cancel the order and requote it) and "
                    "submit it for approval.",
                    order=order.name,
                    what=what,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._sg_approval_confirmed()._sg_approval_check_amendment()
        orders = lines.filtered(lambda line: not line.display_type).order_id
        orders._sg_approval_reset_if_changed()
        return lines

    def write(self, vals):
        watched = set(APPROVAL_LINE_FIELDS).intersection(vals)
        review = confirmed = before = None
        if watched:
            review = self.order_id._sg_approval_under_review()
            confirmed = self._sg_approval_confirmed()
            before = {
                line: (
                    line._sg_approval_qty_base(),
                    line.price_unit,
                    line.price_subtotal,
                    line.product_id,
                )
                for line in confirmed
            }
        res = super().write(vals)
        if confirmed:
            confirmed._sg_approval_check_amendment(before)
        if review:
            review._sg_approval_reset_if_changed()
        return res

    def unlink(self):
        orders = self.filtered(lambda line: not line.display_type).order_id
        review = orders._sg_approval_under_review()
        res = super().unlink()
        review.exists()._sg_approval_reset_if_changed()
        return res
