from . import test_sales_targets, test_work_plans
