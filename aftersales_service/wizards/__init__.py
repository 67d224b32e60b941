from . import aftersales_ticket_reassign
from . import aftersales_return_visit_record
