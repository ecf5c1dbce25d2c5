from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _sg_loading_limit(self):
        """What the sales policy lets each delivery of ``self`` load now (装车限量).

        Returns ``{picking_id: limit}`` for every picking of ``self``, where ``limit`` is

        - ``None``: the delivery is not governed (no order under the policy, not a delivery to a
          customer, done or cancelled): nothing of the policy's shipping chain applies to it;
        - ``{"quantities": {product_id: quantity allowed now, in the product's UoM},
          "amount": float or None (value in ``currency`` the goods may be worth, tax included;
          None when only quantities bind), "currency": res.currency}``.

        The shared shape lets the delivery notice, the weighbridge re-check and the gate pass
        (feature ``dispatch``) ask the payment terms of the order without knowing them. Overridden
        by the credit feature (approved credit quantities, or the prepaid balance); here, with no
        payment terms known, no delivery is governed.
        """
        return {picking.id: None for picking in self}
