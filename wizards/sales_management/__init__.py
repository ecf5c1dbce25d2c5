from . import target_proposal
from . import work_plan_review
from . import statistics_report
