"""18.0.1.1.0: the views of the addon are recreated from their files.

Several views referred to the former approval columns (``approval_group_l1_id`` ...,
``approval_threshold_l1`` ..., the approval step's ``level``). Odoo validates a view
together with the views that inherit it, so an old child view would make the new parent
fail to load: the addon's own views are dropped here and loaded again from the module's
files.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        SELECT res_id FROM ir_model_data
         WHERE module = 'sale_governance' AND model = 'ir.ui.view'
    """)
    view_ids = tuple(row[0] for row in cr.fetchall())
    if not view_ids:
        return
    cr.execute("DELETE FROM ir_ui_view WHERE id IN %s", [view_ids])
    cr.execute("""
        DELETE FROM ir_model_data
         WHERE module = 'sale_governance' AND model = 'ir.ui.view'
    """)
