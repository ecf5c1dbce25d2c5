"""The quality rules hold on every path (issue 10) and the policy's finished-goods
inspection by the joint group (issue 17): each refusal as the real role (su=False), with
the context keys an attacker would send, asserting that nothing changed."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..common import ATTACK_CONTEXT
from .common import QualityGateCase


@tagged("post_install", "-at_install")
class TestQualityPolicyPaths(QualityGateCase):
    # ------------------------------------------------------------ protected inspection
    # fields

    def test_inspector_cannot_force_a_result(self):
        picking = self._receipt([(self.qc_product, 40)])
        inspection = picking.sg_inspection_ids
        as_inspector = inspection.with_user(self.qc_inspector).with_context(
            **ATTACK_CONTEXT
        )
        fields_ = [
            "state",
            "result",
            "quantity",
            "qty_accepted",
            "quarantine_move_id",
            "picking_id",
        ]
        with self.assertUnchanged(inspection, fields_):
            for vals in (
                {"state": "done", "result": "pass"},
                {"quantity": 1},
                {"quarantine_move_id": picking.move_ids.id},
            ):
                with self.assertRefused(UserError, "cannot be set directly"):
                    as_inspector.write(vals)
        self.assertFalse(as_inspector.env.su)
        with self.assertRefused(UserError, "Inspected Pump"):
            self._validate(
                picking, user=self.warehouse_user.with_context(**ATTACK_CONTEXT)
            )
        self.assertEqual(picking.state, "assigned")

    def test_inspector_cannot_create_a_done_inspection(self):
        with self.assertRefused(UserError, "cannot be set directly"):
            self.Inspection.with_user(self.qc_inspector).with_context(
                **ATTACK_CONTEXT
            ).create(
                {"product_id": self.qc_product.id, "state": "done", "result": "pass"}
            )
        self.assertFalse(
            self.Inspection.search([("product_id", "=", self.qc_product.id)])
        )

    def test_measured_value_outside_range_fails_whatever_label(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = picking.sg_inspection_ids.with_user(self.qc_inspector)
        measure = inspection.line_ids.filtered(lambda line: line.kind == "measure")
        check = inspection.line_ids - measure
        measure.value_input = "12.5"
        check.result = "pass"
        measure.write({"result": "pass"})
        self.assertEqual(measure.result, "fail")
        with self.assertRefused(UserError, "cannot be redefined"):
            measure.write({"kind": "check", "result": "pass"})
        with self.assertRefused(UserError, "cannot be redefined"):
            measure.write({"max_value": 100})
        # even a forged stored label is re-evaluated by the server when recording
        self.env["sale.governance.inspection.line"].browse(
            measure.id
        )._sg_protected_write({"result": "pass"})
        inspection.write({"qty_accepted": 10, "qty_rejected": 0})
        with self.assertUnchanged(inspection, ["state", "result"]):
            with self.assertRefused(
                UserError, "Pressure failed, yet nothing is rejected"
            ):
                inspection.action_done()
        self.assertEqual(inspection.state, "todo")

    def test_empty_required_measurement_blocks_recording(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = picking.sg_inspection_ids.with_user(self.qc_inspector)
        measure = inspection.line_ids.filtered(lambda line: line.kind == "measure")
        self.assertFalse(measure.value_input, "starts empty, not 0.00")
        self.assertFalse(measure.is_measured)
        (inspection.line_ids - measure).result = "pass"
        measure.with_context(**ATTACK_CONTEXT).write({"is_measured": True})
        self.assertFalse(measure.is_measured, "only entering a value marks it measured")
        inspection.write({"qty_accepted": 10, "qty_rejected": 0})
        with self.assertRefused(UserError, "enter the measured value of Pressure"):
            inspection.action_done()
        with self.assertRefused(UserError, "not a number"):
            measure.value_input = "ten"
        measure.value_input = "0"
        self.assertTrue(measure.is_measured, "0 is a value")
        self.assertEqual(measure.result, "fail")

    def test_template_items_cannot_be_deleted_notes_can_be_added(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = picking.sg_inspection_ids.with_user(self.qc_inspector)
        template_lines = inspection.line_ids
        self.assertTrue(all(template_lines.mapped("from_template")))
        with self.assertUnchanged(inspection, ["line_ids"]):
            with self.assertRefused(UserError, "cannot be deleted"):
                template_lines[:1].unlink()
            with self.assertRefused(UserError, "cannot be deleted"):
                inspection.write({"line_ids": [Command.delete(template_lines[0].id)]})
            with self.assertRefused(UserError, "cannot be set directly"):
                inspection.write(
                    {
                        "line_ids": [
                            Command.create(
                                {
                                    "name": "Forged",
                                    "kind": "check",
                                    "from_template": True,
                                }
                            )
                        ]
                    }
                )
        inspection.write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "name": "Paint scratches",
                            "kind": "check",
                            "note": "two units scratched",
                        }
                    )
                ]
            }
        )
        extra = inspection.line_ids - template_lines
        self.assertFalse(extra.from_template)
        extra.unlink()
        self.assertEqual(inspection.line_ids, template_lines)

    def test_messages_use_unit_and_number_format(self):
        picking = self._receipt([(self.qc_product, 1500)])
        inspection = picking.sg_inspection_ids.with_user(self.qc_inspector)
        with self.assertRefused(
            UserError, r"accepted 0 \+ rejected 0 = 0 Units, but 1,500 Units"
        ):
            self._record(inspection, 0, 0)

    # ------------------------------------------------------------ stock after the gate
    def test_done_receipt_quantity_cannot_be_raised(self):
        picking = self._receipt([(self.qc_product, 10)])
        self._record(picking.sg_inspection_ids, 10, 0)
        self._validate(picking)
        line = picking.move_line_ids
        for user in (self.warehouse_user, self.gov_admin):
            with self.assertUnchanged(line, ["quantity", "location_dest_id"]):
                with self.assertRefused(UserError, "cannot be changed afterwards"):
                    line.with_user(user).with_context(**ATTACK_CONTEXT).write(
                        {"quantity": 500}
                    )
                with self.assertRefused(UserError, "cannot be changed afterwards"):
                    picking.move_ids.with_user(user).write({"quantity": 500})
                with self.assertRefused(UserError, "cannot be changed afterwards"):
                    self.env["stock.move.line"].with_user(user).create(
                        {
                            "move_id": picking.move_ids.id,
                            "picking_id": picking.id,
                            "product_id": self.qc_product.id,
                            "quantity": 490,
                            "location_id": self.supplier_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 10)

    def test_gate_follows_the_goods_whatever_the_operation_type(self):
        picking = (
            self.env["stock.picking"]
            .with_user(self.warehouse_user)
            .create(
                {
                    "picking_type_id": self.warehouse.out_type_id.id,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": self.stock_location.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "x",
                                "product_id": self.qc_product.id,
                                "product_uom_qty": 8,
                                "location_id": self.supplier_location.id,
                                "location_dest_id": self.stock_location.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        self.assertEqual(
            len(picking.sg_inspection_ids), 1, "vendor goods are inspected"
        )
        with self.assertRefused(UserError, "Inspected Pump"):
            self._validate(picking)
        # a move without a transfer cannot bring them into stock either
        move = (
            self.env["stock.move"]
            .with_user(self.warehouse_user)
            .create(
                {
                    "name": "loose",
                    "product_id": self.qc_product.id,
                    "product_uom_qty": 5,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": self.stock_location.id,
                }
            )
        )
        move._action_confirm()
        move.quantity = 5
        move.picked = True
        with self.assertRefused(UserError, "receive them with a transfer"):
            move.with_context(**ATTACK_CONTEXT)._action_done()
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 0)

    def test_retyping_a_waiting_receipt_is_refused(self):
        picking = self._receipt([(self.qc_product, 10)])
        with self.assertUnchanged(picking, ["picking_type_id"]):
            with self.assertRefused(UserError, "wait for their quality inspection"):
                picking.with_user(self.warehouse_user).with_context(
                    **ATTACK_CONTEXT
                ).write({"picking_type_id": self.warehouse.int_type_id.id})

    def test_goods_leave_quarantine_only_by_an_inspection_decision(self):
        picking = self._receipt([(self.qc_product, 10)])
        self._record(picking.sg_inspection_ids, 7, 3, check="fail")
        self._validate(picking)
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 3)
        self._assert_internal_transfer_refused(self.quarantine, 3, "out of quarantine")
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 3)
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 7)
        # nor by rewriting where the done receipt put them
        quarantined = picking.move_line_ids.filtered(
            lambda ml: ml.location_dest_id == self.quarantine
        )
        with self.assertRefused(UserError, "cannot be changed afterwards"):
            quarantined.with_user(self.warehouse_user).write(
                {"location_dest_id": self.stock_location.id}
            )
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 3)

    def test_return_context_cannot_redirect_a_return(self):
        picking = self._receipt([(self.qc_product, 10)])
        self._record(picking.sg_inspection_ids, 10, 0)
        self._validate(picking)
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.warehouse_user)
            .with_context(
                active_id=picking.id,
                active_model="stock.picking",
                sg_return_from_location=self.quarantine.id,
                sale_governance_return_from=self.quarantine.id,
            )
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = 2
        ret = wizard._create_return()
        self.assertEqual(ret.location_id, self.stock_location)

    # ------------------------------------------------------------ multi-company
    def test_shared_product_with_other_company_checklist(self):
        company_b = self.env["res.company"].create({"name": "Quality Co. B"})
        warehouse_b = self.env["stock.warehouse"].search(
            [("company_id", "=", company_b.id)]
        )
        user_b = self.env["res.users"].create(
            {
                "name": "Warehouse B",
                "login": "t_wh_b",
                "company_id": company_b.id,
                "company_ids": [Command.set(company_b.ids)],
                "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
            }
        )
        self.assertEqual(
            self.template.company_id, self.company, "checklist of company A"
        )
        shared = self.env["product.product"].create(
            {
                "name": "Shared Pump",
                "is_storable": True,
                "categ_id": self.categ.id,
                "company_id": False,
            }
        )
        picking = (
            self.env["stock.picking"]
            .with_user(user_b)
            .create(
                {
                    "picking_type_id": warehouse_b.in_type_id.id,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": warehouse_b.lot_stock_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "Shared Pump",
                                "product_id": shared.id,
                                "product_uom_qty": 4,
                                "location_id": self.supplier_location.id,
                                "location_dest_id": warehouse_b.lot_stock_id.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()  # no access error
        self.assertFalse(picking.sg_inspection_ids)
        with self.assertRefused(
            UserError, "checklist Pumps incoming belongs to company"
        ):
            self._validate(picking, user=user_b)
        with self.assertRefused(UserError, "share it"):
            picking.with_user(user_b).action_sg_create_inspections()
        self.assertEqual(picking.state, "assigned")
        self.template.company_id = False  # shared by an administrator
        picking.with_user(user_b).action_sg_create_inspections()
        inspection = picking.sg_inspection_ids
        self.assertEqual(inspection.company_id, company_b)
        self.assertEqual(
            inspection.line_ids.mapped("name"), ["Casing intact", "Pressure"]
        )

    # ------------------------------------------------------------ deliveries
    def _delivery(self, product, qty, picking_type=None):
        customers = self.env.ref("stock.stock_location_customers")
        self.env["stock.quant"]._update_available_quantity(
            product, self.stock_location, qty
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": (picking_type or self.warehouse.out_type_id).id,
                "partner_id": self.customer.id,
                "location_id": self.stock_location.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "out",
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "location_id": self.stock_location.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def test_plain_delivery_costs_the_stock_gate_nothing(self):
        """Issue 13: the stock gate reads no inspection of a delivery whose goods need
        none (judged from its moves); receipts, and deliveries of an operation type
        that asks for an inspection, are read and routed as before."""
        plain = self._delivery(self.qc_product, 5)
        self.assertFalse(plain.sg_inspection_ids)
        self.assertFalse(plain._sg_may_carry_inspections())
        receipt = self._receipt([(self.qc_product, 5)])
        self.assertEqual(receipt._sg_may_carry_inspections(), receipt)
        # An operation type asking for an inspection: rejected goods do not reach the
        # customer, they go to quarantine.
        inspected_type = self.warehouse.out_type_id.copy(
            {"name": "Inspected Delivery", "sequence_code": "IOUT"}
        )
        inspected_type.sg_inspection_required = True
        delivery = self._delivery(self.qc_product, 5, inspected_type)
        self.assertEqual(delivery._sg_may_carry_inspections(), delivery)
        inspection = delivery.sg_inspection_ids
        self.assertEqual(len(inspection), 1)
        self._record(inspection, 3, 2, check="fail")
        before = self._qty(self.qc_product, self.quarantine)
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.assertEqual(self._qty(self.qc_product, self.quarantine), before + 2)


@tagged("post_install", "-at_install")
class TestQualityJointInspection(QualityGateCase):
    """Finished goods from production: the joint inspection group
    (销售部、企管部、生产部、财务部)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        joint = cls.env.ref("sale_governance.group_quality_joint_member")
        joint.users |= (
            cls.sales_manager | cls.biz_reviewer | cls.qc_inspector | cls.credit_ctrl
        )
        cls.production_location = cls.env["stock.location"].create(
            {
                "name": "Test Ovens",
                "usage": "production",
                "location_id": cls.env.ref("stock.stock_location_locations_virtual").id,
            }
        )
        cls.fg_type = cls.env["stock.picking.type"].create(
            {
                "name": "Finished goods",
                "code": "incoming",
                "sequence_code": "TFG",
                "warehouse_id": cls.warehouse.id,
                "sg_production_receipt": True,
                "default_location_src_id": cls.production_location.id,
                "default_location_dest_id": cls.stock_location.id,
            }
        )
        cls.awaiting = cls.warehouse.sg_awaiting_location_id
        cls.departments = cls.env["sale.governance.inspection.department"].search(
            [("company_id", "=", cls.company.id)]
        )
        cls.signers = {
            "Sales": cls.sales_manager,
            "Business Management": cls.biz_reviewer,
            "Production": cls.qc_inspector,
            "Finance": cls.credit_ctrl,
        }

    def _production_receipt(self, qty=120):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.fg_type.id,
                "location_id": self.production_location.id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "coke",
                            "product_id": self.qc_product.id,
                            "product_uom_qty": qty,
                            "location_id": self.production_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _signoff(self, inspection, department):
        return inspection.signoff_ids.filtered(
            lambda s: s.department_id.name == department
        )

    def _fill(self, inspection, accepted, rejected):
        inspection = inspection.with_user(self.qc_inspector)
        for line in inspection.line_ids:
            if line.kind == "measure":
                line.value_input = "10"
            else:
                line.result = "pass"
        inspection.write({"qty_accepted": accepted, "qty_rejected": rejected})

    def test_defaults(self):
        self.assertEqual(
            self.departments.mapped("name"),
            ["Sales", "Business Management", "Production", "Finance"],
        )
        self.assertTrue(self.awaiting.sg_is_awaiting)
        self.assertFalse(
            self.env["stock.location"].search_count(
                [
                    ("id", "=", self.awaiting.id),
                    ("id", "child_of", self.stock_location.id),
                ]
            )
        )
        self.assertEqual(self.company.sg_receipt_summary_cutoff_day, 26)

    def test_demo_finished_goods_wait_for_the_joint_group(self):
        picking = self.env.ref(
            "sale_governance.receipt_coke_production", raise_if_not_found=False
        )
        if not picking:
            self.skipTest("database without demo data")
        inspection = picking.sg_inspection_ids
        self.assertEqual(picking.state, "done")
        self.assertEqual((inspection.state, inspection.joint_required), ("todo", True))
        self.assertEqual(
            inspection.location_id,
            picking.picking_type_id.warehouse_id.sg_awaiting_location_id,
        )
        self.assertEqual(len(inspection.signoff_ids), 4)
        self.assertEqual(self._qty(inspection.product_id, inspection.location_id), 120)

    def test_finished_goods_wait_and_are_booked_on_the_result(self):
        picking = self._production_receipt(120)
        inspection = picking.sg_inspection_ids
        self.assertEqual(inspection.receipt_kind, "production")
        self.assertTrue(inspection.joint_required)
        self.assertEqual(len(inspection.signoff_ids), 4)
        self.assertEqual(picking.sg_inspection_todo_count, 1)
        self.assertEqual(picking.move_ids.sg_inspection_state, "todo")
        # the warehouse receives them: into the location awaiting inspection, not into
        # stock
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.qc_product, self.awaiting), 120)
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 0)
        self.assertEqual(inspection.location_id, self.awaiting)
        self._fill(inspection, 100, 20)
        # one department missing: refused, naming it
        for name in ("Sales", "Business Management", "Production"):
            self._signoff(inspection, name).with_user(
                self.signers[name]
            ).action_accept()
        with self.assertUnchanged(inspection, ["state", "result"]):
            with self.assertRefused(UserError, "Waiting for: Finance"):
                inspection.with_user(self.qc_inspector).action_done()
        self._signoff(inspection, "Finance").with_user(self.credit_ctrl).action_accept()
        inspection.with_user(self.qc_inspector).action_done()
        self.assertEqual((inspection.state, inspection.result), ("done", "partial"))
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 100)
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 20)
        self.assertEqual(self._qty(self.qc_product, self.awaiting), 0)
        self.assertEqual(set(inspection.booking_move_ids.mapped("state")), {"done"})
        with self.assertRefused(UserError, "no longer change"):
            inspection.with_user(self.qc_inspector).action_reset()

    def test_awaiting_goods_leave_only_on_the_result(self):
        picking = self._production_receipt(10)
        self._validate(picking)
        self._assert_internal_transfer_refused(self.awaiting, 10, "sneak")
        self.assertEqual(self._qty(self.qc_product, self.awaiting), 10)

    def test_joint_flag_cannot_be_cleared_to_skip_the_signoffs(self):
        """The sign-off guards read sign-offs only on joint inspections: the flag is
        protected, whoever sends what."""
        picking = self._production_receipt(30)
        self._validate(picking)
        inspection = picking.sg_inspection_ids
        self._signoff(inspection, "Sales").with_user(
            self.signers["Sales"]
        ).action_accept()
        for user in (self.qc_inspector, self.signers["Sales"], self.warehouse_user):
            attacked = inspection.with_user(user).with_context(**ATTACK_CONTEXT)
            with self.assertUnchanged(inspection, ["joint_required", "qty_accepted"]):
                with self.assertRefused(UserError):
                    attacked.write({"joint_required": False})
                with self.assertRefused(UserError):
                    attacked.write({"joint_required": False, "qty_accepted": 30})
        # signed by a department: the findings no longer change, in batch either
        with self.assertUnchanged(inspection, ["state", "qty_accepted"]):
            with self.assertRefused(UserError, "signed by the joint inspection group"):
                inspection.with_user(self.qc_inspector).with_context(
                    **ATTACK_CONTEXT
                ).action_record_results({inspection.id: {"qty_accepted": 30}})

    def test_signoff_rules(self):
        picking = self._production_receipt(30)
        inspection = picking.sg_inspection_ids
        sales = self._signoff(inspection, "Sales")
        finance = self._signoff(inspection, "Finance")
        # only the department's representatives sign for it
        with self.assertUnchanged(sales, ["state", "user_id", "date"]):
            with self.assertRefused(UserError, "do not represent Sales"):
                sales.with_user(self.credit_ctrl).action_accept()
            with self.assertRefused(UserError, "cannot be set directly"):
                sales.with_user(self.sales_manager).with_context(
                    **ATTACK_CONTEXT
                ).write({"state": "accepted", "user_id": self.sales_manager.id})
        with self.assertRaises(AccessError):
            sales.with_user(self.salesman).action_accept()
        # a failure needs its reason
        with self.assertRefused(UserError, "reason"):
            finance.with_user(self.credit_ctrl).action_fail()
        action = finance.with_user(self.credit_ctrl).action_open_fail()
        self.assertEqual(
            (action["res_model"], action["res_id"]), (finance._name, finance.id)
        )
        with self.assertRefused(UserError, "do not represent Finance"):
            finance.with_user(self.sales_manager).action_open_fail()
        with self.assertRefused(UserError, "do not represent Finance"):
            finance.with_user(self.sales_manager).note = "forged"
        finance.with_user(self.credit_ctrl).note = "Ash content 13.1 % on oven 4"
        finance.with_user(self.credit_ctrl).action_fail()
        self.assertEqual((finance.state, finance.user_id), ("failed", self.credit_ctrl))
        self.assertTrue(finance.date)
        with self.assertRefused(UserError, "already signed"):
            finance.with_user(self.credit_ctrl).action_accept()
        # a signed inspection's findings change only after a reset by an inspector
        with self.assertRefused(UserError, "reset it"):
            inspection.with_user(self.qc_inspector).write({"qty_accepted": 30})
        # nobody signs for two departments (the governance administrator represents all
        # four)
        self._signoff(inspection, "Production").with_user(
            self.gov_admin
        ).action_accept()
        with self.assertRefused(UserError, "one person signs for one department"):
            sales.with_user(self.gov_admin).action_accept()
        self.company.sg_joint_sign_multiple = True
        sales.with_user(self.gov_admin).action_accept()
        self.company.sg_joint_sign_multiple = False
        self._signoff(inspection, "Business Management").with_user(
            self.biz_reviewer
        ).action_accept()
        # Finance failed: the inspection cannot pass
        with self.assertRefused(UserError, "locked|reset it"):
            self._fill(inspection, 30, 0)
        # reset: only an inspector, clears the sign-offs, logged
        with self.assertRefused(UserError, "Only quality inspectors"):
            inspection.with_user(self.sales_manager).action_reset()
        inspection.with_user(self.qc_inspector).action_reset()
        self.assertEqual(set(inspection.signoff_ids.mapped("state")), {"pending"})
        self.assertIn("sign-offs were cleared", inspection.message_ids[:1].body)
        self._fill(inspection, 30, 0)
        for name, user in self.signers.items():
            signoff = self._signoff(inspection, name)
            if name == "Finance":
                signoff.with_user(user).note = "Re-sampled: ash 11.8 %"
                signoff.with_user(user).action_fail()
            else:
                signoff.with_user(user).action_accept()
        with self.assertRefused(
            UserError, r"Finance \(Re-sampled: ash 11.8 %\) failed, yet nothing"
        ):
            inspection.with_user(self.qc_inspector).action_done()

    def test_category_asks_for_the_joint_group_on_vendor_receipts(self):
        picking = self._receipt([(self.qc_product, 5)])
        self.assertFalse(
            picking.sg_inspection_ids.joint_required, "vendor receipts: one inspector"
        )
        self.categ.sg_joint_inspection = True
        picking2 = self._receipt([(self.qc_product, 5)])
        self.assertTrue(picking2.sg_inspection_ids.joint_required)
        self.assertEqual(len(picking2.sg_inspection_ids.signoff_ids), 4)

    def test_customer_returns_setting(self):
        customer_location = self.env.ref("stock.stock_location_customers")

        def return_picking():
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": self.receipt_type.id,
                    "partner_id": self.customer.id,
                    "location_id": customer_location.id,
                    "location_dest_id": self.stock_location.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "return",
                                "product_id": self.qc_product.id,
                                "product_uom_qty": 2,
                                "location_id": customer_location.id,
                                "location_dest_id": self.stock_location.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            return picking

        # receipts are flagged: a return received under the Receipt type is inspected
        self.assertEqual(return_picking().sg_inspection_ids.receipt_kind, "return")
        self.receipt_type.sg_inspection_required = False
        picking = return_picking()
        self.assertFalse(
            picking.sg_inspection_ids, "returns are not inspected unless asked"
        )
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.company.sg_inspect_customer_returns = True
        picking = return_picking()
        self.assertEqual(len(picking.sg_inspection_ids), 1)
        with self.assertRefused(UserError, "Inspected Pump"):
            self._validate(picking)

    def test_monthly_receipt_summary(self):
        picking = self._production_receipt(50)
        self._validate(picking)
        inspection = picking.sg_inspection_ids
        self._fill(inspection, 45, 5)
        for name, user in self.signers.items():
            self._signoff(inspection, name).with_user(user).action_accept()
        inspection.with_user(self.qc_inspector).action_done()
        day = inspection.date_done.date()
        summary = (
            self.env["sale.governance.receipt.summary"]
            .with_user(self.warehouse_user)
            .create({"month": str(day.month), "year": day.year})
        )
        if day.day > 26:  # after the cut-off: the next month's summary
            month = day.month % 12 + 1
            summary.write({"month": str(month), "year": day.year + (month == 1)})
        self.assertEqual(summary.date_to.day, 26)
        self.assertEqual(summary.date_from.day, 27)
        rows = summary._sg_summary_lines()
        row = [r for r in rows if r["product"] == self.qc_product][0]
        self.assertEqual(
            (row["inspected"], row["accepted"], row["rejected"]), (50, 45, 5)
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sale_governance.action_report_receipt_summary", summary.ids
            )[0]
            .decode()
        )
        for label in ("Counterparty", "Sales Accountant", "Finance Department"):
            self.assertIn(label, html)
        self.assertEqual(html.count("Finished-Goods Receipt Summary</h3>"), 3)
        self.assertIn("Inspected Pump", html)

    # ------------------------------------------------------------ performance
    def test_recording_100_inspections_in_batch(self):
        products = self.env["product.product"].create(
            [
                {
                    "name": f"Batch QC {i}",
                    "is_storable": True,
                    "categ_id": self.categ.id,
                }
                for i in range(102)
            ]
        )
        warm_ups = [
            self._receipt([(products[0], 2)]),
            self._receipt([(products[1], 2)]),
        ]
        picking = self._receipt([(p, 2) for p in products[2:]])
        for receipt in (*warm_ups, picking):
            inspections = receipt.sg_inspection_ids.with_user(self.qc_inspector)
            inspections.line_ids.filtered(
                lambda line: line.kind == "check"
            ).result = "pass"
            inspections.line_ids.filtered(
                lambda line: line.kind == "measure"
            ).value_input = "10"
            inspections.write({"qty_accepted": 2})
        for warm_up in warm_ups:  # the registry's caches (record rules, groups) warm
            self.env.invalidate_all()  # read from the database, as the measured run
            warm_up.sg_inspection_ids.with_user(self.qc_inspector).action_done()
        inspections = picking.sg_inspection_ids.with_user(self.qc_inspector)
        self.assertEqual(len(inspections), 100)
        with self.count_queries() as queries:
            inspections.action_done()
        self.assertEqual(set(inspections.mapped("state")), {"done"})
        self.assertEqual(picking.sg_inspection_status, "done")
        self.assertFalse(
            picking.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("sale_governance.mail_activity_type_inspection")
            )
        )
        self.assertTrue(all(inspections.mapped("message_ids")))
        # 21 on 2026-11-24 (the receipt's to-dos closed with one DELETE)
        self.assertLessEqual(
            queries.count, 21, f"recording 100 inspections: {queries.count} queries"
        )


