from odoo import fields, models


class IrUiView(models.Model):
    """The ``ka_matrix`` view type: the key-account matrix as a picture, a view of the
    Key Accounts action beside kanban, list and pivot, so that their search applies
    to it (``static/src/key_accounts/ka_matrix.js``)."""

    _inherit = "ir.ui.view"

    type = fields.Selection(
        selection_add=[("ka_matrix", "KA Matrix")], ondelete={"ka_matrix": "cascade"}
    )

    def _get_view_info(self):
        return {"ka_matrix": {"icon": "fa fa-th-large"}} | super()._get_view_info()


class IrActionsActWindowView(models.Model):
    _inherit = "ir.actions.act_window.view"

    view_mode = fields.Selection(
        selection_add=[("ka_matrix", "KA Matrix")], ondelete={"ka_matrix": "cascade"}
    )
