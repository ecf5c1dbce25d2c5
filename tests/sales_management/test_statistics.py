from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import SalesManagementCase, add_months


@tagged("post_install", "-at_install")
class TestSalesStatistics(SalesManagementCase):
    """Last month (M, complete) and the month before (M-1) with hand-computed
    figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.M = cls.last_month
        cls.M1 = add_months(cls.M, -1)
        cls.Stats = cls.env["sale.governance.statistics"]
        d = cls._day
        cls.o1 = cls._sell(cls.salesman, 1000.0, d(cls.M, 3))
        cls.o2 = cls._sell(cls.salesman, 500.0, d(cls.M, 20))
        cls.o3 = cls._sell(cls.salesman2, 300.0, d(cls.M, 5), partner=cls.customer2)
        cls.o0 = cls._sell(cls.salesman, 800.0, d(cls.M1, 10))
        # quotations were made in M (creation dates)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE sale_order SET create_date = date_order WHERE id = ANY(%s)",
            [[cls.o0.id, cls.o1.id, cls.o2.id, cls.o3.id]],
        )
        cls.env.invalidate_all()
        Target = cls.env["sale.governance.sales.target"]
        Target.create(
            {
                "user_id": cls.salesman.id,
                "team_id": cls.team.id,
                "month": cls.M,
                "amount_sales": 1200.0,
            }
        )
        Target.create(
            {
                "user_id": cls.salesman2.id,
                "team_id": cls.team.id,
                "month": cls.M,
                "amount_sales": 250.0,
            }
        )
        Log = cls.env["sale.governance.visit.log"]
        for user, partner, day in (
            (cls.salesman, cls.customer, 4),
            (cls.salesman, cls.customer, 21),
            (cls.salesman2, cls.customer2, 6),
        ):
            Log.create(
                {
                    "user_id": user.id,
                    "partner_id": partner.id,
                    "purpose": "Visit",
                    "visit_datetime": fields.Datetime.to_datetime(d(cls.M, day))
                    + timedelta(hours=9),
                }
            )

    def _rows(self, **kw):
        rows = self.Stats._salesperson_rows(
            self.company, self.M, add_months(self.M, 1), **kw
        )
        return {r["user"]: r for r in rows}

    def test_monthly_statistics_per_salesperson(self):
        rows = self._rows(team=self.team)
        s1, s2 = rows[self.salesman], rows[self.salesman2]
        self.assertAlmostEqual(s1["target"], 1200.0)
        self.assertAlmostEqual(s1["actual"], 1500.0)
        self.assertAlmostEqual(s1["achievement"], 125.0)
        self.assertAlmostEqual(s1["previous"], 800.0)
        self.assertAlmostEqual(s1["growth"], 87.5)
        self.assertEqual(s1["new_customers"], 0)  # the customer first ordered in M-1
        self.assertEqual(s1["visits"], 2)
        self.assertEqual(s1["quotations"], 2)
        self.assertEqual(s1["orders_won"], 2)
        self.assertAlmostEqual(s2["achievement"], 120.0)
        self.assertEqual(s2["new_customers"], 1)
        self.assertEqual(s2["visits"], 1)
        self.assertEqual((s2["quotations"], s2["orders_won"]), (1, 1))
        # the team leader has no figures but belongs to the team's table
        self.assertEqual(rows[self.sales_manager]["actual"], 0.0)

    def test_weekly_target_is_pro_rata(self):
        start = self._day(self.M, 1)
        rows = {
            r["user"]: r
            for r in self.Stats._salesperson_rows(
                self.company, start, start + timedelta(days=7), team=self.team
            )
        }
        days = (add_months(self.M, 1) - self.M).days
        self.assertAlmostEqual(rows[self.salesman]["target"], 1200.0 * 7 / days)
        self.assertAlmostEqual(rows[self.salesman]["actual"], 1000.0)
        self.assertAlmostEqual(rows[self.salesman2]["actual"], 300.0)

    def test_statistics_query_count_5_vs_50_salespeople(self):
        def add_salespeople(count, prefix):
            users = self.env["res.users"]
            for i in range(count):
                users |= new_test_user(
                    self.env,
                    login=f"{prefix}{i}",
                    groups="base.group_user,sales_team.group_sale_salesman",
                )
            orders = self.env["sale.order"].create(
                [
                    {
                        "partner_id": self.customer.id,
                        "user_id": user.id,
                        "team_id": self.team.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": self.service.id,
                                    "price_unit": 10.0,
                                    "tax_id": False,
                                }
                            )
                        ],
                    }
                    for user in users
                ]
            )
            orders.action_confirm()
            orders.write(
                {"date_order": fields.Datetime.to_datetime(self._day(self.M, 8))}
            )
            self.env["sale.governance.sales.target"].create(
                [
                    {
                        "user_id": user.id,
                        "team_id": self.team.id,
                        "month": self.M,
                        "amount_sales": 5.0,
                    }
                    for user in users
                ]
            )
            self.env["sale.governance.visit.log"].create(
                [
                    {
                        "user_id": user.id,
                        "partner_id": self.customer.id,
                        "purpose": "Visit",
                        "visit_datetime": fields.Datetime.to_datetime(
                            self._day(self.M, 9)
                        ),
                    }
                    for user in users
                ]
            )
            return users

        add_salespeople(5, "stat_small_")
        with self.count_queries() as small:
            rows = self.Stats._salesperson_rows(
                self.company, self.M, add_months(self.M, 1)
            )
        small_rows = len(rows)
        with self.count_queries() as team_small:
            self.Stats._salesperson_rows(
                self.company, self.M, add_months(self.M, 1), team=self.team
            )
        add_salespeople(45, "stat_large_")
        with self.count_queries() as large:
            rows = self.Stats._salesperson_rows(
                self.company, self.M, add_months(self.M, 1)
            )
        self.assertEqual(len(rows), small_rows + 45)
        self.assertEqual(small.count, large.count)
        # the digest's figures (one team) too
        with self.count_queries() as team_large:
            self.Stats._salesperson_rows(
                self.company, self.M, add_months(self.M, 1), team=self.team
            )
        self.assertEqual(team_small.count, team_large.count)

    def test_trend(self):
        trend = self.Stats._trend(self.company, self.M, self.team)
        self.assertEqual(len(trend), 12)
        self.assertEqual(trend[-1]["month"], self.M)
        self.assertAlmostEqual(trend[-1]["actual"], 1800.0)
        self.assertAlmostEqual(trend[-1]["target"], 1450.0)
        self.assertAlmostEqual(trend[-2]["actual"], 800.0)
        svg = self.Stats._svg_line(
            [t["month"] for t in trend],
            [("Sales", "#000", [t["actual"] for t in trend])],
        )
        self.assertIn("<polyline", svg)

    def test_collection_rate_and_ageing(self):
        d = self._day
        self._invoice(
            self.salesman,
            1000.0,
            d(self.M, 1),
            due=d(self.M, 10),
            pay=600.0,
            pay_day=d(self.M, 12),
        )
        self._invoice(
            self.salesman2,
            400.0,
            d(self.M, 1),
            partner=self.customer2,
            due=d(self.M, 15),
        )
        self._invoice(
            self.salesman,
            200.0,
            d(self.M1, 1) - timedelta(days=20),
            due=d(self.M1, 1) - timedelta(days=20),
        )
        rows = {
            (r["user_id"], r["partner_id"]): r
            for r in self.Stats._collection_rows(
                self.company, self.M, add_months(self.M, 1)
            )
        }
        r1 = rows[(self.salesman.id, self.customer.id)]
        self.assertAlmostEqual(r1["due"], 1000.0)
        self.assertAlmostEqual(r1["collected"], 600.0)
        self.assertAlmostEqual(r1["rate"], 60.0)
        self.assertAlmostEqual(r1["1_30"], 400.0)
        self.assertAlmostEqual(r1["31_60"] + r1["61_90"], 200.0)
        self.assertAlmostEqual(r1["overdue"], 600.0)
        r2 = rows[(self.salesman2.id, self.customer2.id)]
        self.assertAlmostEqual(r2["rate"], 0.0)
        self.assertAlmostEqual(r2["1_30"], 400.0)
        # the same figures through the report wizard (PDF data) and the pivot lines
        report = (
            self.env["sale.governance.statistics.report"]
            .with_user(self.sales_manager)
            .create(
                {
                    "report_type": "collection",
                    "period_type": "custom",
                    "date_from": self.M,
                    "team_id": self.team.id,
                    "date_to": add_months(self.M, 1) - timedelta(days=1),
                }
            )
        )
        data = report._report_data()
        self.assertAlmostEqual(data["totals"]["due"], 1400.0)
        self.assertAlmostEqual(data["totals"]["collected"], 600.0)
        self.assertAlmostEqual(data["totals"]["rate"], 600.0 / 14.0)
        action = report.action_analysis()
        lines = self.env["sale.governance.statistics.line"].search(action["domain"])
        self.assertAlmostEqual(sum(lines.mapped("collected")), 600.0)

    def test_reseller_summary(self):
        self.customer2.sg_reseller = True
        self._sell(self.salesman2, 200.0, self._day(self.M1, 3), partner=self.customer2)
        rows = [
            r
            for r in self.Stats._reseller_rows(self.company, self.M)
            if r["partner_id"] == self.customer2.id
        ]
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row["partner_id"], self.customer2.id)
        self.assertEqual(row["product_id"], self.service.id)
        self.assertAlmostEqual(row["qty"], 1.0)
        self.assertAlmostEqual(row["amount"], 300.0)
        self.assertAlmostEqual(row["prev_amount"], 200.0)
        self.assertAlmostEqual(row["growth"], 50.0)

    def test_daily_statistics(self):
        today = self.today
        self._customer_payment(1000.0)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "team_id": self.team.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "price_unit": 100.0,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product, order.warehouse_id.lot_stock_id, 10.0
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 2.0
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        invoice = order._create_invoices()
        invoice.invoice_date = today
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 150.0, "payment_date": today}).action_create_payments()
        by_day, by_category = self.Stats._daily_rows(
            self.company, today, today + timedelta(days=1)
        )
        row = [
            r for r in by_day if r["user_id"] == self.salesman.id and r["day"] == today
        ]
        self.assertEqual(len(row), 1)
        self.assertAlmostEqual(row[0]["confirmed"], 200.0)
        self.assertAlmostEqual(row[0]["delivered"], 200.0)
        self.assertAlmostEqual(row[0]["invoiced"], 200.0)
        self.assertAlmostEqual(row[0]["collected"], 150.0)
        categ = [c for c in by_category if c["categ_id"] == self.product.categ_id.id]
        self.assertAlmostEqual(categ[0]["confirmed"], 200.0)
        self.assertAlmostEqual(categ[0]["delivered"], 200.0)

    def test_pdf_renders_with_charts(self):
        report, html = self._month_report_html("sales")
        self.assertIn("<svg", html)
        self.assertIn(self.salesman.name, html)
        for report_type in ("daily", "collection", "reseller"):
            report.report_type = report_type
            self.env["ir.actions.report"].with_user(
                self.sales_manager
            )._render_qweb_html(
                "sale_governance.action_report_sg_statistics", report.ids
            )
        with self.assertRefused(UserError, "sales managers"):
            report.with_user(self.salesman).action_print()

    def test_digest_recipients(self):
        ungoverned_leader = new_test_user(
            self.env,
            login="t_free_leader",
            groups="sale_governance.group_sales_manager",
        )
        self.team_free.user_id = ungoverned_leader
        today = add_months(self.M, 1) + timedelta(days=2)
        mails = self.Stats._send_digests("month", today=today)
        recipients = mails.recipient_ids
        self.assertIn(self.sales_manager.partner_id, recipients)
        self.assertNotIn(ungoverned_leader.partner_id, recipients)
        self.assertNotIn(self.salesman.partner_id, recipients)
        mine = mails.filtered(
            lambda m: self.sales_manager.partner_id in m.recipient_ids
        )
        self.assertEqual(len(mine), 1)
        self.assertIn(self.salesman.name, mine.body_html)
        self.assertIn("1,500.00", mine.body_html.replace("\u00a0", " "))
        self.assertIn(self.M.strftime("%Y-%m"), mine.subject)
        weekly = self.Stats._send_digests("week", today=today)
        self.assertIn(self.sales_manager.partner_id, weekly.recipient_ids)

    def test_monthly_summary_recipients(self):
        self.company.sg_statistics_group_ids = self.env.ref(
            "sale_governance.group_credit_controller"
        )
        mails = self.Stats._send_monthly_summary(today=add_months(self.M, 1))
        self.assertEqual(len(mails), 1)
        self.assertIn(self.credit_ctrl.partner_id, mails.recipient_ids)
        self.assertNotIn(self.salesman.partner_id, mails.recipient_ids)
        self.assertNotIn(self.sales_manager.partner_id, mails.recipient_ids)
        self.assertEqual(len(mails.attachment_ids), 1)
        report = self.env["sale.governance.statistics.report"].create(
            {
                "report_type": "daily",
                "period_type": "custom",
                "date_from": self.M,
                "date_to": add_months(self.M, 1) - timedelta(days=1),
            }
        )
        confirmed = report._report_data()["totals"]["confirmed"]
        self.assertGreaterEqual(
            confirmed, 1800.0
        )  # our orders of M, and any other governed ones
        self.assertIn(self.company.currency_id.format(confirmed), mails.body_html)
        # nobody configured: nothing sent
        self.company.sg_statistics_group_ids = False
        self.assertFalse(self.Stats._send_monthly_summary(today=add_months(self.M, 1)))


@tagged("post_install", "-at_install")
class TestCustomerTiers(SalesManagementCase):
    """The key-account tier reaches the visit logs and the reports through the
    governance hook."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {
                "ka_company_nature": "private",
                "ka_target_market": "Shipyards",
                "ka_credit_days": 45,
                "ka_discount": 3.0,
            }
        )
        cls.customer._sg_ka_set_override("star", "Strategic account")
        cls.M = cls.last_month
        cls._sell(cls.salesman, 1000.0, cls._day(cls.M, 3))
        cls._sell(cls.salesman2, 300.0, cls._day(cls.M, 5), partner=cls.customer2)
        cls._invoice(cls.salesman, 700.0, cls._day(cls.M, 4))
        cls.Stats = cls.env["sale.governance.statistics"]

    def test_visit_log_tier(self):
        log = self.Log.with_user(self.salesman).create(
            {
                "partner_id": self.customer.id,
                "purpose": "Visit",
                "visit_datetime": fields.Datetime.now(),
            }
        )
        self.assertEqual(log.customer_tier, "Star")
        groups = self.Log._read_group(
            [("id", "=", log.id)], ["user_id", "customer_tier"], ["__count"]
        )
        self.assertEqual(groups, [(self.salesman, "Star", 1)])

    def test_tier_rows(self):
        rows = {
            r["tier"]: r
            for r in self.Stats._tier_rows(
                self.company, self.M, add_months(self.M, 1), team=self.team
            )
        }
        self.assertAlmostEqual(rows["Star"]["sales"], 1000.0)
        self.assertEqual(rows["Star"]["customers"], 1)
        other = [r for tier, r in rows.items() if tier != "Star"]
        self.assertAlmostEqual(sum(r["sales"] for r in other), 300.0)

    def test_target_customer_table(self):
        self.Log.create(
            {
                "user_id": self.salesman.id,
                "partner_id": self.customer.id,
                "purpose": "Visit",
                "visit_datetime": fields.Datetime.to_datetime(self._day(self.M, 10)),
            }
        )
        rows = {
            r["partner_id"]: r
            for r in self.Stats._target_customer_rows(
                self.company, add_months(self.M, 1), team=self.team
            )
        }
        row = rows[self.customer.id]
        self.assertEqual(row["tier_label"], "Star")
        self.assertEqual(row["company_nature"], "Private")
        self.assertEqual(row["target_market"], "Shipyards")
        self.assertEqual(row["credit_days"], 45)
        self.assertAlmostEqual(row["discount"], 3.0)
        self.assertEqual(row["last_visit"], self._day(self.M, 10))
        self.assertAlmostEqual(row["sales_12m"], 1000.0)
        self.assertAlmostEqual(row["receivable"], 700.0)
        self.assertAlmostEqual(rows[self.customer2.id]["sales_12m"], 300.0)
        html = self._month_report_html("customers")[1]
        self.assertIn("Shipyards", html)

    def test_target_customer_query_count(self):
        def add_customers(count, prefix):
            partners = self.env["res.partner"].create(
                [
                    {
                        "name": f"{prefix} {i}",
                        "is_company": True,
                        "user_id": self.salesman.id,
                    }
                    for i in range(count)
                ]
            )
            self._invoice(
                self.salesman, 50.0, self._day(self.M, 2), partner=partners[0]
            )
            return partners

        add_customers(5, "Small")
        with self.count_queries() as small:
            self.Stats._target_customer_rows(
                self.company, add_months(self.M, 1), team=self.team
            )
        add_customers(50, "Large")
        with self.count_queries() as large:
            self.Stats._target_customer_rows(
                self.company, add_months(self.M, 1), team=self.team
            )
        # no growth with the number of customers (the first run may flush one pending
        # write)
        self.assertLessEqual(large.count, small.count)
