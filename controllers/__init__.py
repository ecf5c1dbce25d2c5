from . import portal
from . import gate
