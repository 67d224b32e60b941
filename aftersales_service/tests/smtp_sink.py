"""A mail server on 127.0.0.1 that accepts every mail and keeps none (Python only, no Odoo):
the tests that send mails for real and the load benchmark B7 deliver to it. A recipient whose
address starts with ``refused`` is refused (550), as a real server refuses an unknown user."""

import socketserver
import threading


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.delivered = 0
        self.recipients = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]

    def close(self):
        self.shutdown()
        self.server_close()


class SmtpSession(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink")
        accepted = []
        while line := self.rfile.readline():
            verb, _sep, rest = line.strip().partition(b" ")
            verb = verb.upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 sink")
            elif verb == b"RCPT":
                address = rest.decode(errors="replace").partition(":")[2].strip(" <>")
                if address.startswith("refused"):
                    self.reply("550 no such user")
                else:
                    accepted.append(address)
                    self.reply("250 ok")
            elif verb == b"DATA":
                self.reply("354 end with .")
                while (data := self.rfile.readline()) and data.rstrip(b"\r\n") != b".":
                    pass
                self.server.delivered += 1
                self.server.recipients.extend(accepted)
                accepted = []
                self.reply("250 queued")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RSET, NOOP
                if verb == b"RSET":
                    accepted = []
                self.reply("250 ok")
