def pre_init_hook(env):
    """Installing changes nothing: everything that exists stays outside the policy.

    The ``governed`` columns are created here and set to FALSE for every existing sale
    order and sales team (the archived eCommerce and point-of-sale teams included), in
    one statement each. A Governance Administrator then puts teams under the policy;
    orders created afterwards take their team's scope when they are created.
    """
    env.cr.execute("ALTER TABLE sale_order ADD COLUMN IF NOT EXISTS governed BOOLEAN")
    env.cr.execute("UPDATE sale_order SET governed = FALSE WHERE governed IS NULL")
    env.cr.execute("ALTER TABLE crm_team ADD COLUMN IF NOT EXISTS governed BOOLEAN")
    env.cr.execute("UPDATE crm_team SET governed = FALSE WHERE governed IS NULL")


def post_init_hook(env):
    """Companies that existed before installation get the policy's three approval
    levels."""
    env["res.company"]._sg_install_default_approval_levels()
