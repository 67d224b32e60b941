from . import aftersales_complaint_grade
from . import aftersales_ticket
