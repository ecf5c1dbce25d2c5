from . import res_company
from . import res_config_settings
from . import delivery_notice
from . import gate_pass
from . import stock_picking
from . import account_payment
from . import res_partner
from . import report_outbound_slip
