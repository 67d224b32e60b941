from . import test_install
from . import test_ticket
from . import test_dispatch
from . import test_repeat
from . import test_security
