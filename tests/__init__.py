from . import test_foundation

# key-account tiering
from . import test_tiering

# credit sales
from . import test_credit
from . import test_credit_gate

# contract approval
from . import test_approval
from . import test_approval_contract

# quality gate
from . import test_quality
from . import test_quality_spot_check

# after-sales service
from . import test_aftersales
from . import test_aftersales_portal

