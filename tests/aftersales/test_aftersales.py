from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesCase

SERIOUS = "sale_governance.mail_activity_type_service_serious"
ESCALATION = "sale_governance.mail_activity_type_service_escalation"
RESULT = "sale_governance.mail_activity_type_service_result"
FOLLOWUP = "sale_governance.mail_activity_type_service_followup"


@tagged("post_install", "-at_install")
class TestAftersalesRouting(AftersalesCase):
    def test_routing_by_category_and_severity(self):
        ticket = self._ticket()
        self.assertEqual(ticket.team_id, self.team_pumps)
        self.assertEqual(ticket.stage, "assigned")
        self.assertIn(ticket.technician_id, self.team_pumps.member_ids)
        self.assertTrue(ticket.reference.startswith("SR/"))
        serious = self._ticket(severity="serious")
        self.assertEqual(
            serious.team_id, self.team_serious, "the severity rule is more specific"
        )
        self.assertEqual(serious.technician_id, self.tech_support2)
        # A subcategory follows the rule of its parent category.
        self.product.categ_id = self.categ_pumps_big
        self.assertEqual(self._ticket().team_id, self.team_pumps)

    def test_default_team_when_no_rule_matches(self):
        ticket = self._ticket(product_id=self.product_other.id)
        self.assertEqual(ticket.team_id, self.team_default)
        self.assertEqual(ticket.technician_id, self.tech_other)
        no_product = self._ticket(product_id=False)
        self.assertEqual(no_product.team_id, self.team_default)

    def test_no_team_at_all_stays_new(self):
        self.company.aftersales_default_team_id = False
        ticket = self._ticket(product_id=self.product_other.id)
        self.assertFalse(ticket.team_id)
        self.assertFalse(ticket.technician_id)
        self.assertEqual(ticket.stage, "new")

    def test_load_balancing(self):
        first = self._ticket()
        second = self._ticket()
        self.assertEqual(
            first.technician_id | second.technician_id,
            self.tech_support | self.tech_support2,
            "each technician gets one of two tickets",
        )
        # tech_support2 also has a serious ticket: the next two go to tech_support then
        # either.
        self._ticket(severity="serious")
        third = self._ticket()
        self.assertEqual(third.technician_id, self.tech_support)
        # Closed tickets do not count as load.
        batch = self.Ticket.with_user(self.salesman).create(
            [
                {
                    "name": f"Batch {i}",
                    "partner_id": self.customer.id,
                    "product_id": self.product.id,
                }
                for i in range(4)
            ]
        )
        counts = {
            u: len(batch.filtered(lambda t, u=u: t.technician_id == u))
            for u in self.team_pumps.member_ids
        }
        self.assertEqual(counts[self.tech_support], 2)
        self.assertEqual(counts[self.tech_support2], 2)

    def test_deadline_per_severity(self):
        self.company.aftersales_deadline_urgent = 10
        before = fields.Datetime.now()
        ticket = self._ticket(severity="urgent")
        self.assertAlmostEqual(
            (ticket.deadline - before).total_seconds() / 3600, 10, delta=0.1
        )

    def test_contradicting_rules_refused(self):
        with self.assertRaisesRegex(ValidationError, "contradict"):
            self.env["sale.governance.routing.rule"].create(
                {
                    "product_category_id": self.categ_pumps.id,
                    "team_id": self.team_default.id,
                }
            )
        # The same combination to the same team is merely redundant, a more specific one
        # is fine.
        self.env["sale.governance.routing.rule"].create(
            {
                "product_category_id": self.categ_pumps_big.id,
                "team_id": self.team_default.id,
            }
        )
        with self.assertRaises(ValidationError):
            self.rule_serious.severity = False

    def test_routing_query_count_is_bounded(self):
        self._ticket()  # warm the caches
        Ticket = self.Ticket.with_user(self.salesman)
        vals = {
            "name": "Leak",
            "partner_id": self.customer.id,
            "product_id": self.product.id,
        }

        def routing_queries(n):
            vals_list = [dict(vals) for _i in range(n)]
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            Ticket._prepare_routing(vals_list)
            self.assertTrue(all(v["team_id"] == self.team_pumps.id for v in vals_list))
            return self.env.cr.sql_log_count - start

        one, many = routing_queries(1), routing_queries(50)
        self.assertLessEqual(many, one, "routing 50 tickets costs the queries of one")
        self.assertLessEqual(one, 12)
        # Creating a ticket as a whole stays bounded too.
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=60, t_sales_rep=60):
            Ticket.create(dict(vals))


