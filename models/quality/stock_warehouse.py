from odoo import api, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    sg_quarantine_location_id = fields.Many2one(
        "stock.location",
        string="Quarantine Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where rejected goods go. Outside the stock location, so that they are never reserved "
        "for deliveries.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        warehouses._sg_create_quarantine_location()
        return warehouses

    def write(self, vals):
        res = super().write(vals)
        if vals.get("sg_quarantine_location_id"):
            self.sg_quarantine_location_id.sudo().sg_is_quarantine = True
        return res

    @api.model
    def _sg_ensure_quarantine_locations(self):
        """Install: every warehouse without a quarantine location gets one."""
        self.with_context(active_test=False).search(
            [("sg_quarantine_location_id", "=", False)]
        )._sg_create_quarantine_location()

    def _sg_create_quarantine_location(self):
        todo = self.filtered(lambda w: not w.sg_quarantine_location_id)
        if not todo:
            return
        locations = self.env["stock.location"].create(
            [
                {
                    "name": self.env._("Quarantine"),
                    "usage": "internal",
                    "location_id": warehouse.view_location_id.id,
                    "company_id": warehouse.company_id.id,
                    "sg_is_quarantine": True,
                }
                for warehouse in todo
            ]
        )
        for warehouse, location in zip(todo, locations):
            warehouse.sg_quarantine_location_id = location
