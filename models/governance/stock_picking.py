from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        """The stock gates, in one documented order (not the features' import order).

        Every path that validates a transfer (Validate, the backorder wizard, "no
        backorder", RPC) passes here. Each feature adds its gate to
        :meth:`_sg_stock_gates`; the "before" methods run in ascending sequence before
        core's ``_action_done``, the "after" methods in descending sequence after it,
        like nested wrappers (the first gate in is the last out). The sequence (README,
        the map of the house):

        - 10 ``dispatch``: the dispatch gate (a valid delivery notice, the loading
          recorded) before; the gate passes after.
        - 20 ``quality``: finished goods to the location awaiting inspection and
          rejected goods to quarantine before; the inspections' results booked after.
        - 30 ``credit``: the delivery gate (never ship more than approved or paid)
          before.

        A delivery that two gates refuse shows the message of the lower sequence. The
        quality gate of moves (``stock.move._action_done``) and the early check of
        ``button_validate`` are hooked by the quality feature alone.
        """
        gates = sorted(self._sg_stock_gates(), key=lambda gate: gate[0])
        for _sequence, _name, before, _after in gates:
            if before:
                getattr(self, before)()
        result = super()._action_done()
        for _sequence, _name, _before, after in reversed(gates):
            if after:
                getattr(self, after)()
        return result

    def _sg_stock_gates(self):
        """The features' stock gates: a list of ``(sequence, name, before, after)``.

        ``before`` and ``after`` name methods of ``stock.picking`` called without
        arguments on the transfers being validated (or are ``None``). A feature
        overrides this method and appends its entry to ``super()``'s list;
        :meth:`_action_done` sorts them.
        """
        return []

    def _sg_loading_limit(self):
        """What each picking of ``self`` may load and ship now under the sales policy.

        Returns ``{picking_id: None | {"quantities": {product_id: qty},
        "amount": float | None, "currency": res.currency}}``:
        ``None`` when the picking ships nothing of an order under the policy; otherwise
        the quantity of each product allowed to leave now (in the product's unit of
        measure) and the value allowed (``None`` when only quantities limit it), in
        ``currency``. Features that gate deliveries override it (the credit feature
        answers from its delivery gate); the dispatch chain asks it before loading.
        """
        return dict.fromkeys(self.ids)
