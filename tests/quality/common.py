from odoo import Command
from odoo.exceptions import UserError

from ..common import ATTACK_CONTEXT, SaleGovernanceCase


class QualityGateCase(SaleGovernanceCase):
    """Receipts, products that need inspection, a checklist and a vendor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.quarantine = cls.warehouse.sg_quarantine_location_id
        cls.receipt_type = cls.warehouse.in_type_id
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.vendor = cls.env["res.partner"].create(
            {"name": "Test Vendor Co.", "is_company": True}
        )
        cls.template = cls.env["sale.governance.inspection.template"].create(
            {
                "name": "Pumps incoming",
                "item_ids": [
                    Command.create(
                        {"sequence": 1, "name": "Casing intact", "kind": "check"}
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "name": "Pressure",
                            "kind": "measure",
                            "uom": "bar",
                            "min_value": 9.5,
                            "max_value": 10.5,
                        }
                    ),
                ],
            }
        )
        cls.categ = cls.env["product.category"].create(
            {
                "name": "Inspected goods",
                "sg_inspection_required": True,
                "sg_sample_mode": "percent",
                "sg_sample_size": 10,
                "sg_inspection_template_id": cls.template.id,
            }
        )
        cls.qc_product = cls.env["product.product"].create(
            {"name": "Inspected Pump", "is_storable": True, "categ_id": cls.categ.id}
        )
        cls.qc_product2 = cls.env["product.product"].create(
            {"name": "Inspected Valve", "is_storable": True, "categ_id": cls.categ.id}
        )
        cls.lot_product = cls.env["product.product"].create(
            {
                "name": "Inspected Gauge (lots)",
                "is_storable": True,
                "tracking": "lot",
                "sg_inspection_policy": "always",
                "sg_sample_mode": "fixed",
                "sg_sample_size": 2,
            }
        )
        cls.Inspection = cls.env["sale.governance.inspection"]

    @classmethod
    def _receipt(cls, lines, user=None, confirm=True, partner=None):
        """A receipt of ``lines`` [(product, qty)] from the vendor, confirmed
        (ready)."""
        picking = cls.env["stock.picking"].create(
            {
                "partner_id": (partner or cls.vendor).id,
                "picking_type_id": cls.receipt_type.id,
                "location_id": cls.supplier_location.id,
                "location_dest_id": cls.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom": product.uom_id.id,
                            "product_uom_qty": qty,
                            "location_id": cls.supplier_location.id,
                            "location_dest_id": cls.stock_location.id,
                        }
                    )
                    for product, qty in lines
                ],
            }
        )
        if confirm:
            picking.with_user(user or cls.env.user).action_confirm()
        return picking

    def _record(
        self, inspection, accepted, rejected, value=10.0, check="pass", user=None
    ):
        """Record the result as a quality inspector."""
        inspection = inspection.with_user(user or self.qc_inspector)
        for line in inspection.line_ids:
            if line.kind == "measure":
                line.value = value
            else:
                line.result = check
        inspection.write({"qty_accepted": accepted, "qty_rejected": rejected})
        inspection.action_done()
        return inspection.with_user(self.env.user)

    def _qty(self, product, location, lot=None):
        domain = [("product_id", "=", product.id), ("location_id", "=", location.id)]
        if lot:
            domain.append(("lot_id.name", "=", lot))
        return sum(self.env["stock.quant"].search(domain).mapped("quantity"))

    def _assert_internal_transfer_refused(self, source, qty, name):
        """A warehouse user's internal transfer of ``qty`` out of ``source``
        (quarantine, awaiting inspection) is refused, with the context keys an attacker
        would send."""
        transfer = (
            self.env["stock.picking"]
            .with_user(self.warehouse_user)
            .create(
                {
                    "picking_type_id": self.warehouse.int_type_id.id,
                    "location_id": source.id,
                    "location_dest_id": self.stock_location.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": name,
                                "product_id": self.qc_product.id,
                                "product_uom_qty": qty,
                                "location_id": source.id,
                                "location_dest_id": self.stock_location.id,
                            }
                        )
                    ],
                }
            )
        )
        transfer.action_confirm()
        transfer.action_assign()
        with self.assertRefused(
            UserError, "only through a quality inspector's decision"
        ):
            transfer.with_user(self.warehouse_user).with_context(
                **ATTACK_CONTEXT
            ).button_validate()
        self.assertNotEqual(transfer.state, "done")

    def _validate(self, picking, user=None):
        """Validate as the warehouse user; answer the backorder wizard with 'create
        backorder'."""
        res = picking.with_user(user or self.warehouse_user).button_validate()
        if (
            isinstance(res, dict)
            and res.get("res_model") == "stock.backorder.confirmation"
        ):
            wizard = (
                self.env["stock.backorder.confirmation"]
                .with_user(user or self.warehouse_user)
                .with_context(**res["context"])
                .create({"pick_ids": [Command.set(picking.ids)]})
            )
            wizard.process()
        return res
