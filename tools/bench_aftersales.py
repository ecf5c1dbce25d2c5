# After-sales benchmark, run in `odoo-bin shell` (tools/bench.sh): routing a ticket and the
# escalation job over 10,000 open tickets. Everything is rolled back at the end.
import os
import time

N_TICKETS = 10000
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))  # noqa: F821
cr = env.cr
Ticket = env["sale.governance.service.ticket"]
company = env.company


def _backend_cpu():
    """CPU seconds used so far by this cursor's PostgreSQL backend (same machine), else 0."""
    try:
        cr.execute("SELECT pg_backend_pid()")
        with open(f"/proc/{cr.fetchone()[0]}/stat") as stat:
            ticks = stat.read().rsplit(")", 1)[1].split()
        return (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def measure(label, func):
    """Queries, wall time and CPU time (Odoo + its PostgreSQL backend): on a machine shared with
    other runs the wall time mostly measures the others; the CPU time is this job's work."""
    env.flush_all()
    env.invalidate_all()
    start_q, start_t = cr.sql_log_count, time.perf_counter()
    start_cpu, start_pg = time.process_time(), _backend_cpu()
    result = func()
    env.flush_all()
    cpu = time.process_time() - start_cpu
    pg = _backend_cpu() - start_pg
    print(
        f"{label}: {cr.sql_log_count - start_q} queries, {time.perf_counter() - start_t:.2f} s wall,"
        f" {cpu + pg:.2f} s CPU (Odoo {cpu:.2f} + PostgreSQL {pg:.2f})"
    )
    return result


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

# 10,000 open, overdue tickets spread over the teams and their technicians (SQL for speed).
cr.execute(
    """
    INSERT INTO sale_governance_service_ticket
        (reference, name, company_id, partner_id, commercial_partner_id, severity, channel, stage,
         escalation_level, deadline, team_id, technician_id, return_qty, create_uid, write_uid,
         create_date, write_date)
    SELECT 'BENCH/' || g, 'Bench ticket ' || g, %(company)s, %(partner)s, %(partner)s, 'normal',
           'phone', 'in_progress', '0', now() at time zone 'UTC' - interval '2 hours',
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
measure("create + route 1 ticket (10,000 open)", lambda: Ticket.create(dict(vals)))
measure(
    "route 1 ticket (_prepare_routing)", lambda: Ticket._prepare_routing([dict(vals)])
)
measure(
    "route 100 tickets (_prepare_routing)",
    lambda: Ticket._prepare_routing([dict(vals) for _i in range(100)]),
)
measure(
    "create + route 100 tickets (batch)",
    lambda: Ticket.create([dict(vals) for _i in range(100)]),
)

done = measure(
    "escalation job, step 1 (team leaders), 10,000 overdue",
    Ticket._cron_escalate_overdue,
)
print(f"  escalated: {done}")
measure("escalation job, nothing to do", Ticket._cron_escalate_overdue)
cr.execute(
    "UPDATE sale_governance_service_ticket SET deadline = deadline - interval '2 days' WHERE reference LIKE 'BENCH/%%'"
)
done = measure(
    "escalation job, step 2 (sales manager), 10,000 overdue",
    Ticket._cron_escalate_overdue,
)
print(f"  escalated: {done}")
cr.rollback()
