from . import res_company
from . import res_config_settings
from . import crm_team
from . import sale_order

# key-account tiering

# credit sales

# contract approval
from . import res_company_approval
from . import res_config_settings_approval
from . import sale_governance_approval
from . import sale_governance_approval_substitute
from . import sale_order_approval

# quality gate

# after-sales service