@tagged("post_install", "-at_install")
class TestAftersalesResponsibility(AftersalesCase):
    def test_salesperson_from_order(self):
        order = self._create_order(user=self.salesman2)
        ticket = self._ticket(user=self.salesman2, sale_order_id=order.id)
        self.assertEqual(ticket.salesperson_id, self.salesman2)
        self.assertIn(self.salesman2.partner_id, ticket.message_partner_ids)

    def test_technician_creates_ticket_for_an_order(self):
        order = self._create_order(user=self.salesman2)
        lot = self.env["stock.lot"].create(
            {"name": "SN-1", "product_id": self.product.id}
        )
        ticket = self._ticket(
            user=self.tech_support, sale_order_id=order.id, lot_id=lot.id
        )
        self.assertEqual(ticket.salesperson_id, self.salesman2)
        self.assertEqual(ticket.team_id, self.team_pumps)

    def test_salesperson_from_customer(self):
        contact = self.env["res.partner"].create(
            {"name": "Li Wei", "parent_id": self.customer.id}
        )
        ticket = self._ticket(partner_id=contact.id)
        self.assertEqual(ticket.salesperson_id, self.salesman)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertIn(self.salesman.partner_id, ticket.message_partner_ids)

    def test_serious_ticket_goes_to_executive(self):
        ticket = self._ticket(severity="serious")
        activity = self._activities(ticket, SERIOUS)
        self.assertEqual(activity.user_id, self.executive)
        normal = self._ticket()
        self.assertFalse(self._activities(normal, SERIOUS))
        deadline_before = normal.deadline
        normal.with_user(self.salesman).severity = "serious"
        self.assertEqual(self._activities(normal, SERIOUS).user_id, self.executive)
        self.assertLess(
            normal.deadline, deadline_before, "a serious case has a shorter deadline"
        )
        # Nobody but the team leader moves the deadline.
        with self.assertRaises(AccessError):
            normal.with_user(self.salesman).deadline = deadline_before
        normal.with_user(self.tech_leader).deadline = deadline_before
        self.assertEqual(normal.deadline, deadline_before)

    def test_resolution_feedback(self):
        ticket = self._ticket()
        tech = ticket.technician_id
        ticket.with_user(tech).action_start()
        self.assertEqual(ticket.stage, "in_progress")
        with self.assertRaisesRegex(UserError, "resolution"):
            ticket.with_user(tech).action_resolve()
        self.assertEqual(ticket.stage, "in_progress")
        ticket.with_user(tech).write(
            {"resolution": "<p>Seal replaced</p>", "result": "repaired"}
        )
        ticket.with_user(tech).action_resolve()
        self.assertEqual(ticket.stage, "resolved")
        self.assertTrue(ticket.date_resolved)
        activities = self._activities(ticket, RESULT)
        self.assertEqual(activities.user_id, self.salesman | self.sales_manager)
        message = ticket.message_ids.filtered(
            lambda m: "Seal replaced" in (m.body or "")
        )
        self.assertEqual(
            message.partner_ids, (self.salesman | self.sales_manager).partner_id
        )

    def test_close_and_satisfaction(self):
        ticket = self._ticket()
        tech = ticket.technician_id
        with self.assertRaisesRegex(UserError, "no resolution"):
            ticket.with_user(self.salesman).action_close()
        ticket.with_user(tech).resolution = "<p>Explained the settings</p>"
        with self.assertRaisesRegex(ValidationError, "after the ticket is closed"):
            ticket.with_user(self.salesman).satisfaction_rating = 4
        ticket.with_user(tech).action_close()
        self.assertEqual(ticket.stage, "closed")
        self.assertTrue(
            self._activities(ticket, RESULT),
            "closing directly still reports the result",
        )
        followup = self._activities(ticket, FOLLOWUP)
        self.assertEqual(followup.user_id, self.salesman)
        for bad in (6, -1):
            with self.assertRaisesRegex(ValidationError, "between 1 and 5"):
                ticket.with_user(self.salesman).satisfaction_rating = bad
                ticket.flush_recordset()
        ticket.with_user(self.salesman).write(
            {"satisfaction_rating": 4, "satisfaction_comment": "Quick"}
        )
        self.assertEqual(ticket.satisfaction_rating, 4)
        self.assertFalse(
            followup.exists(), "recording the rating completes the follow-up visit"
        )

    def test_lot_of_another_product_refused(self):
        lot = self.env["stock.lot"].create(
            {"name": "LOT-OTHER", "product_id": self.product_other.id}
        )
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self._ticket(lot_id=lot.id)
        good = self.env["stock.lot"].create(
            {"name": "LOT-OK", "product_id": self.product.id}
        )
        self.assertEqual(self._ticket(lot_id=good.id).lot_id, good)


