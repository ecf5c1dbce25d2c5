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

        # --- credit sales ---

        # --- contract approval ---

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

    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_demo.xml",
        # --- key-account tiering ---

        # --- credit sales ---

        # --- contract approval ---

        # --- quality gate ---
        "demo/quality_demo.xml",

        # --- after-sales service ---

    ],
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "application": False,
    "installable": True,
}
