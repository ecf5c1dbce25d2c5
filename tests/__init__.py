from . import test_foundation

# key-account tiering
from . import test_tiering

# credit sales

# contract approval

# quality gate

# after-sales service