@tagged("post_install", "-at_install")
class TestAftersalesEscalation(AftersalesCase):
    def _overdue(self, ticket, hours):
        ticket.deadline = fields.Datetime.now() - timedelta(hours=hours)

    def test_deadline_escalation_steps(self):
        ticket = self._ticket()
        fresh = self._ticket()
        self._overdue(ticket, 1)
        self.Ticket._cron_escalate_overdue()
        self.assertEqual(ticket.escalation_level, "1")
        self.assertEqual(self._activities(ticket, ESCALATION).user_id, self.tech_leader)
        self.assertEqual(fresh.escalation_level, "0")
        # Not yet past the second delay: nothing more.
        self.Ticket._cron_escalate_overdue()
        self.assertEqual(len(self._activities(ticket, ESCALATION)), 1)
        self._overdue(ticket, 30)
        self.Ticket._cron_escalate_overdue()
        self.assertEqual(ticket.escalation_level, "2")
        self.assertEqual(
            self._activities(ticket, ESCALATION).user_id,
            self.tech_leader | self.sales_manager,
        )
        # Resolved tickets are never escalated.
        resolved = self._ticket()
        resolved.with_user(resolved.technician_id).resolution = "<p>ok</p>"
        resolved.with_user(resolved.technician_id).action_resolve()
        self._overdue(resolved, 50)
        self.Ticket._cron_escalate_overdue()
        self.assertEqual(resolved.escalation_level, "0")

    def test_leaderless_team_escalates_to_sales_manager(self):
        ticket = self._ticket(product_id=self.product_other.id)
        self.assertEqual(ticket.team_id, self.team_default)
        self._overdue(ticket, 1)
        self.Ticket._cron_escalate_overdue()
        self.assertEqual(ticket.escalation_level, "2")
        self.assertEqual(
            self._activities(ticket, ESCALATION).user_id, self.sales_manager
        )

    def test_escalation_query_count_is_bounded(self):
        def run(n):
            tickets = self.Ticket.create(
                [
                    {
                        "name": f"T{i}",
                        "partner_id": self.customer.id,
                        "product_id": self.product.id,
                    }
                    for i in range(n)
                ]
            )
            tickets.write({"deadline": fields.Datetime.now() - timedelta(hours=1)})
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self.Ticket._cron_escalate_overdue()
            self.env.flush_all()
            count = self.env.cr.sql_log_count - start
            self.assertTrue(all(t.escalation_level == "1" for t in tickets))
            tickets._sg_protected_write({"stage": "closed"})
            return count

        run(3)  # warm-up
        small = run(10)
        big = run(100)
        self.assertLessEqual(
            big, small + 5, "100 overdue tickets cost the same queries as 10"
        )


