# key-account tiering

# credit sales

# contract approval
from . import sale_governance_approval_wizard

# quality gate

# after-sales service

