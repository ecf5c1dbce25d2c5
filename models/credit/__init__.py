from . import res_company
from . import res_config_settings
from . import sale_order
from . import credit_application
from . import stock_picking
from . import stock_move
from . import account_move
