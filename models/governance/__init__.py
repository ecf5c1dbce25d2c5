from . import protected_workflow
from . import res_company
from . import res_config_settings
from . import crm_team
from . import sale_order
from . import stock_picking
