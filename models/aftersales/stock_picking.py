from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    service_ticket_id = fields.Many2one(
        "sale.governance.service.ticket",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The after-sales service ticket this return or replacement was created "
        "for.",
    )

    def action_new_service_ticket(self):
        """Open a new service ticket pre-filled from this delivery."""
        self.ensure_one()
        product = self.move_ids.product_id[:1]
        order = self.sale_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.governance.service.ticket",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_picking_id": self.id,
                "default_sale_order_id": order.id,
                "default_product_id": product.id,
                "default_company_id": self.company_id.id,
                "default_invoice_id": order.invoice_ids.filtered(
                    lambda m: m.state == "posted" and m.move_type == "out_invoice"
                )[:1].id,
            },
        }
