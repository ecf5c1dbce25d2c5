"""Browser tour: the inspector records the inspection of a receipt in its form, then
the warehouse validates the receipt (static/tests/tours/)."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import QualityGateCase


@tagged("post_install", "-at_install", "is_tour")
class TestQualityTours(QualityGateCase, HttpCase):
    def test_inspector_records_then_warehouse_validates(self):
        template = self.env["sale.governance.inspection.template"].create(
            {
                "name": "Pressure only",
                "item_ids": [
                    Command.create(
                        {
                            "name": "Pressure",
                            "kind": "measure",
                            "uom": "bar",
                            "min_value": 9.5,
                            "max_value": 10.5,
                        }
                    )
                ],
            }
        )
        self.categ.write({"sg_inspection_template_id": template.id})
        picking = self._receipt([(self.qc_product, 100)])
        inspection = picking.sg_inspection_ids
        self.assertEqual(inspection.state, "todo")
        self.assertEqual(inspection.sample_size, 10)
        self._sg_run_tour(
            f"/odoo/sale.governance.inspection/{inspection.id}",
            "sale_governance_quality_inspect",
            "t_qc_inspector",
        )
        self.assertEqual(inspection.state, "done")
        self.assertEqual(inspection.result, "pass")
        self.assertEqual(inspection.inspector_ids, self.qc_inspector)
        self.assertEqual(picking.state, "assigned")
        self._sg_run_tour(
            f"/odoo/stock.picking/{picking.id}",
            "sale_governance_quality_receipt",
            "t_warehouse",
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._qty(self.qc_product, self.stock_location), 100)
        self.assertEqual(self._qty(self.qc_product, self.quarantine), 0)
