import codecs

from odoo import api, models


def _known_charset(charset):
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


class MailThread(models.AbstractModel):
    """The mail gateway reads whatever reaches a team's alias without crashing: a part in
    a charset Python does not know is read as UTF-8 (undecodable bytes replaced), and NUL
    characters, which PostgreSQL refuses, are dropped from the parsed texts."""

    _inherit = "mail.thread"

    @api.model
    def message_parse(self, message, save_original=False):
        try:
            msg_dict = super().message_parse(message, save_original=save_original)
        except LookupError:
            for part in message.walk():
                charset = part.get_content_charset()
                if charset and not _known_charset(charset):
                    part.set_param("charset", "utf-8")
            msg_dict = super().message_parse(message, save_original=save_original)
        for key, value in msg_dict.items():
            if isinstance(value, str) and "\x00" in value:
                msg_dict[key] = value.replace("\x00", "")
        return msg_dict

    def _message_route_process(self, message, message_dict, routes):
        """The receiving server's verdicts on the sender go with the routing (in the
        context: the parsed values are posted as they are), for the ticket intake to check."""
        results = [str(header) for header in message.get_all("Authentication-Results", [])[:20]]
        return super(
            MailThread, self.with_context(aftersales_authentication_results=results)
        )._message_route_process(message, message_dict, routes)
