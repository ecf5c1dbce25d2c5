# After-sales benchmark, run in `odoo-bin shell` (tools/bench.sh): routing a ticket and
# the escalation job over 10,000 open tickets. Everything is rolled back at the end.
import os

from odoo.addons.sale_governance.tools.bench_common import report

# SG_BENCH_TICKETS: fewer tickets for a quick check of the script.
N_TICKETS = int(os.environ.get("SG_BENCH_TICKETS", "10000"))
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))  # noqa: F821
cr = env.cr
Ticket = env["sale.governance.service.ticket"]
company = env.company


tech_group = env.ref("sale_governance.group_technical_support")
users = env["res.users"].create(
    [
        {
            "name": f"Bench Tech {i}",
            "login": f"bench_tech_{i}",
            "groups_id": [(6, 0, tech_group.ids)],
        }
        for i in range(25)
    ]
)
categories = env["product.category"].create(
    [{"name": f"Bench Categ {i}"} for i in range(5)]
)
teams = env["sale.governance.technical.team"].create(
    [
        {
            "name": f"Bench Team {i}",
            "leader_id": users[i * 5].id,
            "member_ids": [(6, 0, users[i * 5 : (i + 1) * 5].ids)],
        }
        for i in range(5)
    ]
)
company.aftersales_default_team_id = teams[0]
env["sale.governance.routing.rule"].create(
    [
        {"product_category_id": categ.id, "team_id": team.id}
        for categ, team in zip(categories, teams, strict=False)
    ]
)
product = env["product.product"].create(
    {"name": "Bench Pump", "categ_id": categories[2].id}
)
partner = env["res.partner"].create({"name": "Bench Customer", "user_id": env.uid})
env.flush_all()

# 10,000 open, overdue tickets spread over the teams and their technicians (SQL for
# speed).
cr.execute(
    """
    INSERT INTO sale_governance_service_ticket
        (reference, name, company_id, partner_id, commercial_partner_id, severity,
         channel, stage, escalation_level, deadline, team_id, technician_id, return_qty,
         create_uid, write_uid, create_date, write_date)
    SELECT 'BENCH/' || g, 'Bench ticket ' || g, %(company)s, %(partner)s, %(partner)s,
           'normal', 'phone', 'in_progress', '0',
           now() at time zone 'UTC' - interval '2 hours',
           (%(teams)s)[1 + g %% 5], (%(users)s)[1 + g %% 25], 1, %(uid)s, %(uid)s,
           now() at time zone 'UTC' - interval '3 days', now() at time zone 'UTC'
      FROM generate_series(1, %(n)s) g
    """,
    {
        "company": company.id,
        "partner": partner.id,
        "teams": teams.ids,
        "users": users.ids,
        "uid": env.uid,
        "n": N_TICKETS,
    },
)
print(f"{N_TICKETS} open tickets inserted")

vals = {"name": "Bench leak", "partner_id": partner.id, "product_id": product.id}
report(
    env,
    f"create + route 1 ticket ({N_TICKETS:,} open)",
    lambda: Ticket.create(dict(vals)),
    cpu=True,
)
report(
    env,
    "route 1 ticket (_prepare_routing)",
    lambda: Ticket._prepare_routing([dict(vals)]),
    cpu=True,
)
report(
    env,
    "route 100 tickets (_prepare_routing)",
    lambda: Ticket._prepare_routing([dict(vals) for _i in range(100)]),
    cpu=True,
)
report(
    env,
    "create + route 100 tickets (batch)",
    lambda: Ticket.create([dict(vals) for _i in range(100)]),
    cpu=True,
)

done = report(
    env,
    f"escalation job, step 1 (team leaders), {N_TICKETS:,} overdue",
    Ticket._cron_escalate_overdue,
    cpu=True,
)
print(f"  escalated: {done}")
report(env, "escalation job, nothing to do", Ticket._cron_escalate_overdue, cpu=True)
cr.execute(
    "UPDATE sale_governance_service_ticket SET deadline = deadline - interval '2 "
    "days' WHERE reference LIKE 'BENCH/%%'"
)
done = report(
    env,
    f"escalation job, step 2 (sales manager), {N_TICKETS:,} overdue",
    Ticket._cron_escalate_overdue,
    cpu=True,
)
print(f"  escalated: {done}")
cr.rollback()
