"""18.0.1.1.0: approval levels become records (``sale.governance.approval.level``).

The former settings (one approver group and one threshold per level in columns of
``res_company``; the conditions applied to level 1) become three level records per
company, and each approval step of the trail is linked to its level.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

DEFAULTS = (
    (1, 10, "Sales Department", "sale_governance.group_sales_manager"),
    (
        2,
        20,
        "Business Management Department",
        "sale_governance.group_business_reviewer",
    ),
    (3, 30, "Executive in Charge", "sale_governance.group_executive"),
)


def _columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return {row[0] for row in cr.fetchall()}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Level = env["sale.governance.approval.level"].with_context(active_test=False)
    company_columns = _columns(cr, "res_company")
    levels_by_company = {}
    for company in env["res.company"].with_context(active_test=False).search([]):
        existing = Level.search([("company_id", "=", company.id)])
        if existing:
            levels_by_company[company.id] = {
                index: level
                for index, level in enumerate(existing.sorted("sequence"), start=1)
            }
            continue
        vals_list = []
        previous = 0.0
        for index, sequence, name, xmlid in DEFAULTS:
            group_id = threshold = None
            group_column = f"approval_group_l{index}_id"
            threshold_column = f"approval_threshold_l{index}"
            if group_column in company_columns:
                cr.execute(
                    f"SELECT {group_column} FROM res_company WHERE id = %s",  # pylint: disable=sql-injection
                    [company.id],
                )
                group_id = cr.fetchone()[0]
            if threshold_column in company_columns:
                cr.execute(
                    f"SELECT {threshold_column} FROM res_company WHERE id = %s",  # pylint: disable=sql-injection
                    [company.id],
                )
                threshold = cr.fetchone()[0]
            group_id = group_id or env.ref(xmlid).id
            # Thresholds may not decrease along the sequence any more: keep the order's
            # meaning.
            threshold = max(float(threshold or 0.0), previous)
            previous = threshold
            vals_list.append(
                {
                    "company_id": company.id,
                    "sequence": sequence,
                    "name": name,
                    "group_id": group_id,
                    "amount_threshold": threshold,
                    "condition_discount": index == 1,
                    "condition_pricelist": index == 1,
                    "condition_payment_term": index == 1,
                }
            )
        levels = Level.create(vals_list)
        levels_by_company[company.id] = dict(enumerate(levels, start=1))
        _logger.info(
            "Company %s: %s approval levels created from the settings.",
            company.name,
            len(levels),
        )

    # The trail: each step gets its level (the former selection held "1", "2", "3").
    if "level" in _columns(cr, "sale_governance_approval"):
        cr.execute("""
            SELECT a.id, a.level, so.company_id
              FROM sale_governance_approval a
              JOIN sale_order so ON so.id = a.order_id
             WHERE a.level_id IS NULL
        """)
        for approval_id, old_level, company_id in cr.fetchall():
            level = levels_by_company.get(company_id, {}).get(int(old_level or 1))
            if not level:
                continue
            cr.execute(
                """UPDATE sale_governance_approval
                      SET level_id = %s, sequence = %s, level_name = %s
                    WHERE id = %s""",
                [level.id, level.sequence, level.name, approval_id],
            )

    # Approvals in progress are bound to the content they were given for from now on.
    orders = env["sale.order"].search(
        [
            ("approval_state", "in", ("waiting", "approved")),
            ("state", "in", ("draft", "sent")),
            ("approval_snapshot", "=", False),
        ]
    )
    for order in orders:
        order._sg_protected_write({"approval_snapshot": order._approval_fingerprint()})
