from . import test_foundation

# key-account tiering

# credit sales

# contract approval

# quality gate

# after-sales service
from . import test_aftersales
from . import test_aftersales_portal

