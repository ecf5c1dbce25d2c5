from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    governed = fields.Boolean(
        string="Under Sales Policy",
        compute="_compute_governed",
        store=True,
        index=True,
        copy=False,
        help="Whether the sales management policy applies to this order. Decided by its sales team "
        "when the order is created or moves to another team; orders that existed before the "
        "policy was installed are never governed.",
    )

    @api.depends("team_id")
    def _compute_governed(self):
        for order in self:
            order.governed = order.team_id.governed if order.team_id else True

    def _governed(self):
        """The shared helper every feature uses: the orders of ``self`` under the sales policy."""
        return self.filtered("governed")
