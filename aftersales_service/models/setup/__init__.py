from . import aftersales_maintenance_plan
from . import aftersales_ticket
from . import product_template
from . import res_company
from . import res_config_settings
from . import sale_order
from . import stock_picking
