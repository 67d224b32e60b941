from . import aftersales_ticket
from . import aftersales_ticket_acknowledgement
from . import mail_mail
