"""The wire path (issue 10): the attacks of the policy-paths tests sent over real
JSON-RPC as the role that would try them, with the internal flags in the context;
refused, nothing changed."""

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from ..common import ATTACK_CONTEXT


@tagged("post_install", "-at_install")
class TestPolicyPathsOverRpc(HttpCase):
    def setUp(self):
        super().setUp()
        tech_group = "sale_governance.group_technical_support"
        self.technician = new_test_user(self.env, login="t_rpc_tech", groups=tech_group)
        self.leader = new_test_user(self.env, login="t_rpc_leader", groups=tech_group)
        self.salesman = new_test_user(
            self.env,
            login="t_rpc_sales",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        team = self.env["sale.governance.technical.team"].create(
            {
                "name": "RPC Team",
                "leader_id": self.leader.id,
                "member_ids": [(6, 0, self.technician.ids)],
            }
        )
        self.customer = self.env["res.partner"].create(
            {"name": "RPC Customer", "is_company": True, "user_id": self.salesman.id}
        )
        self.ticket = self.env["sale.governance.service.ticket"].create(
            {"name": "RPC leak", "partner_id": self.customer.id, "team_id": team.id}
        )

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": dict(kwargs or {}, context=ATTACK_CONTEXT),
            },
        )

    def test_technician_cannot_close_or_move_the_deadline(self):
        self.assertEqual(self.ticket.technician_id, self.technician)
        deadline = self.ticket.deadline
        self.authenticate("t_rpc_tech", "t_rpc_tech")
        for vals, error in (
            ({"stage": "closed"}, "UserError"),
            ({"deadline": "2099-01-01 00:00:00"}, "AccessError"),
            ({"technician_id": self.leader.id}, "AccessError"),
            ({"severity": "catastrophic"}, "ValidationError"),
        ):
            with self.subTest(vals=vals), self.assertRaises(JsonRpcException) as caught:
                self._call(
                    "sale.governance.service.ticket", "write", [self.ticket.ids, vals]
                )
            self.assertIn(error, str(caught.exception))
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.stage, "assigned")
        self.assertEqual(self.ticket.deadline, deadline)
        self.assertEqual(self.ticket.technician_id, self.technician)
        self.assertEqual(self.ticket.severity, "normal")

    def test_salesperson_cannot_forge_a_quadrant(self):
        self.authenticate("t_rpc_sales", "t_rpc_sales")
        for vals, error in (
            ({"ka_quadrant": "star"}, "UserError"),
            (
                {"ka_quadrant_override": "star", "ka_override_reason": "forged"},
                "AccessError",
            ),
        ):
            with self.subTest(vals=vals), self.assertRaises(JsonRpcException) as caught:
                self._call("res.partner", "write", [self.customer.ids, vals])
            self.assertIn(error, str(caught.exception))
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.ka_quadrant_override)
        self.assertNotEqual(self.customer.ka_quadrant, "star")
