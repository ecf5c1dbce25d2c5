from . import loading_wizard
