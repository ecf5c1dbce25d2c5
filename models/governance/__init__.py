from . import protected_workflow
from . import activity
from . import res_company
from . import res_config_settings
from . import crm_team
from . import res_partner
from . import sale_order
from . import stock_picking
