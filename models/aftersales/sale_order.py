from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    service_ticket_ids = fields.One2many(
        "sale.governance.service.ticket", "sale_order_id", string="Service Tickets"
    )
    service_ticket_count = fields.Integer(compute="_compute_service_ticket_count")

    def _compute_service_ticket_count(self):
        counts = dict(
            self.env["sale.governance.service.ticket"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.service_ticket_count = counts.get(order, 0)

    def action_view_service_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_governance.sale_governance_service_ticket_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        delivery = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )[:1]
        action["context"] = {
            "default_sale_order_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
            "default_picking_id": delivery.id,
            "default_product_id": self.order_line.product_id.filtered(
                lambda p: p.type == "consu"
            )[:1].id,
            "default_invoice_id": self.invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            )[:1].id,
        }
        return action
