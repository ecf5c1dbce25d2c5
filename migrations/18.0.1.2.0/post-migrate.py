"""18.0.1.2.0: the invoicing clerk and the sales accountant are groups, no longer one
user each.

The credit feature notified one Invoicing Clerk and one Sales Accountant user per
company, chosen in the settings (``res_company.credit_sale_clerk_id`` /
``credit_sale_accountant_id``). Approved credit sales now notify the members of the two
groups of the policy's roles (004 第十二条), so the users chosen before join those
groups and keep receiving their to-dos.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

ROLES = (
    ("credit_sale_clerk_id", "sale_governance.group_invoicing_clerk"),
    ("credit_sale_accountant_id", "sale_governance.group_sales_accountant"),
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = "
        "'res_company'"
    )
    columns = {row[0] for row in cr.fetchall()}
    env = api.Environment(cr, SUPERUSER_ID, {})
    for column, group_xmlid in ROLES:
        if column not in columns:
            continue
        cr.execute(
            SQL(
                "SELECT DISTINCT %(col)s FROM res_company WHERE %(col)s IS NOT NULL",
                col=SQL.identifier(column),
            )
        )
        users = env["res.users"].browse([row[0] for row in cr.fetchall()]).exists()
        if users:
            group = env.ref(group_xmlid)
            group.write({"users": [(4, user.id) for user in users]})
            _logger.info("%s: %s joined %s", column, users.mapped("login"), group.name)
