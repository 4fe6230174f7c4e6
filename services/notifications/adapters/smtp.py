"""E-mail over SMTP (smtplib): plain, STARTTLS or implicit TLS, with or without credentials.

Each message's Message-ID is its send record's id: SMTP has no idempotency key, so the one message a
crash may send twice (service/sending.py) reaches the inbox twice under the same Message-ID, which mail
clients show as one.
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from services.notifications.domain.senders import SendFailed

TLS_MODES = ("none", "starttls", "tls")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str  # the From address
    tls: str = "none"
    username: str = ""
    password: str = ""
    timeout_seconds: float = 15.0

    def __post_init__(self) -> None:
        if self.tls not in TLS_MODES:
            raise ValueError(f"SMTP TLS mode {self.tls!r} is not one of {', '.join(TLS_MODES)}")


class SmtpMailer:
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, message_id: str, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.settings.sender, to, subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = f"<{message_id}@france-travail.local>"
        message.set_content(body)
        try:
            with self._connect() as smtp:
                if self.settings.username:
                    smtp.login(self.settings.username, self.settings.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:  # its detail names the address: keep the codes only
            codes = sorted({code for code, _ in exc.recipients.values()})
            raise SendFailed(f"smtp {' '.join(map(str, codes))} recipient refused") from None
        except smtplib.SMTPResponseException as exc:
            raise SendFailed(f"smtp {exc.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(type(exc).__name__) from None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.tls == "tls":
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds, context=ssl.create_default_context())
        smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
        if s.tls == "starttls":
            try:
                smtp.starttls(context=ssl.create_default_context())
            except BaseException:
                smtp.close()
                raise
        return smtp