@tagged("post_install", "-at_install")
class TestAftersalesMail(AftersalesCase):
    def test_email_creates_ticket(self):
        alias_domain = self.env["mail.alias.domain"].search([], limit=1) or self.env[
            "mail.alias.domain"
        ].create({"name": "example.com"})
        self.company.alias_domain_id = alias_domain
        self.team_pumps.write(
            {"alias_name": "service-test", "alias_domain_id": alias_domain.id}
        )
        domain = alias_domain.name
        self.customer.email = "buyer@customer.example.com"
        contact = self.env["res.partner"].create(
            {
                "name": "Buyer",
                "parent_id": self.customer.id,
                "email": "buyer@customer.example.com",
            }
        )
        raw = (
            "From: Buyer <buyer@customer.example.com>\r\n"
            f"To: service-test@{domain}\r\n"
            "Subject: Valve is noisy\r\n"
            "Message-ID: <sg-aftersales-1@customer.example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "The valve makes a loud noise since Monday.\r\n"
        )
        # No fallback model: the ticket can only come from the team's alias.
        thread_id = self.env["mail.thread"].message_process(False, raw)
        ticket = self.Ticket.browse(thread_id)
        self.assertEqual(ticket.name, "Valve is noisy")
        self.assertEqual(ticket.channel, "email")
        self.assertIn(ticket.partner_id, contact | self.customer)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(ticket.salesperson_id, self.salesman)
        self.assertIn("loud noise", ticket.description)
        self.assertEqual(ticket.team_id, self.team_pumps, "the alias decides the team")
        self.assertEqual(
            ticket.technician_id.id in self.team_pumps.member_ids.ids, True
        )

    def test_email_from_unknown_sender(self):
        raw = (
            "From: Someone <someone@unknown.example.com>\r\n"
            "To: nobody@example.com\r\n"
            "Subject: Broken pump\r\n"
            "Message-ID: <sg-aftersales-2@unknown.example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Help\r\n"
        )
        thread_id = self.env["mail.thread"].message_process(
            "sale.governance.service.ticket", raw
        )
        ticket = self.Ticket.browse(thread_id)
        self.assertEqual(ticket.partner_id.email, "someone@unknown.example.com")


@tagged("post_install", "-at_install")
class TestAftersalesReturns(AftersalesCase):
    def test_return_from_ticket(self):
        order, delivery = self._delivered_order()
        ticket = self._ticket(sale_order_id=order.id)
        tech = ticket.technician_id
        with self.assertRaisesRegex(UserError, "verify the product"):
            ticket.with_user(tech).action_create_return()
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech_other).action_verify_product()
        ticket.with_user(tech).action_verify_product()
        self.assertTrue(ticket.product_verified)
        ticket.with_user(tech).action_create_return()
        ret = ticket.picking_ids
        self.assertEqual(len(ret), 1)
        self.assertEqual(ret.return_id, delivery)
        self.assertEqual(ret.picking_type_code, "incoming")
        self.assertEqual(ret.move_ids.product_uom_qty, 1.0)
        self.assertEqual(ticket.result, "returned")

    def test_exchange_from_ticket(self):
        order, delivery = self._delivered_order()
        ticket = self._ticket(sale_order_id=order.id)
        tech = ticket.technician_id
        ticket.with_user(tech).action_verify_product()
        ticket.with_user(tech).action_create_exchange()
        codes = sorted(ticket.picking_ids.mapped("picking_type_code"))
        self.assertEqual(
            codes, ["incoming", "outgoing"], "a return and a replacement delivery"
        )
        self.assertEqual(ticket.result, "replaced")

    def test_no_delivery_refused(self):
        ticket = self._ticket()
        ticket.with_user(ticket.technician_id).action_verify_product()
        with self.assertRaisesRegex(UserError, "no done delivery"):
            ticket.with_user(ticket.technician_id).action_create_return()

    def test_prefill_from_order_and_delivery(self):
        order, delivery = self._delivered_order()
        action = order.action_view_service_tickets()
        form = Form(
            self.Ticket.with_user(self.salesman).with_context(**action["context"])
        )
        form.name = "From the order"
        ticket = form.save()
        self.assertEqual(ticket.sale_order_id, order)
        self.assertEqual(ticket.picking_id, delivery)
        self.assertEqual(ticket.product_id, self.product)
        self.assertEqual(order.service_ticket_count, 1)
        self.assertEqual(self.customer.service_ticket_count, 1)
        ctx = delivery.action_new_service_ticket()["context"]
        self.assertEqual(ctx["default_sale_order_id"], order.id)


