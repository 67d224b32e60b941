from . import test_sla_engine
from . import test_sla_timers
from . import test_sla_escalation
from . import test_sla_compensation
from . import test_sla_security
from . import test_sla_portal
from . import test_sla_kpi
from . import test_i18n
