"""18.0.1.2.0: the credit settings view is recreated from its file.

The view showed the two removed settings (``credit_sale_clerk_id``,
``credit_sale_accountant_id``). Odoo validates a view together with the views that
inherit it, so the old credit view would make the settings form fail to load before the
new one replaces it: it is dropped here and loaded again from the module's files.
"""

VIEW = "res_config_settings_view_form_inherit_sale_governance_credit"


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        DELETE FROM ir_ui_view
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'sale_governance' AND model = 'ir.ui.view'
                         AND name = %s)
        """,
        [VIEW],
    )
    cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE module = 'sale_governance' AND model = 'ir.ui.view' AND name = %s
        """,
        [VIEW],
    )