@tagged("post_install", "-at_install")
class TestAftersalesAccess(AftersalesCase):
    def test_forms_open_for_each_role(self):
        order, _delivery = self._delivered_order()
        ticket = self._ticket(sale_order_id=order.id)
        tech = ticket.technician_id
        ticket.with_user(tech).action_verify_product()
        ticket.with_user(tech).action_create_return()
        for user in (
            self.salesman,
            tech,
            self.tech_leader,
            self.sales_manager,
            self.executive,
        ):
            form = Form(ticket.with_user(user))
            self.assertEqual(form.picking_count, 1)
            self.assertEqual(form.sale_order_id, order)
        with Form(self.Ticket.with_user(tech)) as new:
            new.name = "Phoned in"
            new.partner_id = self.customer
            new.product_id = self.product
        self.assertEqual(new.record.salesperson_id, self.salesman)

    def test_stage_not_writable_directly(self):
        ticket = self._ticket()
        for user in (self.salesman, ticket.technician_id, self.sales_manager):
            with self.assertRaisesRegex(UserError, "buttons"):
                ticket.with_user(user).write({"stage": "closed"})
        self.assertEqual(ticket.stage, "assigned")

    def test_salesperson_sees_only_own_customers_tickets(self):
        ticket = self._ticket()
        self.assertEqual(
            self.Ticket.with_user(self.salesman).search([("id", "=", ticket.id)]),
            ticket,
        )
        self.assertFalse(
            self.Ticket.with_user(self.salesman2).search([("id", "=", ticket.id)])
        )
        with self.assertRaises(AccessError):
            ticket.with_user(self.salesman2).read(["name"])
        with self.assertRaises(AccessError):
            ticket.with_user(self.salesman).unlink()

    def test_technicians_work_their_teams_tickets(self):
        ticket = self._ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech_other).read(["name"])
        with self.assertRaises(AccessError):
            ticket.with_user(self.salesman).action_start()
        other = (
            self.tech_support2
            if ticket.technician_id == self.tech_support
            else self.tech_support
        )
        # A technician cannot reassign, the team leader can.
        with self.assertRaises(AccessError):
            ticket.with_user(ticket.technician_id).technician_id = other
        ticket.with_user(self.tech_leader).technician_id = other
        self.assertEqual(ticket.technician_id, other)
        # Moving it to another team hands it to that team's technician.
        ticket.with_user(self.tech_leader).team_id = self.team_serious
        self.assertEqual(ticket.technician_id, self.tech_support2)
        with self.assertRaises(AccessError):
            ticket.with_user(self.salesman).action_cancel()
        ticket.with_user(self.tech_leader).action_cancel()
        self.assertEqual(ticket.stage, "cancelled")

    def test_serious_tickets_only_for_executive(self):
        serious = self._ticket(
            user=self.salesman2,
            severity="serious",
            partner_id=self.env["res.partner"].create({"name": "Other Co"}).id,
        )
        normal = self._ticket(user=self.salesman2, partner_id=serious.partner_id.id)
        self.assertEqual(
            self.Ticket.with_user(self.biz_reviewer).search(
                [("id", "in", (serious | normal).ids)]
            ),
            normal,
        )
        self.assertEqual(
            self.Ticket.with_user(self.executive).search(
                [("id", "in", (serious | normal).ids)]
            ),
            serious | normal,
        )

    def test_configuration_for_admins_only(self):
        with self.assertRaises(AccessError):
            self.env["sale.governance.routing.rule"].with_user(
                self.sales_manager
            ).create({"severity": "urgent", "team_id": self.team_pumps.id})
        with self.assertRaises(AccessError):
            self.team_pumps.with_user(self.tech_leader).name = "Renamed"
        rule = (
            self.env["sale.governance.routing.rule"]
            .with_user(self.gov_admin)
            .create({"severity": "urgent", "team_id": self.team_pumps.id})
        )
        self.assertTrue(rule.exists())

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        foreign = self.Ticket.create(
            {"name": "Elsewhere", "company_id": other_company.id}
        )
        self.assertFalse(
            self.Ticket.with_user(self.executive).search([("id", "=", foreign.id)])
        )


@tagged("post_install", "-at_install")
class TestAftersalesSettings(AftersalesCase):
    def test_settings_write_the_company(self):
        settings = (
            self.env["res.config.settings"]
            .with_user(self.gov_admin)
            .create(
                {
                    "aftersales_default_team_id": self.team_pumps.id,
                    "aftersales_deadline_serious": 4.0,
                    "aftersales_alias_name": "after-sales-settings",
                }
            )
        )
        settings.execute()
        self.assertEqual(self.company.aftersales_default_team_id, self.team_pumps)
        self.assertEqual(self.company.aftersales_deadline_serious, 4.0)
        self.assertEqual(self.team_pumps.alias_name, "after-sales-settings")

    def test_non_positive_deadline_refused(self):
        with self.assertRaisesRegex(ValidationError, "positive"):
            self.company.aftersales_deadline_normal = 0
