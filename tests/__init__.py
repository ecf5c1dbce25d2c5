# Odoo's test loader collects the ``test_*`` modules exposed here; pytest-odoo walks the
# folders.
from .governance import test_foundation, test_i18n, test_role_screens, test_scope
from .key_accounts import (
    test_tiering,
    test_tiering_jobs,
    test_tiering_matrix_js,
    test_tiering_policy_paths,
    test_tiering_screens,
    test_tours as test_tiering_tours,
)
from .credit import (
    test_credit,
    test_credit_gate,
    test_credit_policy_paths,
    test_tours as test_credit_tours,
)
from .contract_approval import (
    test_approval,
    test_approval_concurrency,
    test_approval_contract,
    test_approval_paths,
    test_tours as test_approval_tours,
)
from .quality import (
    test_quality,
    test_quality_spot_check,
    test_quality_policy,
    test_tours as test_quality_tours,
)
from .aftersales import (
    test_aftersales,
    test_aftersales_policy_paths,
    test_aftersales_portal,
    test_aftersales_rpc,
    test_tours as test_aftersales_tours,
)
from .sales_management import test_sales_targets, test_statistics, test_work_plans
from .dispatch import test_dispatch, test_dispatch_gate_page, test_stock_gates
