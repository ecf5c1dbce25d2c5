from . import res_company
from . import res_config_settings
from . import approval
from . import approval_substitute
from . import sale_order
from . import payment_transaction
