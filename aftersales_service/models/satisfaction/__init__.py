from . import survey_question
from . import survey_user_input
from . import aftersales_ticket
from . import aftersales_satisfaction_report
from . import res_company
from . import res_config_settings
