from . import portal
from . import api
from . import portal_warranty
from . import field
from . import nameplate
