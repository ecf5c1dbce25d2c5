from ast import literal_eval

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ...models.quality.inspection import _sample_size
from .common import QualityGateCase


@tagged("post_install", "-at_install")
class TestQualityGate(QualityGateCase):
    # ------------------------------------------------------------ creation
    def test_ready_receipt_creates_inspection(self):
        picking = self._receipt(
            [(self.qc_product, 25), (self.product, 5)], user=self.warehouse_user
        )
        self.assertEqual(picking.state, "assigned")
        inspection = picking.sg_inspection_ids
        self.assertEqual(len(inspection), 1, "only the product that needs inspection")
        self.assertEqual(inspection.product_id, self.qc_product)
        self.assertEqual(inspection.quantity, 25)
        self.assertEqual(inspection.sample_size, 3, "10% of 25 rounded up")
        self.assertEqual(inspection.state, "todo")
        self.assertEqual(inspection.partner_id, self.vendor)
        self.assertEqual(inspection.template_id, self.template)
        self.assertEqual(
            inspection.line_ids.mapped("name"), ["Casing intact", "Pressure"]
        )
        self.assertEqual(picking.sg_inspection_status, "todo")
        activity_users = picking.activity_ids.mapped("user_id")
        self.assertIn(self.qc_inspector, activity_users)
        self.assertNotIn(self.warehouse_user, activity_users)
        # confirming again does not duplicate
        picking.action_assign()
        self.assertEqual(len(picking.sg_inspection_ids), 1)

    def test_sample_size_rules(self):
        self.assertEqual(_sample_size(25, "percent", 10), 3)
        self.assertEqual(_sample_size(3, "percent", 10), 1, "at least one")
        self.assertEqual(_sample_size(4, "fixed", 10), 4, "never more than received")
        self.assertEqual(_sample_size(40, "fixed", 5), 5)
        self.assertEqual(
            self.Inspection._sample_size_for(self.lot_product, 10), 2, "product rule"
        )
        self.assertEqual(
            self.Inspection._sample_size_for(self.qc_product, 50), 5, "category rule"
        )

    def test_product_overrides_category(self):
        self.qc_product2.sg_inspection_policy = "never"
        picking = self._receipt([(self.qc_product2, 5)])
        self.assertFalse(picking.sg_inspection_ids)
        self._validate(picking)
        self.assertEqual(picking.state, "done")

    def test_operation_type_flag(self):
        self.assertTrue(self.receipt_type.sg_inspection_required, "receipts by default")
        self.assertFalse(self.warehouse.out_type_id.sg_inspection_required)
        # the gate follows the goods: switching the flag off does not let vendor goods
        # through
        self.receipt_type.sg_inspection_required = False
        picking = self._receipt([(self.qc_product, 5)])
        self.assertEqual(len(picking.sg_inspection_ids), 1)
        with self.assertRaisesRegex(UserError, "Inspected Pump"):
            self._validate(picking)
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 0)

    def test_goods_without_inspection_behave_as_before(self):
        picking = self._receipt([(self.product, 7)])
        self.assertFalse(picking.sg_inspection_ids)
        self.assertEqual(picking.sg_inspection_status, "none")
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.product, self.stock_location), 7)

    # ------------------------------------------------------------ the gate
    def test_gate_blocks_until_inspected(self):
        picking = self._receipt([(self.qc_product, 10), (self.qc_product2, 4)])
        with self.assertRaisesRegex(UserError, "Inspected Pump.*Inspected Valve"):
            self._validate(picking)
        # RPC-level path (what the backorder wizard ends in) is gated too
        with self.assertRaisesRegex(UserError, "Inspected Valve"):
            picking.with_user(self.warehouse_user).with_context(
                skip_backorder=True
            )._action_done()
        pump = picking.sg_inspection_ids.filtered(
            lambda i: i.product_id == self.qc_product
        )
        self._record(pump, 10, 0)
        with self.assertRaisesRegex(UserError, "Inspected Valve") as ctx:
            self._validate(picking)
        self.assertNotIn("Inspected Pump", str(ctx.exception))
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 0)

    def test_gate_with_backorder_wizard(self):
        picking = self._receipt([(self.qc_product, 10)])
        picking.move_ids.quantity = 6
        res = picking.with_user(self.warehouse_user).button_validate
        with self.assertRaisesRegex(UserError, "Inspected Pump"):
            res()
        # the wizard path ends in _action_done, which refuses as well
        wizard = (
            self.env["stock.backorder.confirmation"]
            .with_user(self.warehouse_user)
            .with_context(button_validate_picking_ids=picking.ids)
            .create({"pick_ids": [Command.set(picking.ids)]})
        )
        with self.assertRaisesRegex(UserError, "Inspected Pump"):
            wizard.process()
        self.assertEqual(picking.state, "assigned")

    def test_pass_all_to_stock(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = self._record(picking.sg_inspection_ids, 10, 0)
        self.assertEqual(inspection.result, "pass")
        self.assertEqual(inspection.state, "done")
        self.assertTrue(inspection.date_done)
        self.assertEqual(inspection.inspector_ids, self.qc_inspector)
        self.assertEqual(picking.sg_inspection_status, "done")
        self.assertEqual(picking.move_ids.sg_inspection_state, "pass")
        self.assertFalse(
            picking.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref("sale_governance.mail_activity_type_inspection")
            ),
            "the inspectors' to-dos are done",
        )
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 10)
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 0)

    def test_partial_split_between_stock_and_quarantine(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = self._record(picking.sg_inspection_ids, 7, 3, value=11.0)
        self.assertEqual(inspection.result, "partial")
        self.assertEqual(
            inspection.line_ids.filtered(lambda line: line.kind == "measure").result,
            "fail",
        )
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 7)
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 3)
        self.assertFalse(
            self.quarantine._child_of(self.stock_location)
            if hasattr(self.quarantine, "_child_of")
            else self.quarantine.parent_path.startswith(self.stock_location.parent_path)
        )
        # saleable availability ignores quarantine
        self.assertEqual(
            self.qc_product.with_context(location=self.stock_location.id).free_qty, 7
        )

    def test_fail_nothing_to_saleable_stock(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = self._record(picking.sg_inspection_ids, 0, 10, check="fail")
        self.assertEqual(inspection.result, "fail")
        self._validate(picking)
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 0)
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 10)

    def test_return_rejected_goods_to_vendor_from_quarantine(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = self._record(picking.sg_inspection_ids, 6, 4, check="fail")
        self._validate(picking)
        action = inspection.with_user(self.warehouse_user).action_return_to_vendor()
        ret = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(ret.return_id, picking)
        self.assertEqual(ret.location_id, self.quarantine)
        self.assertEqual(ret.move_ids.product_uom_qty, 4)
        self.assertEqual(ret.move_ids.location_id, self.quarantine)
        self.assertEqual(ret.state, "assigned", "reserved from quarantine")
        ret.button_validate()
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 0)
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 6)

    def test_lots_one_inspection_per_lot(self):
        picking = self._receipt([(self.lot_product, 10)], confirm=False)
        picking.action_confirm()
        # no lots known yet: one inspection for the product; enter lots, then ask for
        # per-lot ones
        self.assertEqual(len(picking.sg_inspection_ids), 1)
        picking.sg_inspection_ids.unlink()
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": self.lot_product.id,
                    "lot_name": lot,
                    "quantity": qty,
                    "location_id": self.supplier_location.id,
                    "location_dest_id": self.stock_location.id,
                }
                for lot, qty in (("LOT-A", 6), ("LOT-B", 4))
            ]
        )
        picking.action_sg_create_inspections()
        inspections = picking.sg_inspection_ids
        self.assertEqual(sorted(inspections.mapped("lot_name")), ["LOT-A", "LOT-B"])
        lot_a = inspections.filtered(lambda i: i.lot_name == "LOT-A")
        lot_b = inspections - lot_a
        self.assertEqual((lot_a.quantity, lot_a.sample_size), (6, 2))
        self._record(lot_a, 6, 0)
        with self.assertRaisesRegex(UserError, "Inspected Gauge"):
            self._validate(picking)
        self._record(lot_b, 0, 4)
        self._validate(picking)
        self.assertEqual(self._qty(self.lot_product, self.stock_location, "LOT-A"), 6)
        self.assertEqual(self._qty(self.lot_product, self.stock_location, "LOT-B"), 0)
        self.assertEqual(self._qty(self.lot_product, self.quarantine, "LOT-B"), 4)

    def test_uninspected_lot_cannot_slip_through(self):
        picking = self._receipt([(self.lot_product, 5)])
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": self.lot_product.id,
                "lot_name": "LOT-X",
                "quantity": 5,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock_location.id,
            }
        )
        picking.sg_inspection_ids.unlink()
        with self.assertRaisesRegex(UserError, "no inspection yet"):
            self._validate(picking)

    # ------------------------------------------------------------ backorders / splits
    def test_backorder_keeps_inspection_result(self):
        picking = self._receipt([(self.qc_product, 10)])
        self._record(picking.sg_inspection_ids, 8, 2)
        picking.move_ids.quantity = 6
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            self._qty(self.qc_product, self.quarantine), 2, "rejected first"
        )
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 4)
        backorder = picking.backorder_ids
        self.assertEqual(len(backorder), 1)
        carried = backorder.sg_inspection_ids
        self.assertEqual(len(carried), 1, "nothing inspected is asked again")
        self.assertEqual(
            (carried.state, carried.quantity, carried.qty_accepted), ("done", 4, 4)
        )
        self._validate(backorder)
        self.assertEqual(backorder.state, "done")
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 8)
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 2)

    def test_backorder_of_uninspected_goods_is_gated(self):
        picking = self._receipt([(self.qc_product, 10)])
        picking.move_ids.quantity = 6  # only 6 arrived and were inspected
        picking.with_user(self.warehouse_user).action_sg_create_inspections()
        inspection = picking.sg_inspection_ids.with_user(self.qc_inspector)
        self.assertEqual(
            inspection.quantity, 6, "the waiting inspection follows the goods"
        )
        self._record(inspection, 6, 0)
        self._validate(picking)
        backorder = picking.backorder_ids
        self.assertEqual(backorder.sg_inspection_ids.state, "todo")
        self.assertEqual(backorder.sg_inspection_ids.quantity, 4)
        with self.assertRaisesRegex(UserError, "Inspected Pump"):
            self._validate(backorder)

    def test_receiving_more_than_inspected_is_refused(self):
        picking = self._receipt([(self.qc_product, 10)])
        picking.move_ids.quantity = 6
        picking.action_sg_create_inspections()
        inspection = picking.sg_inspection_ids.with_user(self.qc_inspector)
        self._record(inspection, 6, 0)
        picking.move_ids.quantity = 10
        with self.assertRaisesRegex(UserError, "6 inspected, 10 Units to receive"):
            picking.with_user(self.warehouse_user).with_context(
                skip_backorder=True
            )._action_done()

    def test_split_transfer_inspection_follows_goods(self):
        picking = self._receipt([(self.qc_product, 10), (self.qc_product2, 5)])
        valve_inspection = picking.sg_inspection_ids.filtered(
            lambda i: i.product_id == self.qc_product2
        )
        picking.move_ids.filtered(
            lambda m: m.product_id == self.qc_product2
        ).quantity = 0
        picking.action_split_transfer()
        new = picking.backorder_ids
        self.assertEqual(new.move_ids.product_id, self.qc_product2)
        self.assertEqual(
            valve_inspection.picking_id, new, "the inspection followed the goods"
        )
        self.assertEqual(len(new.sg_inspection_ids), 1)
        self._record(picking.sg_inspection_ids, 10, 0)
        self._validate(picking)
        self.assertEqual(
            picking.state, "done", "no pending inspection of goods that left"
        )

    # ------------------------------------------------------------ bad input
    def test_bad_input_refused(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = picking.sg_inspection_ids.with_user(self.qc_inspector)
        inspection.line_ids.filtered(lambda line: line.kind == "check").result = "pass"
        inspection.write({"qty_accepted": 6, "qty_rejected": 3})
        inspection.line_ids.filtered(lambda line: line.kind == "measure").value = 10
        with self.assertRaisesRegex(UserError, "accepted .* rejected"):
            inspection.action_done()
        with self.assertRaisesRegex(ValidationError, "sample"):
            inspection.sample_size = 11
        self.assertEqual(inspection.state, "todo")

    def test_measured_item_without_value_refused(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = picking.sg_inspection_ids.with_user(self.qc_inspector)
        inspection.line_ids.filtered(lambda line: line.kind == "check").result = "pass"
        inspection.write({"qty_accepted": 10, "qty_rejected": 0})
        with self.assertRaisesRegex(UserError, "measured value of Pressure"):
            inspection.action_done()
        # zero is a value: out of range, so the item fails and something must be
        # rejected
        inspection.line_ids.filtered(lambda line: line.kind == "measure").value = 0.0
        with self.assertRaisesRegex(UserError, "Pressure failed"):
            inspection.action_done()
        self.assertEqual(inspection.state, "todo")

    def test_measured_result_follows_value(self):
        picking = self._receipt([(self.qc_product, 10)])
        line = picking.sg_inspection_ids.line_ids.filtered(
            lambda line: line.kind == "measure"
        )
        line.with_user(self.qc_inspector).write({"value": 12.0, "result": "pass"})
        self.assertEqual(
            line.result, "fail", "a value outside its range fails the item"
        )

    def test_min_greater_than_max_refused(self):
        with self.assertRaisesRegex(ValidationError, "minimum"):
            self.template.write(
                {
                    "item_ids": [
                        Command.create(
                            {
                                "name": "Length",
                                "kind": "measure",
                                "min_value": 5,
                                "max_value": 1,
                            }
                        )
                    ]
                }
            )

    # ------------------------------------------------------------ access
    def test_warehouse_user_cannot_lift_the_gate(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = picking.sg_inspection_ids.with_user(self.warehouse_user)
        inspection.read(["state"])  # may see it
        with self.assertRaises(AccessError):
            inspection.write({"state": "done", "result": "pass"})
        with self.assertRaises(AccessError):
            inspection.write({"qty_accepted": 10})
        with self.assertRaises(AccessError):
            inspection.unlink()
        with self.assertRaises(UserError):
            inspection.action_done()
        with self.assertRaises(AccessError):
            self.receipt_type.with_user(
                self.warehouse_user
            ).sg_inspection_required = False
        with self.assertRaises(AccessError):
            self.qc_product.product_tmpl_id.with_user(
                self.sales_manager
            ).sg_inspection_policy = "never"
        with self.assertRaises(AccessError):
            self.categ.with_user(self.warehouse_user).sg_inspection_required = False
        with self.assertRaises(UserError):
            picking.with_user(
                self.warehouse_user
            ).picking_type_id = self.warehouse.int_type_id
        with self.assertRaisesRegex(UserError, "Inspected Pump"):
            self._validate(picking)

    def test_inspector_cannot_bypass_recording(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = picking.sg_inspection_ids.with_user(self.qc_inspector)
        with self.assertRaisesRegex(UserError, "buttons"):
            inspection.write({"state": "done"})
        other = self._receipt([(self.qc_product, 10)])
        with self.assertRaisesRegex(UserError, "buttons"):
            inspection.write({"picking_id": other.id})
        self._record(inspection, 10, 0)
        with self.assertRaisesRegex(UserError, "Reset it"):
            inspection.write({"qty_rejected": 5, "qty_accepted": 5})
        with self.assertRaisesRegex(UserError, "Reset it"):
            inspection.line_ids[:1].write({"result": "fail"})
        inspection.action_reset()  # allowed while the receipt is open
        self.assertEqual(inspection.state, "todo")
        self._record(inspection, 10, 0)
        self._validate(picking)
        with self.assertRaisesRegex(UserError, "already processed"):
            inspection.action_reset()
        with self.assertRaisesRegex(UserError, "evidence"):
            inspection.with_user(self.gov_admin).unlink()

    def test_roles_without_inspection_access(self):
        picking = self._receipt([(self.qc_product, 10)])
        inspection = picking.sg_inspection_ids
        for user in (self.salesman, self.credit_ctrl, self.tech_support):
            with self.assertRaises(AccessError, msg=user.login):
                inspection.with_user(user).read(["state"])
        with self.assertRaises(AccessError):
            self.Inspection.with_user(self.warehouse_user).create(
                {"product_id": self.qc_product.id, "quantity": 1}
            )
        with self.assertRaises(AccessError):
            self.template.with_user(self.qc_inspector).name = "x"
        self.template.with_user(self.gov_admin).name = "Renamed"
        self.assertEqual(self.template.name, "Renamed")

    # ------------------------------------------------------------ reports and vendor
    def test_vendor_pass_rate_and_report(self):
        p1 = self._receipt([(self.qc_product, 10)])
        self._record(p1.sg_inspection_ids, 10, 0)
        p2 = self._receipt([(self.qc_product, 10)])
        self._record(p2.sg_inspection_ids, 5, 5)
        self.vendor.invalidate_recordset()
        vendor = self.vendor.with_user(self.warehouse_user)
        self.assertEqual(vendor.sg_inspection_count, 2)
        self.assertAlmostEqual(vendor.sg_inspection_pass_rate, 50.0)
        groups = self.Inspection._read_group(
            [("partner_id", "=", self.vendor.id)], ["categ_id"], ["pass_rate:avg"]
        )
        self.assertEqual(groups, [(self.categ, 50.0)])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sale_governance.action_report_inspection", p2.sg_inspection_ids.ids
            )[0]
            .decode()
        )
        self.assertIn(p2.sg_inspection_ids.name, html)
        self.assertIn("Pressure", html)
        self.assertIn("Partially Accepted", html)

    def test_quarantine_list_and_location(self):
        self.assertTrue(self.quarantine.sg_is_quarantine)
        self.assertEqual(self.quarantine.usage, "internal")
        self.assertFalse(
            self.env["stock.location"].search_count(
                [
                    ("id", "=", self.quarantine.id),
                    ("id", "child_of", self.stock_location.id),
                ]
            )
        )
        warehouse = self.env["stock.warehouse"].create(
            {"name": "Second WH", "code": "WH2Q"}
        )
        self.assertTrue(warehouse.sg_quarantine_location_id.sg_is_quarantine)
        picking = self._receipt([(self.qc_product, 4)])
        self._record(picking.sg_inspection_ids, 0, 4)
        self._validate(picking)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_governance.sale_governance_quarantine_action"
        )
        quants = self.env["stock.quant"].search(literal_eval(action["domain"]))
        self.assertIn(self.qc_product, quants.product_id)

    def test_inspection_form(self):
        picking = self._receipt([(self.qc_product, 10)])
        with Form(picking.sg_inspection_ids.with_user(self.qc_inspector)) as form:
            form.qty_accepted = 10
            with form.line_ids.edit(1) as line:
                self.assertFalse(
                    line.value_input, "a measured value starts empty, not 0.00"
                )
                line.value_input = "10"
        inspection = picking.sg_inspection_ids
        self.assertEqual(inspection.qty_accepted, 10)
        self.assertEqual(inspection.line_ids[1].result, "pass")

    # ------------------------------------------------------------ performance
    def test_query_count_does_not_grow_with_lines(self):
        products = self.env["product.product"].create(
            [
                {"name": f"QC bulk {i}", "is_storable": True, "categ_id": self.categ.id}
                for i in range(60)
            ]
        )

        def run(count):
            picking = self._receipt([(p, 3) for p in products[:count]], confirm=False)
            picking.move_ids._action_confirm()
            # the hook already created them at confirmation: measure a fresh creation
            picking.sg_inspection_ids.unlink()
            picking.activity_ids.unlink()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            picking._sg_create_inspections()
            self.env.flush_all()
            created = self.env.cr.sql_log_count - before
            self.assertEqual(len(picking.sg_inspection_ids), count)
            picking.sg_inspection_ids._sg_protected_write(
                {"state": "done", "result": "pass", "qty_accepted": 3}
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            picking._sg_check_inspection_gate()
            gate = self.env.cr.sql_log_count - before
            return created, gate

        run(5)  # warm-up
        small = run(10)
        big = run(60)
        # Creation: one query per inspection, its reference (ir.sequence's next_by_id:
        # the API has no call that draws several numbers); the rest does not grow.
        self.assertLessEqual(
            big[0], small[0] + (60 - 10) + 3, f"creation: {small} vs {big}"
        )
        self.assertLessEqual(big[1], small[1] + 2, f"gate: {small} vs {big}")
