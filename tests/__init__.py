# Odoo's test loader collects the ``test_*`` modules exposed here; pytest-odoo walks the
# folders.
from .governance import test_foundation, test_scope
from .key_accounts import test_tiering
from .credit import test_credit, test_credit_gate
from .contract_approval import test_approval, test_approval_contract
from .quality import test_quality, test_quality_spot_check
from .aftersales import test_aftersales, test_aftersales_portal
