# key-account tiering
from . import sale_governance_tier_override

# credit sales

# contract approval
from . import sale_governance_approval_wizard

# quality gate
from . import stock_return_picking_quality

# after-sales service

