from contextlib import closing

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestApprovalConcurrency(TransactionCase):
    """Two approvers deciding the same step at the same moment: the second one is
    refused.

    Real transactions are needed, so the scenario is committed by a cursor of its own
    (the test's transaction holds nothing) and removed at the end.
    """

    def _cursor(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def _setup_scenario(self):
        """A governed quotation waiting for a step that the administrator may decide."""
        with closing(self._cursor()) as cr:
            env = api.Environment(
                cr,
                SUPERUSER_ID,
                {
                    "tracking_disable": True,
                    "mail_create_nolog": True,
                    "mail_notrack": True,
                },
            )
            company = env.ref("base.main_company")
            order = env["sale.order"].create(
                {
                    "partner_id": env.ref("base.partner_admin").id,
                    "company_id": company.id,
                    "user_id": False,
                }
            )
            cr.execute(
                "UPDATE sale_order SET governed = TRUE, user_id = NULL WHERE id = %s",
                [order.id],
            )
            order.invalidate_recordset()
            order._sg_protected_write(
                {
                    "approval_state": "waiting",
                    "approval_round": 1,
                    "approval_snapshot": order._sg_approval_fingerprint(),
                }
            )
            level = company._sg_approval_levels()[:1]
            step = env["sale.governance.approval"]._sg_protected_create(
                [
                    {
                        "order_id": order.id,
                        "round": 1,
                        "level_id": level.id,
                        "sequence": level.sequence,
                        "level_name": level.name,
                        "group_id": env.ref("base.group_user").id,
                        "state": "pending",
                    }
                ]
            )
            # A real second transaction: committing is the point of this test.
            cr.commit()  # pylint: disable=invalid-commit
            return order.id, step.id

    def _cleanup(self, order_id):
        with closing(self._cursor()) as cr:
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'sale.order' AND res_id "
                "= %s",
                [order_id],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'sale.order' AND res_id = %s",
                [order_id],
            )
            cr.execute("DELETE FROM sale_order WHERE id = %s", [order_id])
            # A real second transaction: committing is the point of this test.
            cr.commit()  # pylint: disable=invalid-commit

    def test_two_approvers_same_step(self):
        order_id, step_id = self._setup_scenario()
        admin_id = self.env.ref("base.user_admin").id
        try:
            with closing(self._cursor()) as cr_a, closing(self._cursor()) as cr_b:
                # Approver A is deciding: the step is locked by their transaction.
                env_a = api.Environment(cr_a, admin_id, {})
                env_a["sale.order"].browse(order_id)._sg_approval_lock(
                    env_a["sale.governance.approval"].browse(step_id)
                )
                # Approver B at the same moment: refused, nothing written.
                env_b = api.Environment(cr_b, admin_id, {})
                with self.assertRaisesRegex(UserError, "Another approver is deciding"):
                    env_b["sale.order"].browse(order_id)._sg_approval_approve("B")
                cr_b.rollback()
                # A decides and commits nothing here; once A is gone, B may decide.
                cr_a.rollback()
                env_b = api.Environment(cr_b, admin_id, {})
                env_b["sale.order"].browse(order_id)._sg_approval_approve("B")
                step = env_b["sale.governance.approval"].browse(step_id)
                self.assertEqual((step.state, step.comment), ("approved", "B"))
                cr_b.rollback()
        finally:
            self._cleanup(order_id)
