from . import aftersales_sla_exemption
