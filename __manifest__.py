{
    "name": "Sales Governance (销售管理制度)",
    "summary": "Enforce a written sales management policy: key accounts, credit sales, "
    "three-level contract approval, receipt quality gate, after-sales service",
    "version": "18.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "sale_governance developers",
    "website": "https://example.com/sale_governance",
    "depends": ["sale_management", "sale_stock", "account", "mail"],
    "data": [
        "security/sale_governance_security.xml",
        "security/ir.model.access.csv",
        "views/sale_governance_menus.xml",
        "views/crm_team_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_order_views.xml",
        # --- key-account tiering ---
        "security/tiering_security.xml",
        "data/tiering_data.xml",
        "views/sale_governance_tier_policy_views.xml",
        "views/res_partner_tiering_views.xml",
        "views/sale_order_tiering_views.xml",
        "views/res_config_settings_tiering_views.xml",
        "wizards/sale_governance_tier_override_views.xml",
        "reports/tiering_report.xml",

        # --- credit sales ---
        "security/credit_security.xml",
        "data/credit_data.xml",
        "views/sale_governance_credit_application_views.xml",
        "views/sale_order_credit_views.xml",
        "views/stock_picking_credit_views.xml",
        "views/res_config_settings_credit_views.xml",
        "reports/credit_report.xml",

        # --- contract approval ---
        "security/approval_security.xml",
        "data/approval_data.xml",
        "views/sale_governance_approval_views.xml",
        "views/sale_order_approval_views.xml",
        "views/res_config_settings_approval_views.xml",
        "views/sale_portal_approval_templates.xml",
        "wizards/sale_governance_approval_wizard_views.xml",
        "reports/approval_report.xml",

        # --- quality gate ---
        "security/quality_security.xml",
        "data/quality_data.xml",
        "views/sale_governance_inspection_views.xml",
        "views/stock_picking_quality_views.xml",
        "views/product_template_quality_views.xml",
        "views/product_category_quality_views.xml",
        "views/stock_picking_type_quality_views.xml",
        "views/stock_warehouse_quality_views.xml",
        "views/res_partner_quality_views.xml",
        "views/res_config_settings_quality_views.xml",
        "reports/quality_report.xml",

        # --- after-sales service ---
        "security/aftersales_security.xml",
        "data/aftersales_data.xml",
        "views/sale_governance_service_ticket_views.xml",
        "views/sale_order_aftersales_views.xml",
        "views/res_partner_aftersales_views.xml",
        "views/stock_picking_aftersales_views.xml",
        "views/res_config_settings_aftersales_views.xml",
        "views/portal_templates_aftersales.xml",
        "reports/aftersales_report.xml",

    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_demo.xml",
        # --- key-account tiering ---
        "demo/tiering_demo.xml",

        # --- credit sales ---
        "demo/credit_demo.xml",

        # --- contract approval ---
        "demo/approval_demo.xml",

        # --- quality gate ---
        "demo/quality_demo.xml",

        # --- after-sales service ---
        "demo/aftersales_demo.xml",

    ],
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "application": False,
    "installable": True,
}
