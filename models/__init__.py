from . import res_company
from . import res_config_settings
from . import crm_team
from . import sale_order

# key-account tiering
from . import sale_governance_promotion_type
from . import sale_governance_tier_policy
from . import res_company_tiering
from . import res_config_settings_tiering
from . import res_partner_tiering
from . import sale_order_tiering
from . import mail_activity_tiering

# credit sales
from . import res_company_credit
from . import res_config_settings_credit
from . import sale_order_credit
from . import sale_governance_credit_application
from . import stock_picking_credit
from . import stock_move_credit
from . import account_move_credit

# contract approval
from . import res_company_approval
from . import res_config_settings_approval
from . import sale_governance_approval
from . import sale_governance_approval_substitute
from . import sale_order_approval

# quality gate
from . import sale_governance_inspection_template
from . import sale_governance_inspection
from . import product_template_quality
from . import product_category_quality
from . import stock_picking_type_quality
from . import stock_location_quality
from . import stock_warehouse_quality
from . import stock_picking_quality
from . import stock_move_quality
from . import res_partner_quality
from . import res_company_quality
from . import res_config_settings_quality

# after-sales service
from . import res_company_aftersales
from . import res_config_settings_aftersales
from . import sale_governance_service_ticket
from . import sale_governance_technical_team
from . import sale_governance_routing_rule
from . import stock_picking_aftersales
from . import sale_order_aftersales
from . import res_partner_aftersales

