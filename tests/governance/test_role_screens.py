"""Every role opens the standard forms it can reach: the addon's fields never raise an
AccessError for a user outside the sales team (finance, warehouse, quality, gate)."""

from lxml import etree

from odoo.tests import new_test_user, tagged

from ..common import SaleGovernanceCase


@tagged("post_install", "-at_install")
class TestRoleScreens(SaleGovernanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups):
            return new_test_user(
                cls.env, login=login, groups=groups, company_id=cls.company.id
            )

        cls.roles = {
            "warehouse": cls.warehouse_user,
            "quality inspector": cls.qc_inspector,
            "technical support": cls.tech_support,
            "credit controller": cls.credit_ctrl,
            "sales accountant": user(
                "t_rs_accountant", "sale_governance.group_sales_accountant"
            ),
            "invoicing clerk": user(
                "t_rs_clerk", "sale_governance.group_invoicing_clerk"
            ),
            "dispatcher": user("t_rs_dispatcher", "sale_governance.group_dispatcher"),
            "gate guard": user("t_rs_guard", "sale_governance.group_gate_guard"),
            "billing": user(
                "t_rs_billing", "base.group_user,account.group_account_invoice"
            ),
            "salesperson": cls.salesman,
        }

    def _open(self, record, user):
        """What the web client does to show ``record`` in its form view as ``user``."""
        record = record.with_user(user)
        arch = etree.fromstring(
            record.get_views([(False, "form")])["views"]["form"]["arch"]
        )
        names = {
            node.get("name")
            for node in arch.iter("field")
            if not any(parent.tag == "field" for parent in node.iterancestors())
        }
        self.assertIn("name", names)
        return record.read(sorted(names))

    def test_customer_form_for_every_role(self):
        for role, user in self.roles.items():
            with self.subTest(role=role):
                values = self._open(self.customer, user)
                self.assertEqual(values[0]["id"], self.customer.id)

    def test_product_form_for_every_role(self):
        for role, user in self.roles.items():
            with self.subTest(role=role):
                values = self._open(self.product.product_tmpl_id, user)
                self.assertEqual(values[0]["id"], self.product.product_tmpl_id.id)

    def test_governed_delivery_form_for_stock_roles(self):
        """The delivery of a governed order (credit gate, dispatch chain and quality
        fields on the picking) opens for every role with Inventory rights, none of whom
        sells."""
        order = self._create_order()
        order.action_confirm()
        picking = order.picking_ids
        self.assertTrue(picking)
        stock_roles = ("warehouse", "sales accountant", "invoicing clerk", "dispatcher")
        for role in stock_roles:
            with self.subTest(role=role):
                values = self._open(picking, self.roles[role])
                self.assertEqual(values[0]["id"], picking.id)
