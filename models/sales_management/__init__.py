from . import sales_figures
from . import res_company
from . import res_config_settings
from . import sales_target
from . import work_plan
from . import visit_log
from . import mail_activity
from . import res_partner
