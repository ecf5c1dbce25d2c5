def pre_init_hook(env):
    """Documents that exist before installation keep behaving as before.

    The ``governed`` column is created here and set to FALSE for every existing sale order, so
    that Odoo does not compute it (as TRUE) for them when the field is added. Orders created
    afterwards get it computed from their sales team.
    """
    env.cr.execute("ALTER TABLE sale_order ADD COLUMN IF NOT EXISTS governed BOOLEAN")
    env.cr.execute("UPDATE sale_order SET governed = FALSE WHERE governed IS NULL")


def post_init_hook(env):
    """Companies that existed before installation get the policy's three approval levels."""
    env["res.company"]._sg_install_default_approval_levels()
