# The core: the ticket and what it needs to be recorded, dispatched and closed.
from . import aftersales_smart_button_mixin
from . import aftersales_system_fields_mixin
from . import aftersales_worker_cache_mixin
from . import aftersales_customer_tier
from . import aftersales_channel
from . import aftersales_fault_category
from . import aftersales_ticket_tag
from . import aftersales_ticket_type
from . import aftersales_ticket_stage
from . import aftersales_team
from . import aftersales_ticket_dispatch
from . import aftersales_ticket_report_mixin
from . import aftersales_ticket
from . import ir_sequence
from . import res_partner
from . import product_product
from . import product_template
from . import stock_lot
from . import sale_order

# The feature rooms: each depends on the core only (see README, "For developers").
from . import intake
from . import progress
from . import repeat
from . import service_report
from . import warranty
from . import sanbao
from . import nameplate
from . import parts
from . import quality
from . import satisfaction
from . import complaint
from . import setup
from . import reporting
from . import field
from . import similar
