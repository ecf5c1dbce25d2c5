from . import approval_wizard
