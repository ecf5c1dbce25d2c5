from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _sg_loading_limit(self):
        """What each picking of ``self`` may load and ship now under the sales policy.

        Returns ``{picking_id: None | {"quantities": {product_id: qty}, "amount": float | None,
        "currency": res.currency}}``: ``None`` when the picking ships nothing of an order under the
        policy; otherwise the quantity of each product allowed to leave now (in the product's
        unit of measure) and the value allowed (``None`` when only quantities limit it), in
        ``currency``. Features that gate deliveries override it (the credit feature answers from
        its delivery gate); the dispatch chain asks it before loading.
        """
        return dict.fromkeys(self.ids)
