# key-account tiering
from . import sale_governance_tier_override

# credit sales

# contract approval

# quality gate

# after-sales service

