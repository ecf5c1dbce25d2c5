from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DispatchCase


@tagged("post_install", "-at_install")
class TestStockGateOrder(DispatchCase):
    """The stock gates run in the documented sequence (governance ``_action_done``)."""

    def test_documented_sequence(self):
        gates = sorted(self.env["stock.picking"]._sg_stock_gates())
        self.assertEqual(
            [(sequence, name) for sequence, name, _before, _after in gates],
            [(10, "dispatch"), (20, "quality"), (30, "credit")],
        )

    def test_first_gate_speaks_when_two_refuse(self):
        # Nothing paid and no delivery notice: the dispatch gate (10) and the credit
        # gate (30) both refuse; the dispatch gate's message is the one shown.
        order, picking = self._prepaid_delivery(qty=2, price=100)
        picking.move_ids.write({"quantity": 2, "picked": True})
        with self.assertRefused(UserError, "has no delivery notice") as cm:
            self._validate(picking)
        self.assertNotRegex(str(cm.exception), "prepaid|paid for")
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking.sg_gate_pass_ids)
        # Without the delivery notice chain, the credit gate refuses the same delivery.
        self.company.sg_delivery_notice_required = False
        with self.assertRefused(UserError, "prepaid balance") as cm:
            self._validate(picking)
        self.assertNotRegex(str(cm.exception), "has no delivery notice")
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(order.order_line.qty_delivered, 0)
