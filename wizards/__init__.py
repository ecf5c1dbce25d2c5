# key-account tiering

# credit sales

# contract approval

# quality gate
from . import stock_return_picking_quality

# after-sales service

