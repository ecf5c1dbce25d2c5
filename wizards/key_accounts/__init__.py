from . import tier_override
