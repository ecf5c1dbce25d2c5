from contextlib import contextmanager

from odoo import fields
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

# The context keys a caller of the external API may send, hoping one relaxes a rule:
# the addon's internal markers (real and former ones), core's switches that skip a
# step or widen a search, and install-time flags. Each value is the one that would
# relax a rule if it were honoured. A test that sends one key on purpose sends that
# key alone.
ATTACK_CONTEXT = {
    "sale_governance_internal_write": True,
    "sale_governance_ka_write": True,
    "sale_governance_skip_approval": True,
    "sg_internal": True,
    "sg_inspection_internal": True,
    "sg_ticket_action": True,
    "sg_return_from_location": 0,
    "credit_gate_bypass": True,
    "credit_application_action": True,
    "credit_payment_mode_bypass": True,
    "force_governed": False,
    "skip_backorder": True,
    "tracking_disable": True,
    "active_test": False,
    "install_mode": True,
    "module": "sale_governance",
}


class QueryCounter:
    """Counts the SQL queries of a block, after flushing what came before
    (``with count() as c``)."""

    def __init__(self, env):
        self.env = env
        self.count = 0

    def __enter__(self):
        self.env.flush_all()
        self.env.invalidate_all()
        self._before = self.env.cr.sql_log_count
        return self

    def __exit__(self, *exc):
        self.env.flush_all()
        self.count = self.env.cr.sql_log_count - self._before
        return False


class GovernanceAssertions:
    """Assertions shared by every feature's tests."""

    def _sg_run_tour(self, url, tour, login):
        """Run the browser tour ``tour`` from ``url`` as the user ``login`` (HttpCase
        tests), with room for a loaded machine, then drop the cache to read what the
        tour did."""
        self.start_tour(url, tour, login=login, timeout=180)
        self.env.invalidate_all()

    @contextmanager
    def assertRefused(self, exception, regex=None):
        """The block is refused with ``exception`` (message matching ``regex``), inside
        a savepoint."""
        with self.assertRaises(exception) as cm:
            yield cm
        if regex:
            self.assertRegex(str(cm.exception), regex)

    def count_queries(self):
        return QueryCounter(self.env)

    def snapshot(self, records, field_names):
        """Values of ``field_names`` on ``records`` read as superuser from the
        database."""
        records = records.sudo()
        records.invalidate_recordset()
        return records.read(field_names)

    @contextmanager
    def assertUnchanged(self, records, field_names):
        """Nothing of ``field_names`` on ``records`` changed after the block (even if it
        raised)."""
        before = self.snapshot(records, field_names)
        try:
            yield
        finally:
            self.assertEqual(self.snapshot(records, field_names), before)


class SaleGovernanceCase(GovernanceAssertions, TransactionCase):
    """Own users for every role, a governed and an ungoverned sales team, a customer,
    products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        user = lambda login, groups, **kw: new_test_user(  # noqa: E731
            cls.env, login=login, groups=groups, company_id=cls.company.id, **kw
        )
        cls.salesman = user(
            "t_sales_rep", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.salesman2 = user(
            "t_sales_rep2", "base.group_user,sales_team.group_sale_salesman"
        )
        cls.sales_manager = user(
            "t_sales_manager", "sale_governance.group_sales_manager"
        )
        cls.biz_reviewer = user(
            "t_biz_reviewer", "sale_governance.group_business_reviewer"
        )
        cls.executive = user("t_executive", "sale_governance.group_executive")
        cls.credit_ctrl = user(
            "t_credit_ctrl", "sale_governance.group_credit_controller"
        )
        cls.qc_inspector = user(
            "t_qc_inspector", "sale_governance.group_quality_inspector"
        )
        cls.tech_support = user(
            "t_tech_support", "sale_governance.group_technical_support"
        )
        cls.warehouse_user = user(
            "t_warehouse", "base.group_user,stock.group_stock_user"
        )
        cls.gov_admin = user("t_gov_admin", "sale_governance.group_governance_admin")

        cls.team = cls.env["crm.team"].create(
            {"name": "Governed Team", "governed": True, "company_id": cls.company.id}
        )
        cls.team_free = cls.env["crm.team"].create(
            {"name": "Ungoverned Team", "governed": False, "company_id": cls.company.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Test Customer Ltd",
                "is_company": True,
                "user_id": cls.salesman.id,
                "street": "1 Test Street",
                "city": "Test City",
                "phone": "+1 555 0100",
                "vat": "TEST-0001",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Governed Product",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "standard_price": 60.0,
            }
        )

        # Contract approval has its own tests (ApprovalCase turns the thresholds off
        # again); elsewhere quotations stay below every approval threshold, so they
        # confirm as before.
        cls.company.approval_use_thresholds = True
        cls.company._sg_approval_levels().write({"amount_threshold": 1e9})
        # Dispatch has its own tests (DispatchCase turns it on again); elsewhere
        # governed deliveries validate without the delivery notice chain, as before.
        cls.company.sg_delivery_notice_required = False
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )

    def _customer_payment(self, amount, partner=None):
        """A posted customer payment: the prepaid balance governed prepayment orders
        ship against."""
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": (partner or self.customer).id,
                "amount": amount,
                "journal_id": self.bank_journal.id,
                "date": fields.Date.today(),
            }
        )
        payment.action_post()
        return payment

    @classmethod
    def _create_order(cls, user=None, team=None, lines=None, partner=None):
        """A quotation of ``user`` (default: the salesman) in ``team`` (default:
        governed)."""
        user = user or cls.salesman
        lines = lines or [(cls.product, 2.0, 100.0)]
        return (
            cls.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": (partner or cls.customer).id,
                    "user_id": user.id,
                    "team_id": (team or cls.team).id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": p.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                            },
                        )
                        for p, qty, price in lines
                    ],
                }
            )
            .with_user(cls.env.user)
        )
