{
    "name": "Sales Governance (销售管理制度)",
    "summary": "Enforce a written sales management policy: key accounts, credit sales, "
    "three-level contract approval, receipt quality gate, after-sales service",
    "version": "18.0.1.2.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "sale_governance developers",
    "website": "https://example.com/sale_governance",
    "depends": ["sale_management", "sale_stock", "account", "mail"],
    "data": [
        # --- governance: scope, roles, settings, menus ---
        "security/governance/security.xml",
        "security/governance/ir.model.access.csv",
        "data/governance/data.xml",
        "views/governance/menus.xml",
        "views/governance/crm_team_views.xml",
        "views/governance/approval_level_views.xml",
        "views/governance/res_config_settings_views.xml",
        "views/governance/sale_order_views.xml",
        "views/governance/scope_wizard_views.xml",
        # --- key-account tiering ---
        "security/key_accounts/security.xml",
        "security/key_accounts/ir.model.access.csv",
        "data/key_accounts/data.xml",
        "views/key_accounts/tier_policy_views.xml",
        "views/key_accounts/res_partner_views.xml",
        "views/key_accounts/sale_order_views.xml",
        "views/key_accounts/res_config_settings_views.xml",
        "views/key_accounts/tier_override_wizard_views.xml",
        "views/key_accounts/ka_matrix_views.xml",
        "reports/key_accounts/report.xml",
        # --- credit sales ---
        "security/credit/security.xml",
        "security/credit/ir.model.access.csv",
        "data/credit/data.xml",
        "views/credit/credit_application_views.xml",
        "views/credit/sale_order_views.xml",
        "views/credit/stock_picking_views.xml",
        "views/credit/res_config_settings_views.xml",
        "reports/credit/report.xml",
        # --- three-level contract approval ---
        "security/contract_approval/security.xml",
        "security/contract_approval/ir.model.access.csv",
        "data/contract_approval/data.xml",
        "views/contract_approval/approval_views.xml",
        "views/contract_approval/sale_order_views.xml",
        "views/contract_approval/res_config_settings_views.xml",
        "views/contract_approval/sale_portal_templates.xml",
        "views/contract_approval/approval_wizard_views.xml",
        "reports/contract_approval/report.xml",
        # --- quality gate ---
        "security/quality/security.xml",
        "security/quality/ir.model.access.csv",
        "data/quality/data.xml",
        "views/quality/inspection_views.xml",
        "views/quality/stock_picking_views.xml",
        "views/quality/product_template_views.xml",
        "views/quality/product_category_views.xml",
        "views/quality/stock_picking_type_views.xml",
        "views/quality/stock_warehouse_views.xml",
        "views/quality/res_partner_views.xml",
        "views/quality/res_config_settings_views.xml",
        "reports/quality/report.xml",
        # --- after-sales service ---
        "security/aftersales/security.xml",
        "security/aftersales/ir.model.access.csv",
        "data/aftersales/data.xml",
        "views/aftersales/service_ticket_views.xml",
        "views/aftersales/sale_order_views.xml",
        "views/aftersales/res_partner_views.xml",
        "views/aftersales/stock_picking_views.xml",
        "views/aftersales/res_config_settings_views.xml",
        "views/aftersales/portal_templates.xml",
        "reports/aftersales/report.xml",
        # --- sales management cycle: targets, work plans, visit logs, reports ---
        "security/sales_management/security.xml",
        "security/sales_management/ir.model.access.csv",
        "data/sales_management/data.xml",
        "views/sales_management/sales_target_views.xml",
        "views/sales_management/work_plan_views.xml",
        "views/sales_management/visit_log_views.xml",
        "views/sales_management/res_config_settings_views.xml",
        "views/sales_management/statistics_report_views.xml",
        "views/sales_management/crm_team_views.xml",
        "views/sales_management/menus.xml",
        "reports/sales_management/report.xml",
        # --- dispatch: delivery notice, weighbridge, gate pass, payment-received notice
        # ---
        "security/dispatch/security.xml",
        "security/dispatch/ir.model.access.csv",
        "data/dispatch/data.xml",
        "views/dispatch/delivery_notice_views.xml",
        "views/dispatch/gate_pass_views.xml",
        "views/dispatch/loading_wizard_views.xml",
        "views/dispatch/account_payment_views.xml",
        "views/dispatch/menus.xml",
        "views/dispatch/stock_picking_views.xml",
        "views/dispatch/res_partner_views.xml",
        "views/dispatch/res_config_settings_views.xml",
        "views/dispatch/gate_templates.xml",
        "reports/dispatch/report.xml",
    ],
    "demo": [
        # --- governance ---
        "demo/governance/res_lang_demo.xml",
        "demo/governance/res_users_demo.xml",
        "demo/governance/res_partner_demo.xml",
        "demo/governance/product_demo.xml",
        # --- key-account tiering ---
        "demo/key_accounts/demo.xml",
        # --- credit sales ---
        "demo/credit/demo.xml",
        # --- three-level contract approval ---
        "demo/contract_approval/demo.xml",
        # --- quality gate ---
        "demo/quality/demo.xml",
        # --- after-sales service ---
        "demo/aftersales/demo.xml",
        # --- sales management cycle ---
        "demo/sales_management/demo.xml",
        # --- dispatch ---
        "demo/dispatch/demo.xml",
        # --- key-account tiering, last: scores on every feature's demo documents ---
        "demo/key_accounts/recompute.xml",
    ],
    "assets": {
        "web.assets_backend": [
            # --- key-account tiering: the matrix view ---
            "sale_governance/static/src/key_accounts/**/*",
        ],
        "web.assets_unit_tests": [
            "sale_governance/static/tests/key_accounts/**/*",
        ],
        # --- browser tours of every flow (tests/*/test_tours.py) ---
        "web.assets_tests": [
            "sale_governance/static/tests/tours/**/*",
        ],
    },
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "application": False,
    "installable": True,
}
