from odoo.tests import new_test_user

from ..common import SaleGovernanceCase


class AftersalesCase(SaleGovernanceCase):
    """Technical teams, routing rules and a second technician for the after-sales
    tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["sale.governance.service.ticket"]
        cls.tech_support2 = new_test_user(
            cls.env,
            login="t_tech_support2",
            groups="sale_governance.group_technical_support",
            company_id=cls.company.id,
        )
        cls.tech_leader = new_test_user(
            cls.env,
            login="t_tech_leader",
            groups="sale_governance.group_technical_support",
            company_id=cls.company.id,
        )
        cls.tech_other = new_test_user(
            cls.env,
            login="t_tech_other",
            groups="sale_governance.group_technical_support",
            company_id=cls.company.id,
        )
        cls.categ_pumps = cls.env["product.category"].create({"name": "Pumps"})
        cls.categ_pumps_big = cls.env["product.category"].create(
            {"name": "Big Pumps", "parent_id": cls.categ_pumps.id}
        )
        cls.product.categ_id = cls.categ_pumps
        cls.product_other = cls.env["product.product"].create(
            {"name": "Other Product", "type": "consu", "is_storable": True}
        )
        Team = cls.env["sale.governance.technical.team"]
        cls.team_pumps = Team.create(
            {
                "name": "Pumps Service",
                "leader_id": cls.tech_leader.id,
                "member_ids": [(6, 0, (cls.tech_support | cls.tech_support2).ids)],
            }
        )
        cls.team_serious = Team.create(
            {
                "name": "Field Experts",
                "leader_id": cls.tech_leader.id,
                "member_ids": [(6, 0, cls.tech_support2.ids)],
            }
        )
        cls.team_default = Team.create(
            {"name": "General Support", "member_ids": [(6, 0, cls.tech_other.ids)]}
        )
        cls.company.aftersales_default_team_id = cls.team_default
        # Only our own executive receives serious cases in the tests.
        cls.exec_group = cls.env["res.groups"].create(
            {"name": "Executive in charge (test)", "users": [(6, 0, cls.executive.ids)]}
        )
        cls.company.aftersales_executive_group_id = cls.exec_group
        Rule = cls.env["sale.governance.routing.rule"]
        Rule.search([]).unlink()
        cls.rule_pumps = Rule.create(
            {"product_category_id": cls.categ_pumps.id, "team_id": cls.team_pumps.id}
        )
        cls.rule_serious = Rule.create(
            {
                "product_category_id": cls.categ_pumps.id,
                "severity": "serious",
                "team_id": cls.team_serious.id,
            }
        )
        # The salesperson's sales team has a manager: the sales manager of the tickets.
        cls.team.user_id = cls.sales_manager
        cls.team.member_ids = [(4, cls.salesman.id)]

    @classmethod
    def _ticket(cls, user=None, **vals):
        values = {
            "name": "Pump leaks",
            "partner_id": cls.customer.id,
            "product_id": cls.product.id,
        }
        values.update(vals)
        return (
            cls.Ticket.with_user(user or cls.salesman)
            .create(values)
            .with_user(cls.env.user)
        )

    def _activities(self, tickets, xmlid, user=None):
        domain = [
            ("res_model", "=", tickets._name),
            ("res_id", "in", tickets.ids),
            ("activity_type_id", "=", self.env.ref(xmlid).id),
        ]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def _delivered_order(self):
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.env.ref("stock.warehouse0").lot_stock_id, 10
        )
        order = self._create_order()
        self._customer_payment(
            order.amount_total
        )  # governed orders ship against prepayment
        order.action_confirm()
        delivery = order.picking_ids
        delivery.move_ids.quantity = 2
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        return order, delivery
