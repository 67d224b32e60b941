from . import stock_lot
from . import aftersales_nameplate_report
from . import aftersales_ticket
from . import res_company
from . import res_config_settings
from . import stock_picking
