from . import scope_wizard