@tagged("post_install", "-at_install")
class TestQualityRecordResultsInBatch(QualityGateCase):
    """``action_record_results``: the inspector's whole input for many inspections in
    one call (issue 13), in bounded queries, through the same guards as the form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.products = cls.env["product.product"].create(
            [
                {
                    "name": f"Batch input QC {i}",
                    "is_storable": True,
                    "categ_id": cls.categ.id,
                }
                for i in range(110)
            ]
        )

    def _input(self, inspections, value=10.0):
        """The inspector's input: all accepted, checks passed, the value measured."""
        return {
            str(i.id): {
                "qty_accepted": i.quantity,
                "lines": {
                    str(line.id): (
                        {"value": value}
                        if line.kind == "measure"
                        else {"result": "pass", "note": "ok"}
                    )
                    for line in i.line_ids
                },
            }
            for i in inspections
        }

    def _batch(self, products):
        picking = self._receipt([(p, 2) for p in products])
        inspections = picking.sg_inspection_ids
        # the records as an RPC call gets them
        return picking, inspections.browse(inspections.ids)

    def test_recording_10_and_100_inspections_costs_the_same(self):
        counts = {}
        runs = (
            ("warm-up", self.products[:10]),  # the registry's caches (rules, groups)
            (10, self.products[:10]),
            (100, self.products[10:110]),
        )
        for size, products in runs:
            picking, inspections = self._batch(products)
            results = self._input(inspections)
            self.env.invalidate_all()
            inspections = inspections.browse(inspections.ids)
            with self.count_queries() as queries:
                inspections.with_user(self.qc_inspector).action_record_results(results)
            counts[size] = queries.count
            self.assertEqual(set(inspections.mapped("state")), {"done"})
            self.assertEqual(set(inspections.mapped("result")), {"pass"})
            self.assertEqual(set(inspections.mapped("qty_accepted")), {2.0})
            self.assertEqual(set(inspections.line_ids.mapped("result")), {"pass"})
            self.assertEqual(picking.sg_inspection_status, "done")
            self.assertFalse(
                picking.activity_ids.filtered(
                    lambda a: a.activity_type_id
                    == self.env.ref("sale_governance.mail_activity_type_inspection")
                )
            )
            self.assertTrue(
                all(
                    "Result recorded by" in str(i.message_ids[:1].body)
                    for i in inspections
                )
            )
            # the receipt's to-dos are closed with a note saying so
            done_notes = picking.message_ids.filtered(
                lambda m: m.mail_activity_type_id
                == self.env.ref("sale_governance.mail_activity_type_inspection")
            )
            self.assertEqual(len(done_notes), 1)
            self.assertIn("All goods inspected.", str(done_notes.body))
            self.assertEqual(done_notes.author_id, self.qc_inspector.partner_id)
        self.assertLessEqual(counts[100], counts[10], counts)
        self.assertLessEqual(counts[10], 23, counts)  # 23 on 2026-11-24

    def _tracking_values(self, inspections):
        return self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", inspections._name),
                ("mail_message_id.res_id", "in", inspections.ids),
            ]
        )

    def test_batch_input_is_one_note_not_a_tracking_message_per_field(self):
        # the test cases create their records with mail tracking off: on here
        tracked = self.env(
            context=dict(self.env.context, tracking_disable=False, mail_notrack=False)
        )["sale.governance.inspection"].with_user(self.qc_inspector)
        inspections = self._batch(self.products[:3])[1]
        results = self._input(inspections)
        # as if the receipt had been confirmed by an earlier request: its inspections
        # are existing records, whose changes are tracked at commit
        self.env.flush_all()
        self.env.cr.precommit.clear()
        tracked.browse(inspections.ids).action_record_results(results)
        self.env.cr.flush()  # the commit's precommit hooks: tracking messages
        self.assertFalse(self._tracking_values(inspections))
        for inspection in inspections:
            note = str(inspection.message_ids[:1].body)
            self.assertIn("Result recorded by", note)
            self.assertIn("accepted 2", note)
            sample = inspection._sg_fmt_qty(inspection.sample_size)
            self.assertIn(f"sample {sample}", note)
        # the form's path still tracks the inspector's changes field by field
        other = self._batch(self.products[3:4])[1]
        self.env.flush_all()
        self.env.cr.precommit.clear()
        tracked.browse(other.ids).write({"qty_accepted": 1})
        self.env.cr.flush()
        self.assertTrue(self._tracking_values(other))

    def test_measured_value_decides_the_result(self):
        inspections = self._batch(self.products[:2])[1]
        results = self._input(inspections, value=12.0)  # outside 9.5 - 10.5
        first = next(iter(results.values()))
        measure = inspections[:1].line_ids.filtered(lambda line: line.kind == "measure")
        first["lines"][str(measure.id)]["result"] = "pass"  # ignored: the range decides
        first["qty_accepted"], first["qty_rejected"] = 0.0, 2.0
        results[str(inspections[1].id)].update(qty_accepted=0.0, qty_rejected=2.0)
        inspections.with_user(self.qc_inspector).action_record_results(results)
        self.assertEqual(set(inspections.mapped("result")), {"fail"})
        self.assertEqual(measure.result, "fail")

    def test_refusals_change_nothing(self):
        picking, inspections = self._batch(self.products[:2])
        other = self._batch(self.products[2:3])[1]
        fields_ = ["state", "result", "qty_accepted", "qty_rejected"]
        line_fields = ["result", "value", "note"]
        cases = [
            (self.warehouse_user, self._input(inspections)),
            (self.qc_inspector, self._input(inspections | other)),
            (
                self.qc_inspector,
                {
                    str(inspections[0].id): {
                        "qty_accepted": 2.0,
                        "lines": {str(other.line_ids[0].id): {"result": "pass"}},
                    }
                },
            ),
            (
                self.qc_inspector,
                {str(inspections[0].id): {"qty_accepted": 2.0, "state": "done"}},
            ),
            (
                self.qc_inspector,
                {
                    str(inspections[0].id): {
                        "lines": {
                            str(inspections[0].line_ids[0].id): {"name": "Renamed"}
                        }
                    }
                },
            ),
        ]
        for user, results in cases:
            with (
                self.assertUnchanged(inspections | other, fields_),
                self.assertUnchanged((inspections | other).line_ids, line_fields),
                self.assertRefused(UserError),  # AccessError is one too
            ):
                inspections.with_user(user).with_context(
                    **ATTACK_CONTEXT
                ).action_record_results(results)
        # a recorded inspection's findings stay as they are
        inspections.with_user(self.qc_inspector).action_record_results(
            self._input(inspections)
        )
        with (
            self.assertUnchanged(inspections, fields_),
            self.assertRefused(UserError, "not waiting for a result|is recorded"),
        ):
            inspections.with_user(self.qc_inspector).action_record_results(
                {str(inspections[0].id): {"qty_accepted": 1.0, "qty_rejected": 1.0}}
            )
        self.assertEqual(picking.sg_inspection_status, "done")


