from . import governance
from . import key_accounts
from . import contract_approval
from . import quality
from . import sales_management
from . import dispatch
