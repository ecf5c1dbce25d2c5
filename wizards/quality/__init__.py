from . import stock_return_picking
from . import receipt_summary
