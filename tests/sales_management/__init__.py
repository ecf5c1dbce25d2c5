from . import test_sales_targets, test_statistics, test_work_plans
