# One package per feature of the policy. Features depend on ``governance`` only, never
# on each other; the order below is the order in which their overrides stack (see
# README, developers).
from . import governance
from . import key_accounts
from . import credit
from . import contract_approval
from . import quality
from . import aftersales
from . import sales_management
from . import dispatch
