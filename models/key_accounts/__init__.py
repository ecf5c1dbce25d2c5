from . import promotion_type
from . import tier_policy
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import mail_activity
from . import res_partner_visits
