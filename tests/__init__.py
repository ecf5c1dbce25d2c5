from . import test_foundation

# key-account tiering

# credit sales

# contract approval

# quality gate
from . import test_quality
from . import test_quality_spot_check

# after-sales service

