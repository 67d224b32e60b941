from . import aftersales_ticket
