"""Sending e-mail through the SMTP server the operator configured (none configured: nothing is sent).

One SMTP configuration serves every e-mail the app sends (post-purchase offers, the weekly digest).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal

import aiosmtplib

# "starttls" (port 587), "tls" (implicit TLS, port 465) or "none" (a local relay).
SmtpSecurity = Literal["starttls", "tls", "none"]

# What a failed send raises: the server refused, or it could not be reached.
MailError = (aiosmtplib.SMTPException, OSError)


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    security: SmtpSecurity = "starttls"
    timeout_seconds: float = 10.0


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


async def send_message(config: SmtpConfig, message: EmailMessage) -> None:
    """Send a prepared message; raises one of ``MailError``."""
    await aiosmtplib.send(
        message,
        hostname=config.host,
        port=config.port,
        username=config.username,
        password=config.password,
        use_tls=config.security == "tls",
        start_tls=config.security == "starttls",
        timeout=config.timeout_seconds,
    )


async def send_mail(
    config: SmtpConfig, to: list[str], subject: str, text: str, attachments: list[Attachment] | None = None
) -> None:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(text)
    for item in attachments or []:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    await send_message(config, message)
