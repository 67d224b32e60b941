from . import aftersales_ticket
from . import aftersales_kpi_report
from . import aftersales_kpi_dashboard
