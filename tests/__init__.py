from . import test_foundation

# key-account tiering

# credit sales

# contract approval
from . import test_approval
from . import test_approval_contract

# quality gate

# after-sales service

