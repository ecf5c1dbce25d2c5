from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, format_amount

# Fields only the application's own action methods write
# (``sale.governance.protected.mixin``).
PROTECTED_FIELDS = {
    "state",
    "submitted_by_id",
    "submitted_date",
    "decided_by_id",
    "decided_date",
    "settled_date",
    "is_overdue",
    "overdue_escalated",
}
# Fields the credit controller fills while deciding a submitted application.
DECISION_FIELDS = {"rejection_reason", "override_justification"}
# Fields that may change at any time (documents, follow-up notes).
FREE_FIELDS = {"attachment_ids", "activity_ids", "message_follower_ids", "message_ids"}
OPEN_STATES = ("draft", "submitted", "approved")
INVOICE_PAID_STATES = ("paid", "in_payment", "reversed")


class SaleGovernanceCreditApplication(models.Model):
    _name = "sale.governance.credit.application"
    _description = "Credit-Sale Application"
    _inherit = [
        "sale.governance.protected.mixin",
        "sale.governance.activity.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="order_id.currency_id", store=True)
    order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        domain="[('payment_mode', '=', 'credit'), ('governed', '=', True), ('state', "
        "'in', ('draft', 'sent'))]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(
        related="order_id.user_id", string="Salesperson", store=True
    )
    team_id = fields.Many2one(related="order_id.team_id", store=True)
    line_ids = fields.One2many(
        "sale.governance.credit.application.line",
        "application_id",
        string="Lines",
        copy=False,
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amount_total", store=True, tracking=True
    )
    amount_invoiced = fields.Monetary(compute="_compute_amount_paid", store=True)
    amount_paid = fields.Monetary(compute="_compute_amount_paid", store=True)
    amount_unpaid = fields.Monetary(compute="_compute_amount_paid", store=True)
    due_date = fields.Date(
        string="Payment Due Date",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=30),
    )
    responsible_id = fields.Many2one(
        "res.users",
        string="Responsible Person",
        tracking=True,
        index=True,
        help="The person answerable for collecting the payment by the due date "
        "(required).",
    )
    reason = fields.Text(help="Why the customer should be sold on credit.")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "sale_governance_credit_application_attachment_rel",
        "application_id",
        "attachment_id",
        string="Attachments",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("settled", "Settled"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    submitted_by_id = fields.Many2one(
        "res.users", readonly=True, copy=False, tracking=True
    )
    submitted_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    decided_by_id = fields.Many2one(
        "res.users", string="Decided by", readonly=True, copy=False, tracking=True
    )
    decided_date = fields.Datetime(
        string="Decided on", readonly=True, copy=False, tracking=True
    )
    settled_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    rejection_reason = fields.Text(copy=False, tracking=True)
    override_justification = fields.Text(
        string="Over-limit Justification",
        copy=False,
        tracking=True,
        help="Required to approve over the credit limit or despite overdue "
        "applications, when the settings allow it.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", readonly=True, copy=False, index=True, tracking=True
    )
    overdue_escalated = fields.Boolean(readonly=True, copy=False)
    days_overdue = fields.Integer(compute="_compute_days_overdue")

    # Exposure of the customer, shown to the credit controller when deciding.
    exposure_receivable = fields.Monetary(
        string="Outstanding Receivables", compute="_compute_exposure"
    )
    exposure_other_applications = fields.Monetary(
        string="Other Approved Applications (not invoiced)", compute="_compute_exposure"
    )
    exposure_overdue = fields.Monetary(
        string="Overdue Receivables", compute="_compute_exposure"
    )
    exposure_overdue_count = fields.Integer(
        string="Overdue Applications", compute="_compute_exposure"
    )
    exposure_credit_limit = fields.Monetary(
        string="Credit Limit", compute="_compute_exposure"
    )
    exposure_credit_limit_set = fields.Boolean(
        string="Credit Limit Set",
        compute="_compute_exposure",
        help="Whether the company uses Odoo's credit limits (Accounting settings) and "
        "the customer has one; otherwise there is no credit limit to compare with.",
    )
    exposure_projected = fields.Monetary(
        string="Exposure after Approval", compute="_compute_exposure"
    )
    exposure_blocked = fields.Boolean(compute="_compute_exposure")

    @api.depends("order_id.partner_id")
    def _compute_partner_id(self):
        # The customer follows the quotation while the application is a draft, then
        # stays the one the controller decided on (the order's confirmation requires the
        # same customer).
        for application in self:
            if application.state in (False, "draft") or not application.partner_id:
                application.partner_id = (
                    application.order_id.partner_id.commercial_partner_id
                )
            else:
                application.partner_id = application.partner_id

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_total(self):
        for application in self:
            application.amount_total = sum(
                application.line_ids.mapped("price_subtotal")
            )

    @api.depends(
        "amount_total",
        "order_id.order_line.invoice_lines.move_id.state",
        "order_id.order_line.invoice_lines.move_id.amount_residual",
    )
    def _compute_amount_paid(self):
        for application in self:
            invoiced = paid = 0.0
            for move in application.order_id.order_line.invoice_lines.move_id:
                if move.state != "posted" or move.move_type not in (
                    "out_invoice",
                    "out_refund",
                ):
                    continue
                sign = -1 if move.move_type == "out_refund" else 1
                invoiced += sign * move.amount_total
                paid += sign * (move.amount_total - move.amount_residual)
            total = application.amount_total
            application.amount_invoiced = max(0.0, min(invoiced, total))
            application.amount_paid = max(0.0, min(paid, total))
            application.amount_unpaid = total - application.amount_paid

    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for application in self:
            open_ = application.state == "approved" and application.due_date
            application.days_overdue = (
                max(0, (today - application.due_date).days) if open_ else 0
            )

    @api.depends("partner_id", "amount_total", "company_id")
    def _compute_exposure(self):
        figures = self._credit_exposure()
        for application in self:
            values = figures.get(application.id, {})
            application.exposure_receivable = values.get("receivable", 0.0)
            application.exposure_other_applications = values.get(
                "other_applications", 0.0
            )
            application.exposure_overdue = values.get("overdue", 0.0)
            application.exposure_overdue_count = values.get("overdue_count", 0)
            application.exposure_credit_limit = values.get("credit_limit", 0.0)
            application.exposure_credit_limit_set = bool(values.get("credit_limit_set"))
            application.exposure_projected = values.get("projected", 0.0)
            application.exposure_blocked = bool(values.get("blocked"))

    @api.constrains("order_id")
    def _check_order(self):
        for application in self:
            order = application.order_id
            if order.payment_mode != "credit":
                raise ValidationError(
                    _(
                        "Order %(order)s is a prepayment order: a credit-sale "
                        "application is only for orders whose payment mode is Credit "
                        "Sale. Change the order's payment mode first.",
                        order=order.name,
                    )
                )
            if not order.governed:
                raise ValidationError(
                    _(
                        "Order %(order)s is not under the sales policy: it needs no "
                        "credit-sale application.",
                        order=order.name,
                    )
                )
        open_apps = self.filtered(lambda a: a.state in OPEN_STATES)
        if open_apps:
            counts = dict(
                self._read_group(
                    [
                        ("order_id", "in", open_apps.order_id.ids),
                        ("state", "in", OPEN_STATES),
                    ],
                    ["order_id"],
                    ["__count"],
                )
            )
            for application in open_apps:
                if counts.get(application.order_id, 0) > 1:
                    raise ValidationError(
                        _(
                            "Order %(order)s already has an open credit-sale "
                            "application. Cancel it before filing a new one.",
                            order=application.order_id.name,
                        )
                    )

    @api.constrains("due_date", "order_id")
    def _check_due_date(self):
        for application in self:
            order_date = application.order_id.date_order
            if (
                application.due_date
                and order_date
                and application.due_date < order_date.date()
            ):
                raise ValidationError(
                    _(
                        "The payment due date %(due)s is before the order date "
                        "%(date)s of %(order)s. Choose a due date on or after the "
                        "order date.",
                        due=application.due_date,
                        date=order_date.date(),
                        order=application.order_id.name,
                    )
                )

    @api.constrains("responsible_id")
    def _check_responsible(self):
        for application in self:
            if not application.responsible_id:
                raise ValidationError(
                    _(
                        "A credit-sale application needs a responsible person: choose "
                        "the user answerable for collecting the payment."
                    )
                )

    @api.constrains("line_ids", "amount_total")
    def _check_amount(self):
        for application in self:
            if float_compare(application.amount_total, 0.0, precision_digits=2) <= 0:
                raise ValidationError(
                    _(
                        "Credit-sale application %(name)s has a total of %(amount)s: "
                        "the amount applied for must be positive. Add the order lines "
                        "with their quantities.",
                        name=application.name,
                        amount=application.amount_total,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("responsible_id"):
                raise ValidationError(
                    _(
                        "A credit-sale application needs a responsible person: choose "
                        "the user answerable for collecting the payment."
                    )
                )
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code(
                        "sale.governance.credit.application"
                    )
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        # Access rights and rules first, so that a user without them gets an
        # AccessError.
        self.check_access("write")
        self._check_write_allowed(set(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        if any(application.state != "draft" for application in self):
            raise UserError(
                _(
                    "Only draft credit-sale applications can be deleted; cancel the "
                    "others."
                )
            )

    def _sg_protected_fields(self):
        return super()._sg_protected_fields() | PROTECTED_FIELDS

    def _check_write_allowed(self, fnames):
        """Content only in draft, the decision only by a credit controller.

        The workflow fields (state and trail) are the protected-workflow mixin's: they
        change only through the action methods (Submit, Approve, Reject, Cancel, Reset
        to Draft).
        """
        if self._sg_is_internal_write():
            return
        fnames = {
            fname
            for fname in fnames
            if fname not in FREE_FIELDS
            and not fname.startswith(("message_", "activity_"))
        }
        fnames -= PROTECTED_FIELDS
        if not fnames:
            return
        decision = fnames & DECISION_FIELDS
        if decision:
            if not self.env.user.has_group("sale_governance.group_credit_controller"):
                raise AccessError(
                    _(
                        "Only credit controllers fill in the decision on a "
                        "credit-sale application."
                    )
                )
            if any(
                application.state not in ("draft", "submitted") for application in self
            ):
                raise UserError(
                    _(
                        "The decision of a credit-sale application can no longer be "
                        "changed."
                    )
                )
        content = fnames - DECISION_FIELDS
        if content and any(application.state != "draft" for application in self):
            raise UserError(
                _(
                    "Credit-sale application %(name)s is no longer a draft: its "
                    "order, lines, due date and responsible person can no longer be "
                    "changed. Reset it to draft (after a rejection) or cancel it and "
                    "file a new one.",
                    name=", ".join(
                        self.filtered(lambda a: a.state != "draft").mapped("name")
                    ),
                )
            )

    # ------------------------------------------------------------------ actions

    def _set_state(self, vals):
        """Workflow write after the action method checked the user's right to do it."""
        return self._sg_protected_write(vals)

    def action_submit(self):
        if not self.env.user.has_group("sale_governance.group_sales_manager"):
            raise AccessError(
                _("Only sales managers submit credit-sale applications for approval.")
            )
        for application in self:
            if application.state != "draft":
                raise UserError(
                    _(
                        "Only draft applications can be submitted (%(name)s is not).",
                        name=application.name,
                    )
                )
            if not application.line_ids:
                raise UserError(
                    _(
                        "Credit-sale application %(name)s has no lines.",
                        name=application.name,
                    )
                )
        self._set_state(
            {
                "state": "submitted",
                "submitted_by_id": self.env.uid,
                "submitted_date": fields.Datetime.now(),
            }
        )
        # Every credit controller who may decide it (not its author, submitter or
        # responsible).
        self._sg_schedule_group_activity(
            self,
            self.env.ref("sale_governance.group_credit_controller"),
            "mail.mail_activity_data_todo",
            _("Decide the credit-sale application"),
            exclude=lambda a: a.create_uid | a.submitted_by_id | a.responsible_id,
        )
        return True

    def action_approve(self):
        self._check_decider()
        figures = self._credit_exposure()
        for application in self:
            blocked = figures[application.id]["blocked"]
            if not blocked:
                continue
            allowed = application.company_id.credit_sale_allow_over_limit
            if allowed and (application.override_justification or "").strip():
                application.message_post(
                    body=_(
                        "Approved despite the credit policy (%(why)s). Justification: "
                        "%(text)s",
                        why=blocked,
                        text=application.override_justification,
                    )
                )
                continue
            message = _(
                "Credit-sale application %(name)s cannot be approved: "
                "%(why)s.\nOutstanding receivables: %(receivable)s; other approved "
                "applications not yet invoiced: %(others)s; this application: "
                "%(amount)s; exposure after approval: %(projected)s; credit limit: "
                "%(limit)s; overdue receivables: %(overdue)s; overdue applications: "
                "%(overdue_count)s.",
                name=application.name,
                why=blocked,
                receivable=self._fmt(
                    application, figures[application.id]["receivable"]
                ),
                others=self._fmt(
                    application, figures[application.id]["other_applications"]
                ),
                amount=self._fmt(application, application.amount_total),
                projected=self._fmt(application, figures[application.id]["projected"]),
                limit=self._fmt(application, figures[application.id]["credit_limit"])
                if figures[application.id]["credit_limit_set"]
                else _("no credit limit set"),
                overdue=self._fmt(application, figures[application.id]["overdue"]),
                overdue_count=figures[application.id]["overdue_count"],
            )
            if allowed:
                message += "\n" + _(
                    "Write an over-limit justification to approve anyway."
                )
            else:
                message += "\n" + _(
                    "Collect the overdue payments or ask the customer to pay in "
                    "advance."
                )
            raise UserError(message)
        self._set_state(
            {
                "state": "approved",
                "decided_by_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self._notify_finance()
        return True

    def action_reject(self):
        self._check_decider()
        for application in self:
            if not (application.rejection_reason or "").strip():
                raise UserError(
                    _(
                        "Write the reason of the rejection of %(name)s in 'Rejection "
                        "Reason' before rejecting it.",
                        name=application.name,
                    )
                )
        self._set_state(
            {
                "state": "rejected",
                "decided_by_id": self.env.uid,
                "decided_date": fields.Datetime.now(),
            }
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for application in self:
            application.message_post(
                body=_("Rejected: %(reason)s", reason=application.rejection_reason),
                partner_ids=(
                    application.create_uid | application.responsible_id
                ).partner_id.ids,
            )
        return True

    def action_cancel(self):
        for application in self:
            if application.state in ("settled", "cancel"):
                raise UserError(
                    _("Application %(name)s is already closed.", name=application.name)
                )
            if application.state == "approved":
                if not self.env.user.has_group(
                    "sale_governance.group_credit_controller"
                ):
                    raise AccessError(
                        _(
                            "Only a credit controller can cancel an approved "
                            "credit-sale application."
                        )
                    )
                if application.order_id.state == "sale":
                    raise UserError(
                        _(
                            "Order %(order)s is confirmed on the strength of "
                            "application %(name)s; cancel the order first.",
                            order=application.order_id.name,
                            name=application.name,
                        )
                    )
        self._set_state({"state": "cancel"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_draft(self):
        for application in self:
            if application.state not in ("rejected", "cancel"):
                raise UserError(
                    _("Only rejected or cancelled applications go back to draft.")
                )
        self._set_state(
            {
                "state": "draft",
                "submitted_by_id": False,
                "submitted_date": False,
                "decided_by_id": False,
                "decided_date": False,
                "is_overdue": False,
                "overdue_escalated": False,
                "rejection_reason": False,
                "override_justification": False,
            }
        )
        return True

    def action_print(self):
        return self.env.ref(
            "sale_governance.action_report_credit_application"
        ).report_action(self)

    # ------------------------------------------------------------------ business
    # methods

    def _check_decider(self):
        if not self.env.user.has_group("sale_governance.group_credit_controller"):
            raise AccessError(
                _("Only credit controllers approve or reject credit-sale applications.")
            )
        for application in self:
            if application.state != "submitted":
                raise UserError(
                    _(
                        "Only submitted applications can be approved or rejected "
                        "(%(name)s is %(state)s).",
                        name=application.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        ).get(application.state),
                    )
                )
            if self.env.user in (
                application.create_uid
                | application.submitted_by_id
                | application.responsible_id
            ):
                raise AccessError(
                    _(
                        "You drafted, submitted or answer for application %(name)s: "
                        "another credit controller must decide it.",
                        name=application.name,
                    )
                )

    @api.model
    def _fmt(self, application, amount):
        return format_amount(
            self.env,
            amount,
            application.currency_id or application.company_id.currency_id,
        )

    def _credit_exposure(self):
        """Exposure figures of each application's customer, in batch.

        ``receivable``: the customer's open receivables (Odoo's ``res.partner.credit``);
        ``other_applications``: other approved, unsettled applications, not yet
        invoiced; ``overdue``: posted receivables past their due date;
        ``overdue_count``: the customer's overdue applications; ``credit_limit``: Odoo's
        partner credit limit when the company uses credit limits (0 = none);
        ``projected``: receivable + other applications + this one; ``blocked``: why
        approval is refused, or False.
        """
        result = {}
        apps = self.filtered("id")
        if not apps:
            return result
        partners = apps.partner_id
        companies = apps.company_id
        receivables = partners._sg_receivable_figures(companies)
        others = self.sudo().search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "in", companies.ids),
                ("state", "=", "approved"),
            ]
        )
        for application in apps:
            key = (application.partner_id, application.company_id)
            other_apps = others.filtered(
                lambda a, app=application: a.partner_id == app.partner_id
                and a.company_id == app.company_id
                and a.id != app.id
            )
            other_open = sum(
                max(0.0, a.amount_total - a.amount_invoiced) for a in other_apps
            )
            overdue_count = len(other_apps.filtered("is_overdue"))
            company = application.company_id
            limit = 0.0
            if company.account_use_credit_limit:
                limit = application.partner_id.sudo().with_company(company).credit_limit
            projected = (
                receivables[key]["balance"] + other_open + application.amount_total
            )
            blocked = False
            if overdue_count:
                blocked = _(
                    "the customer has %(count)s overdue credit-sale application(s)",
                    count=overdue_count,
                )
            elif limit > 0 and float_compare(projected, limit, precision_digits=2) > 0:
                blocked = _(
                    "the exposure after approval (%(projected)s) would exceed the "
                    "credit limit (%(limit)s) by %(excess)s",
                    projected=self._fmt(application, projected),
                    limit=self._fmt(application, limit),
                    excess=self._fmt(application, projected - limit),
                )
            result[application.id] = {
                "receivable": receivables[key]["balance"],
                "other_applications": other_open,
                "overdue": receivables[key]["overdue"],
                "overdue_count": overdue_count,
                "credit_limit": limit,
                "credit_limit_set": limit > 0,
                "projected": projected,
                "blocked": blocked,
            }
        return result

    def _notify_finance(self):
        """To-dos for the members of the Invoicing Clerk and Sales Accountant groups of
        the application's company (004 第十二条): invoice the credit sale, follow the
        payment due."""
        groups = self.env.ref("sale_governance.group_invoicing_clerk") | self.env.ref(
            "sale_governance.group_sales_accountant"
        )
        self._sg_schedule_group_activity(
            self,
            groups,
            "mail.mail_activity_data_todo",
            lambda application: _(
                "Credit sale approved: invoice %(order)s and follow the payment due "
                "%(due)s",
                order=application.order_id.name,
                due=application.due_date,
            ),
        )

    def _covers_order(self, order):
        """Whether these approved applications cover every product line of ``order``.

        Same customer, same product, at least the ordered quantity in the product's base
        unit and the same price per base unit.
        """
        apps = self.filtered(lambda a: a.state == "approved" and a.order_id == order)
        if any(a.partner_id != order.partner_id.commercial_partner_id for a in apps):
            return False
        lines = apps.line_ids
        for sale_line in order.order_line.filtered(
            lambda line: line.product_id and not line.display_type
        ):
            if float_is_zero(
                sale_line.product_uom_qty,
                precision_rounding=sale_line.product_uom.rounding,
            ):
                continue
            base_uom = sale_line.product_id.uom_id
            app_lines = lines.filtered(lambda line, s=sale_line: line.sale_line_id == s)
            if any(line.product_id != sale_line.product_id for line in app_lines):
                return False
            qty = sum(app_lines.mapped("quantity_base"))
            ordered = sale_line.product_uom._compute_quantity(
                sale_line.product_uom_qty, base_uom
            )
            if float_compare(qty, ordered, precision_rounding=base_uom.rounding) < 0:
                return False
            price = sale_line.product_uom._compute_price(sale_line.price_unit, base_uom)
            if any(
                float_compare(line._price_base(), price, precision_digits=6)
                for line in app_lines
            ):
                return False
        return True

    def _try_settle(self):
        """Settle approved applications whose order's invoices are all paid."""
        settled = self.browse()
        for application in self.filtered(lambda a: a.state == "approved"):
            invoices = application.order_id.invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            )
            if not invoices or any(
                m.payment_state not in INVOICE_PAID_STATES for m in invoices
            ):
                continue
            if not application.currency_id.is_zero(application.amount_unpaid):
                continue
            settled |= application
        if settled:
            settled.sudo()._set_state(
                {
                    "state": "settled",
                    "settled_date": fields.Datetime.now(),
                    "is_overdue": False,
                }
            )
            settled.sudo().activity_unlink(["mail.mail_activity_data_todo"])
        return settled

    @api.model
    def _cron_credit_follow_up(self):
        """Daily: mark overdue applications, give activities, escalate, settle paid
        ones."""
        today = fields.Date.context_today(self)
        apps = self.sudo()
        apps.search(
            [("state", "=", "approved"), ("amount_unpaid", "<=", 0)]
        )._try_settle()
        newly_overdue = apps.search(
            [
                ("state", "=", "approved"),
                ("is_overdue", "=", False),
                ("due_date", "<", today),
                ("amount_unpaid", ">", 0),
            ]
        )
        # The flags are set in batch without a tracking message per record (the
        # activities tell).
        newly_overdue.with_context(tracking_disable=True)._set_state(
            {"is_overdue": True}
        )
        to_escalate = apps.browse()
        for company in self.env["res.company"].sudo().search([]):
            limit = today - timedelta(days=company.credit_sale_escalation_days)
            to_escalate |= apps.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "approved"),
                    ("is_overdue", "=", True),
                    ("overdue_escalated", "=", False),
                    ("due_date", "<", limit),
                ]
            )
        to_escalate.with_context(tracking_disable=True)._set_state(
            {"overdue_escalated": True}
        )
        # The to-dos: one INSERT per kind whatever the number of applications (an ORM
        # create of tens of thousands of activities takes seconds).
        todo = "mail.mail_activity_data_todo"
        # every application has a responsible person (_check_responsible)
        newly_overdue._sg_schedule_activities_to(
            todo,
            lambda application: application.responsible_id,
            today,
            summary=_("Overdue credit sale: collect the payment"),
        )
        to_escalate._sg_schedule_activities_to(
            todo,
            lambda application: application.team_id.user_id
            or application.submitted_by_id,
            today,
            summary=_("Overdue credit sale escalated: payment still not collected"),
        )
        return newly_overdue, to_escalate


class SaleGovernanceCreditApplicationLine(models.Model):
    _name = "sale.governance.credit.application.line"
    _description = "Credit-Sale Application Line"
    _order = "application_id, sequence, id"
    _check_company_auto = True

    application_id = fields.Many2one(
        "sale.governance.credit.application",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="application_id.company_id", store=True)
    currency_id = fields.Many2one(related="application_id.currency_id")
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        required=True,
        ondelete="cascade",
        index=True,
    )
    # Product and unit are those of the order line when the line is applied for, then
    # stay: the approval covers this product in this unit, whatever the order line
    # becomes later.
    product_id = fields.Many2one(
        "product.product",
        compute="_compute_from_sale_line",
        store=True,
        readonly=True,
        index=True,
    )
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_from_sale_line",
        store=True,
        readonly=True,
    )
    quantity = fields.Float(digits="Product Unit of Measure", required=True)
    quantity_base = fields.Float(
        string="Quantity (Base Unit)",
        compute="_compute_quantity_base",
        store=True,
        digits="Product Unit of Measure",
        help="The quantity in the product's base unit of measure: what the delivery "
        "gate counts.",
    )
    price_unit = fields.Float(
        string="Unit Price", digits="Product Price", required=True
    )
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_price_subtotal", store=True
    )

    @api.depends("sale_line_id")
    def _compute_from_sale_line(self):
        for line in self:
            line.product_id = line.sale_line_id.product_id
            line.product_uom_id = line.sale_line_id.product_uom

    @api.depends("quantity", "product_uom_id", "product_id")
    def _compute_quantity_base(self):
        for line in self:
            uom, base = line.product_uom_id, line.product_id.uom_id
            line.quantity_base = (
                uom._compute_quantity(line.quantity, base)
                if uom and base
                else line.quantity
            )

    def _price_base(self):
        """The unit price per base unit of the product."""
        self.ensure_one()
        if not self.product_uom_id or not self.product_id:
            return self.price_unit
        return self.product_uom_id._compute_price(
            self.price_unit, self.product_id.uom_id
        )

    @api.depends("quantity", "price_unit", "sale_line_id.discount")
    def _compute_price_subtotal(self):
        for line in self:
            discount = line.sale_line_id.discount or 0.0
            line.price_subtotal = (
                line.quantity * line.price_unit * (1 - discount / 100.0)
            )

    @api.constrains(
        "quantity", "price_unit", "sale_line_id", "application_id", "product_uom_id"
    )
    def _check_line(self):
        for line in self:
            sale_line = line.sale_line_id
            if sale_line.order_id != line.application_id.order_id:
                raise ValidationError(
                    _(
                        "Line %(product)s does not belong to order %(order)s of the "
                        "application.",
                        product=sale_line.display_name,
                        order=line.application_id.order_id.name,
                    )
                )
            if float_compare(line.quantity, 0.0, precision_digits=6) <= 0:
                raise ValidationError(
                    _(
                        "The quantity of %(product)s must be positive (got %(qty)s).",
                        product=line.product_id.display_name,
                        qty=line.quantity,
                    )
                )
            if float_compare(line.price_unit, 0.0, precision_digits=6) <= 0:
                raise ValidationError(
                    _(
                        "The unit price of %(product)s must be positive (got "
                        "%(price)s).",
                        product=line.product_id.display_name,
                        price=line.price_unit,
                    )
                )
            order_price = sale_line.product_uom._compute_price(
                sale_line.price_unit, sale_line.product_id.uom_id
            )
            if line.product_id != sale_line.product_id or float_compare(
                line._price_base(), order_price, precision_digits=6
            ):
                raise ValidationError(
                    _(
                        "The unit price of %(product)s (%(price)s) differs from the "
                        "order's (%(order_price)s). Use the order's price, or change "
                        "the order first.",
                        product=line.product_id.display_name,
                        price=line.price_unit,
                        order_price=sale_line.price_unit,
                    )
                )
        totals = defaultdict(float)
        for line in self.application_id.line_ids:
            totals[line.application_id, line.sale_line_id] += line.quantity_base
        for (_application, sale_line), total in totals.items():
            base_uom = sale_line.product_id.uom_id
            ordered = sale_line.product_uom._compute_quantity(
                sale_line.product_uom_qty, base_uom
            )
            if float_compare(total, ordered, precision_rounding=base_uom.rounding) > 0:
                raise ValidationError(
                    _(
                        "The quantity of %(product)s (%(qty)s %(uom)s) is above the "
                        "order's (%(order_qty)s %(uom)s). Apply for at most the "
                        "ordered quantity.",
                        product=sale_line.product_id.display_name,
                        qty=total,
                        order_qty=ordered,
                        uom=base_uom.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        applications = self.env["sale.governance.credit.application"].browse(
            {vals.get("application_id") for vals in vals_list}
        )
        applications._check_write_allowed({"line_ids"})
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        self.application_id._check_write_allowed({"line_ids"})
        if "application_id" in vals:
            self.env["sale.governance.credit.application"].browse(
                vals["application_id"]
            )._check_write_allowed({"line_ids"})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked_application(self):
        self.application_id._check_write_allowed({"line_ids"})
