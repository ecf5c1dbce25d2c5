def pre_init_hook(env):
    """Documents that exist before installation keep behaving as before.

    The ``governed`` column is created here and set to FALSE for every existing sale order, so
    that Odoo does not compute it (as TRUE) for them when the field is added. Orders created
    afterwards get it computed from their sales team.
    """
    env.cr.execute("ALTER TABLE sale_order ADD COLUMN IF NOT EXISTS governed BOOLEAN")
    env.cr.execute("UPDATE sale_order SET governed = FALSE WHERE governed IS NULL")


def post_init_hook(env):
    """Companies that existed before installation get the default approver group of each level."""
    companies = env["res.company"].with_context(active_test=False).search([])
    for company in companies:
        vals = {}
        for level in (1, 2, 3):
            field = f"approval_group_l{level}_id"
            if not company[field]:
                vals[field] = company._default_approval_group(level).id
        if vals:
            company.write(vals)
