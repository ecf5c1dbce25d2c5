from . import protected_workflow
from . import approval_level
from . import contract_terms
from . import res_company
from . import crm_team
from . import sale_order
