from . import res_company
from . import res_config_settings
from . import crm_team
from . import sale_order

# key-account tiering

# credit sales

# contract approval

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

