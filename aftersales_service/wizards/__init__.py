from . import aftersales_ticket_reassign
