from . import res_company
from . import res_config_settings
from . import crm_team
from . import sale_order

# key-account tiering

# credit sales

# contract approval

# quality gate

# after-sales service
from . import res_company_aftersales
from . import res_config_settings_aftersales
from . import sale_governance_service_ticket
from . import sale_governance_technical_team
from . import sale_governance_routing_rule
from . import stock_picking_aftersales
from . import sale_order_aftersales
from . import res_partner_aftersales

