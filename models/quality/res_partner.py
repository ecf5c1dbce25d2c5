from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sg_inspection_count = fields.Integer(
        string="Inspections",
        compute="_compute_sg_inspection_pass_rate",
        groups="stock.group_stock_user",
    )
    sg_inspection_pass_rate = fields.Float(
        string="Inspection Pass Rate (%)",
        compute="_compute_sg_inspection_pass_rate",
        groups="stock.group_stock_user",
        help="Share of this vendor's recorded receipt inspections that passed.",
    )

    def _compute_sg_inspection_pass_rate(self):
        stats = {partner.id: [0, 0] for partner in self}
        ids = [pid for pid in self.ids if pid]
        if ids:
            groups = self.env["sale.governance.inspection"]._read_group(
                [
                    ("partner_id", "in", ids),
                    ("state", "=", "done"),
                    ("kind", "=", "receipt"),
                ],
                ["partner_id", "result"],
                ["__count"],
            )
            for partner, result, count in groups:
                stats[partner.id][0] += count
                if result == "pass":
                    stats[partner.id][1] += count
        for partner in self:
            total, passed = stats.get(partner.id, [0, 0])
            partner.sg_inspection_count = total
            partner.sg_inspection_pass_rate = 100.0 * passed / total if total else 0.0

    def action_sg_view_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_governance.sale_governance_inspection_report_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        return action
