from odoo import api, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    sg_quarantine_location_id = fields.Many2one(
        "stock.location",
        string="Quarantine Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where rejected goods go. Outside the stock location, so that they are "
        "never reserved for deliveries.",
    )
    sg_awaiting_location_id = fields.Many2one(
        "stock.location",
        string="Awaiting Inspection Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where finished goods of production receipts wait for the joint "
        "inspection group's result. Outside the stock location: never reserved for "
        "deliveries.",
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
        if vals.get("sg_awaiting_location_id"):
            self.sg_awaiting_location_id.sudo().sg_is_awaiting = True
        return res

    @api.model
    def _sg_ensure_quarantine_locations(self):
        """Install: every warehouse without a quarantine / awaiting location gets
        one."""
        self.with_context(active_test=False).search(
            [
                "|",
                ("sg_quarantine_location_id", "=", False),
                ("sg_awaiting_location_id", "=", False),
            ]
        )._sg_create_quarantine_location()

    def _sg_create_quarantine_location(self):
        Location = self.env["stock.location"].sudo()
        for field, flag, name in (
            ("sg_quarantine_location_id", "sg_is_quarantine", self.env._("Quarantine")),
            (
                "sg_awaiting_location_id",
                "sg_is_awaiting",
                self.env._("Awaiting Inspection"),
            ),
        ):
            todo = self.filtered(lambda w, f=field: not w[f])
            if not todo:
                continue
            locations = Location.create(
                [
                    {
                        "name": name,
                        "usage": "internal",
                        "location_id": warehouse.view_location_id.id,
                        "company_id": warehouse.company_id.id,
                        flag: True,
                    }
                    for warehouse in todo
                ]
            )
            for warehouse, location in zip(todo, locations, strict=False):
                warehouse[field] = location
