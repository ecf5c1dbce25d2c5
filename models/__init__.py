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

# contract approval

# quality gate

# after-sales service

