from . import aftersales_ticket
from . import mail_thread
from . import res_company
from . import res_config_settings
