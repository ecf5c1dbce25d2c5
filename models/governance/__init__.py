from . import protected_workflow
from . import res_company
from . import res_config_settings
from . import crm_team
from . import sale_order
from . import mail_activity
from . import res_partner
from . import res_partner_profile
