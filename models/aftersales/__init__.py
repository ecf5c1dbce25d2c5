from . import res_company
from . import res_config_settings
from . import service_ticket
from . import technical_team
from . import routing_rule
from . import stock_picking
from . import sale_order
from . import res_partner