@tagged("post_install", "-at_install")
class TestQualityPolicyOverRpc(HttpCase):
    """The same refusals over the wire (XML-RPC), as demo-like users sending the attack
    context."""

    def test_xmlrpc_attacks_are_refused(self):
        env = self.env
        inspector = new_test_user(
            env,
            login="t_rpc_inspector",
            groups="sale_governance.group_quality_inspector",
        )
        warehouse_user = new_test_user(
            env,
            login="t_rpc_warehouse",
            groups="base.group_user,stock.group_stock_user",
        )
        categ = env["product.category"].create(
            {"name": "RPC inspected", "sg_inspection_required": True}
        )
        product = env["product.product"].create(
            {"name": "RPC Pump", "is_storable": True, "categ_id": categ.id}
        )
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        supplier = env.ref("stock.stock_location_suppliers")
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "RPC Pump",
                            "product_id": product.id,
                            "product_uom_qty": 40,
                            "location_id": supplier.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        inspection = picking.sg_inspection_ids
        self.assertEqual(inspection.state, "todo")
        db = env.cr.dbname
        context = {"context": dict(ATTACK_CONTEXT)}

        def call(user, model, method, args):
            return self.xmlrpc_object.execute_kw(
                db, user.id, user.login, model, method, args, context
            )

        with self.assertRaisesRegex(Exception, "cannot be set directly"):
            call(
                inspector,
                "sale.governance.inspection",
                "write",
                [inspection.ids, {"state": "done", "result": "pass"}],
            )
        with self.assertRaisesRegex(Exception, "RPC Pump"):
            call(warehouse_user, "stock.picking", "button_validate", [picking.ids])
        with self.assertRaisesRegex(Exception, "wait for their quality inspection"):
            call(
                warehouse_user,
                "stock.picking",
                "write",
                [picking.ids, {"picking_type_id": warehouse.int_type_id.id}],
            )
        inspection.invalidate_recordset()
        picking.invalidate_recordset()
        self.assertEqual((inspection.state, inspection.result), ("todo", False))
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(picking.picking_type_id, warehouse.in_type_id)
