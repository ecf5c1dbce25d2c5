from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

APPROVAL_ACTIVITY = "sale_governance.mail_activity_data_contract_approval"
# Fields that only the approval methods write (under sudo() after checking who acts).
APPROVAL_BOOKKEEPING_FIELDS = {"approval_state", "approval_ids", "approval_round"}
# Commercial terms whose change after submission cancels the approvals given so far.
COMMERCIAL_ORDER_FIELDS = (
    "partner_id",
    "partner_shipping_id",
    "pricelist_id",
    "payment_term_id",
    "fiscal_position_id",
    "commitment_date",
    "currency_id",
)
COMMERCIAL_LINE_FIELDS = (
    "product_id",
    "product_uom_qty",
    "product_uom",
    "price_unit",
    "discount",
    "tax_id",
)
CONTRACT_TERM_FIELDS = (
    "contract_quality_standard",
    "contract_acceptance_method",
    "contract_settlement_method",
    "contract_signing_place",
    "contract_dispute_resolution",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

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
        help="Three-level contract approval (Sales Dept, Business Management, Executive in "
        "charge) that a governed quotation needs before it is confirmed.",
    )
    approval_round = fields.Integer(string="Submissions", copy=False, readonly=True)
    approval_ids = fields.One2many(
        "sale.governance.approval", "order_id", string="Approval Trail", copy=False, readonly=True
    )
    approval_levels_required = fields.Char(
        string="Approval Levels",
        compute="_compute_approval_levels_required",
        help="The approval levels that this quotation needs with its current terms and the "
        "company's approval settings.",
    )
    approval_needed = fields.Boolean(compute="_compute_approval_levels_required")
    approval_can_act = fields.Boolean(
        compute="_compute_approval_can_act",
        help="Whether the current user may decide the level that is pending.",
    )
    approval_to_approve = fields.Boolean(
        string="To Approve",
        compute="_compute_approval_can_act",
        search="_search_approval_to_approve",
    )
    contract_quality_standard = fields.Text(
        string="Quality Standard",
        compute="_compute_contract_terms", store=True, readonly=False, precompute=True,
    )
    contract_acceptance_method = fields.Text(
        string="Acceptance Method",
        compute="_compute_contract_terms", store=True, readonly=False, precompute=True,
    )
    contract_settlement_method = fields.Char(
        string="Settlement Method",
        compute="_compute_contract_terms", store=True, readonly=False, precompute=True,
        help="How the customer pays: bank transfer, bank acceptance bill, letter of credit...",
    )
    contract_signing_place = fields.Char(
        string="Place of Signing",
        compute="_compute_contract_terms", store=True, readonly=False, precompute=True,
    )
    contract_dispute_resolution = fields.Text(
        string="Dispute Resolution",
        compute="_compute_contract_terms", store=True, readonly=False, precompute=True,
        help="Place and method of dispute resolution.",
    )

    # ------------------------------------------------------------------ computes

    @api.depends("governed")
    def _compute_approval_state(self):
        for order in self:
            if not order.governed:
                order.approval_state = "not_required"
            elif order.approval_state in (False, "not_required"):
                order.approval_state = "to_submit"

    @api.depends(
        "governed", "amount_untaxed", "order_line.discount", "order_line.price_unit",
        "payment_term_id", "partner_id", "company_id",
    )
    def _compute_approval_levels_required(self):
        levels_by_order = self._approval_required_levels()
        for order in self:
            levels = levels_by_order.get(order.id, [])
            order.approval_needed = bool(levels)
            order.approval_levels_required = (
                ", ".join(str(level) for level in levels) if levels else _("None")
            )

    @api.depends_context("uid")
    @api.depends("approval_ids.state", "user_id")
    def _compute_approval_can_act(self):
        for order in self:
            line = order._approval_pending_line()
            can_act = bool(line) and order.user_id != self.env.user and (
                line.group_id in self.env.user.groups_id
                or bool(order._approval_substituted_approvers(line))
            )
            order.approval_can_act = can_act
            order.approval_to_approve = can_act

    def _search_approval_to_approve(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("The filter 'To Approve' only supports 'is set' and 'is not set'."))
        user = self.env.user
        substituted = self.env["sale.governance.approval.substitute"].sudo().search([
            ("substitute_id", "=", user.id),
            ("company_id", "in", self.env.companies.ids),
            ("date_from", "<=", fields.Date.context_today(self)),
            ("date_to", ">=", fields.Date.context_today(self)),
        ]).user_id
        group_ids = (user.groups_id | substituted.groups_id).ids
        domain = [
            ("approval_ids", "any", [("state", "=", "pending"), ("group_id", "in", group_ids)]),
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
        if not self.env.su and any(APPROVAL_BOOKKEEPING_FIELDS & vals.keys() for vals in vals_list):
            raise AccessError(self._approval_bookkeeping_error())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and APPROVAL_BOOKKEEPING_FIELDS & vals.keys():
            raise AccessError(self._approval_bookkeeping_error())
        if vals.get("state") == "sale":  # every confirmation path (button, portal, RPC) writes it
            self._approval_check_confirmable()
        watched = [fname for fname in COMMERCIAL_ORDER_FIELDS if fname in vals]
        snapshot = {}
        if watched:
            snapshot = {
                order: {fname: order[fname] for fname in watched}
                for order in self._approval_under_review()
            }
        res = super().write(vals)
        if snapshot:
            changes = {}
            for order, before in snapshot.items():
                labels = [
                    self._fields[fname]._description_string(self.env)
                    for fname, value in before.items()
                    if order[fname] != value
                ]
                if labels:
                    changes[order] = labels
            if changes:
                self._approval_reset(changes)
        return res

    # ------------------------------------------------------------------ actions

    def action_approval_submit(self):
        """Start the review: one approval line per required level, level 1 (or the first one)
        pending, the others waiting for their turn."""
        for order in self:
            if not order.governed:
                raise UserError(
                    _("%(order)s is not under the sales policy: it needs no approval.",
                      order=order.name)
                )
            if order.state not in ("draft", "sent"):
                raise UserError(
                    _("%(order)s is no longer a quotation: only quotations are submitted for "
                      "approval.", order=order.name)
                )
            if order.approval_state in ("waiting", "approved"):
                raise UserError(
                    _("%(order)s was already submitted for approval. Change its terms to submit "
                      "it again.", order=order.name)
                )
        self._approval_check_complete()
        levels_by_order = self._approval_required_levels()
        for order in self:
            if not levels_by_order[order.id]:
                raise UserError(
                    _("%(order)s needs no approval with its current terms: confirm it directly.",
                      order=order.name)
                )
        vals_list = []
        for order in self:
            order._approval_cancel_open_lines(_("Submitted again."))
            new_round = order.approval_round + 1
            levels = levels_by_order[order.id]
            for level in levels:
                vals_list.append({
                    "order_id": order.id,
                    "round": new_round,
                    "level": str(level),
                    "group_id": order.company_id._approval_group(level).id,
                    "state": "pending" if level == levels[0] else "waiting",
                })
            order.sudo().write({"approval_state": "waiting", "approval_round": new_round})
        approvals = self.env["sale.governance.approval"].sudo().create(vals_list)
        for order in self:
            reasons = order._approval_policy_exceptions()
            body = _("Submitted for approval, levels %(levels)s.",
                     levels=", ".join(str(level) for level in levels_by_order[order.id]))
            if reasons:
                body = _("%(body)s Outside standard terms: %(reasons)s.",
                         body=body, reasons="; ".join(reasons))
            order.message_post(body=body)
        approvals.filtered(lambda a: a.state == "pending")._approval_notify()
        return True

    def action_approval_approve(self):
        return self._approval_open_wizard("approve")

    def action_approval_reject(self):
        return self._approval_open_wizard("reject")

    def _approval_open_wizard(self, decision):
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

    # ------------------------------------------------------------------ business methods

    @api.model
    def _approval_bookkeeping_error(self):
        return _("The contract approval of a quotation changes only through Submit for "
                 "Approval, Approve and Reject.")

    def _approval_under_review(self):
        """The quotations of ``self`` whose submission or approval a change would invalidate."""
        return self.filtered(
            lambda o: o.approval_state in ("waiting", "approved") and o.state in ("draft", "sent", "cancel")
        )

    def _approval_pending_line(self):
        self.ensure_one()
        return self.approval_ids.filtered(
            lambda a: a.state == "pending" and a.round == self.approval_round
        )[:1]

    def _approval_substituted_approvers(self, line):
        """Members of ``line``'s group that the current user stands in for today."""
        self.ensure_one()
        approvers = self.env["sale.governance.approval.substitute"]._substituted_users(
            self.env.user, self.company_id
        )
        return (approvers & line.group_id.sudo().users) - self.user_id

    def _approval_required_levels(self):
        """``{order id: [levels]}``: the levels each order of ``self`` needs right now."""
        result = {}
        for order in self:
            company = order.company_id
            if not order.governed or not company:
                result[order.id] = []
                continue
            if not company.approval_use_thresholds:
                result[order.id] = [1, 2, 3]
                continue
            amount = order.currency_id._convert(
                order.amount_untaxed, company.currency_id, company,
                order.date_order or fields.Date.context_today(order),
            )
            levels = [
                level for level in (1, 2, 3)
                if company.currency_id.compare_amounts(
                    amount, company[f"approval_threshold_l{level}"]) > 0
            ]
            if 1 not in levels and order._approval_policy_exceptions():
                levels.insert(0, 1)
            result[order.id] = levels
        return result

    def _approval_policy_exceptions(self):
        """What takes this quotation beyond standard prices and terms (translated phrases)."""
        self.ensure_one()
        company = self.company_id
        reasons = []
        product_lines = self.order_line.filtered(
            lambda line: line.product_id and not line.display_type and not line.is_downpayment
        )
        if company.approval_check_discount and any(
            line.discount > company.approval_max_discount for line in product_lines
        ):
            reasons.append(_("discount above %(max)s%%", max=company.approval_max_discount))
        if company.approval_check_pricelist and self._approval_lines_below_pricelist(product_lines):
            reasons.append(_("unit price below the pricelist price"))
        if company.approval_check_payment_term:
            standard = self.partner_id.commercial_partner_id.with_company(
                company).property_payment_term_id
            if self._approval_term_days(self.payment_term_id) > self._approval_term_days(standard):
                reasons.append(_("payment term longer than the customer's standard one"))
        return reasons

    def _approval_lines_below_pricelist(self, lines):
        """The ``lines`` sold below their pricelist price; one price computation per distinct
        quantity and unit, not per line."""
        self.ensure_one()
        groups = defaultdict(lambda: self.env["sale.order.line"])
        for line in lines:
            groups[(line.product_uom_qty or 1.0, line.product_uom)] |= line
        below = self.env["sale.order.line"]
        for (qty, uom), group in groups.items():
            prices = self.pricelist_id._compute_price_rule(
                group.product_id, qty, currency=self.currency_id, uom=uom,
                date=self.date_order or fields.Datetime.now(),
            )
            below |= group.filtered(
                lambda line: self.currency_id.compare_amounts(
                    line.price_unit, prices[line.product_id.id][0]) < 0
            )
        return below

    @api.model
    def _approval_term_days(self, term):
        return max(term.line_ids.mapped("nb_days") or [0]) if term else 0

    def _approval_missing_items(self):
        """Every contract item missing on this quotation (translated phrases)."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        company_partner = self.company_id.partner_id
        banks = {
            partner.id: count
            for partner, count in self.env["res.partner.bank"]._read_group(
                [("partner_id", "in", (customer | company_partner).ids)],
                ["partner_id"], ["__count"],
            )
        }
        missing = []
        for party, partner in ((_("Customer"), customer), (_("Our company"), company_partner)):
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
                missing.append(_("Order line %(product)s: quantity and unit price",
                                 product=line.product_id.display_name or line.name))
        shipping = self.partner_shipping_id
        checks = (
            (self.payment_term_id, _("Payment terms")),
            (self.contract_settlement_method, _("Settlement method")),
            (self.commitment_date, _("Delivery date")),
            (shipping and shipping.street and shipping.city, _("Delivery address")),
            (self.contract_quality_standard, _("Quality standard")),
            (self.contract_acceptance_method, _("Acceptance method")),
            (self.contract_signing_place, _("Place of signing")),
            (self.contract_dispute_resolution,
             _("Dispute resolution (place and method)")),
        )
        missing += [label for value, label in checks if not value]
        return missing

    def _approval_check_complete(self):
        messages = []
        for order in self:
            missing = order._approval_missing_items()
            if missing:
                messages.append(
                    _("The contract of %(order)s is incomplete. Fill in before submitting it for "
                      "approval:\n%(items)s",
                      order=order.name, items="\n".join(f"- {item}" for item in missing))
                )
        if messages:
            raise UserError("\n\n".join(messages))

    def _approval_blocking(self):
        """The orders of ``self`` that may not be confirmed yet for lack of approval."""
        candidates = self.filtered(
            lambda o: o.governed and o.state in ("draft", "sent") and o.approval_state != "approved"
        )
        if not candidates:
            return candidates
        levels_by_order = candidates._approval_required_levels()
        return candidates.filtered(lambda o: levels_by_order[o.id])

    def _approval_check_confirmable(self):
        blocking = self._approval_blocking()
        if blocking:
            order = blocking[0]
            if order.approval_state == "waiting":
                line = order._approval_pending_line()
                status = _("it waits for %(level)s", level=line._approval_level_label())
            elif order.approval_state == "rejected":
                status = _("it was rejected; change it and submit it again")
            else:
                status = _("submit it for approval first")
            raise UserError(
                _("%(order)s cannot be confirmed before its contract is approved: %(status)s.",
                  order=order.name, status=status)
            )

    def _approval_cancel_open_lines(self, reason):
        self.approval_ids.filtered(
            lambda a: a.state in ("waiting", "pending", "approved")
        ).sudo().write({"state": "cancelled", "cancel_reason": reason})

    def _approval_reset(self, changes):
        """``changes``: ``{order: [field labels]}`` changed after submission."""
        for order, labels in changes.items():
            what = ", ".join(labels)
            order._approval_cancel_open_lines(_("Changed after submission: %(what)s", what=what))
            order.sudo().write({"approval_state": "to_submit"})
            order.activity_unlink([APPROVAL_ACTIVITY])
            order.message_post(
                body=_("The approvals given so far were cancelled because %(what)s changed after "
                       "submission. Submit the quotation for approval again.", what=what)
            )

    def _approval_decide(self, approve, comment=False):
        """Record the current user's decision on the pending level of each order of ``self``."""
        comment = (comment or "").strip()
        if not approve and not comment:
            raise UserError(_("Give the reason for the rejection: the salesperson needs it to "
                              "rework the quotation."))
        user = self.env.user
        now = fields.Datetime.now()
        for order in self:
            line = order._approval_pending_line()
            if order.approval_state != "waiting" or not line:
                raise UserError(
                    _("%(order)s is not waiting for an approval.", order=order.name)
                )
            on_behalf = order._approval_check_can_decide(line)
            line.sudo().write({
                "state": "approved" if approve else "rejected",
                "user_id": user.id,
                "on_behalf_of_id": on_behalf.id,
                "date": now,
                "comment": comment,
            })
            order.activity_feedback([APPROVAL_ACTIVITY], feedback=comment or None)
            label = line._approval_level_label()
            who = user.name if not on_behalf else _(
                "%(user)s on behalf of %(approver)s", user=user.name, approver=on_behalf.name)
            if approve:
                following = order.approval_ids.filtered(
                    lambda a: a.round == order.approval_round and a.state == "waiting"
                ).sorted("level")[:1]
                body = _("%(level)s approved by %(who)s.", level=label, who=who)
                if comment:
                    body = _("%(body)s Comment: %(comment)s", body=body, comment=comment)
                order.message_post(body=body)
                if following:
                    following.sudo().write({"state": "pending"})
                    following._approval_notify()
                else:
                    order.sudo().write({"approval_state": "approved"})
                    if order.user_id:
                        order.activity_schedule(
                            "mail.mail_activity_data_todo",
                            user_id=order.user_id.id,
                            summary=_("Contract approved: confirm the order"),
                        )
            else:
                order.approval_ids.filtered(
                    lambda a: a.round == order.approval_round and a.state == "waiting"
                ).sudo().write({"state": "cancelled", "cancel_reason": _("Rejected at %(level)s",
                                                                          level=label)})
                vals = {"approval_state": "rejected"}
                if order.state == "sent":
                    vals["state"] = "draft"
                order.sudo().write(vals)
                order.message_post(
                    body=_("%(level)s rejected by %(who)s. Reason: %(reason)s",
                           level=label, who=who, reason=comment)
                )
                if order.user_id:
                    order.activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=order.user_id.id,
                        summary=_("Quotation rejected at %(level)s", level=label),
                        note=comment,
                    )
        return True

    def _approval_approve(self, comment=False):
        return self._approval_decide(True, comment)

    def _approval_reject(self, reason):
        return self._approval_decide(False, reason)

    def _approval_check_can_decide(self, line):
        """Refuse unless the current user may decide ``line``; return the approver they stand in
        for (empty when they act in their own name)."""
        self.ensure_one()
        user = self.env.user
        label = line._approval_level_label()
        on_behalf = self.env["res.users"]
        if line.group_id not in user.groups_id:
            on_behalf = self._approval_substituted_approvers(line)[:1]
            if not on_behalf:
                later = self.approval_ids.filtered(
                    lambda a: a.round == self.approval_round and a.state == "waiting"
                    and a.group_id in user.groups_id
                )
                if later:
                    raise UserError(
                        _("%(order)s waits for %(level)s: %(later)s can decide only after it.",
                          order=self.name, level=label, later=later[0]._approval_level_label())
                    )
                raise UserError(
                    _("Only members of %(group)s decide %(level)s of %(order)s.",
                      group=line.group_id.sudo().name, level=label, order=self.name)
                )
        if user == self.user_id or on_behalf == self.user_id:
            raise UserError(
                _("The salesperson of %(order)s cannot approve it: another member of the "
                  "approver group decides.", order=self.name)
            )
        if not self.company_id.approval_allow_same_approver:
            decided = self.approval_ids.filtered(
                lambda a: a.round == self.approval_round and a.state == "approved"
            )
            if (user | on_behalf) & (decided.user_id | decided.on_behalf_of_id):
                raise UserError(
                    _("You already approved another level of %(order)s: one person cannot "
                      "approve two levels of the same order.", order=self.name)
                )
        return on_behalf

    # ------------------------------------------------------------------ portal

    def _has_to_be_signed(self):
        return super()._has_to_be_signed() and not self._approval_blocking()

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and not self._approval_blocking()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        orders = lines.filtered(lambda line: not line.display_type).order_id
        orders = orders._approval_under_review()
        if orders:
            orders._approval_reset({order: [_("a new order line")] for order in orders})
        return lines

    def write(self, vals):
        watched = [fname for fname in COMMERCIAL_LINE_FIELDS if fname in vals]
        snapshot = {}
        if watched:
            under_review = self.order_id._approval_under_review()
            snapshot = {
                line: {fname: line[fname] for fname in watched}
                for line in self
                if line.order_id in under_review and not line.display_type
            }
        res = super().write(vals)
        if snapshot:
            changes = defaultdict(list)
            for line, before in snapshot.items():
                for fname, value in before.items():
                    if line[fname] != value:
                        label = _("%(field)s of line %(product)s",
                                  field=self._fields[fname]._description_string(self.env),
                                  product=line.product_id.display_name or line.name)
                        changes[line.order_id].append(label)
            if changes:
                self.order_id._approval_reset(changes)
        return res

    def unlink(self):
        orders = self.filtered(lambda line: not line.display_type).order_id
        orders = orders._approval_under_review()
        res = super().unlink()
        if orders:
            orders._approval_reset({order: [_("a removed order line")] for order in orders})
        return res
