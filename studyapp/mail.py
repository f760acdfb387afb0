"""Sending the few emails studyapp sends, when MAIL_SERVER is configured; otherwise logged."""

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send one plain-text email; False (and a log line) when no mail server is configured."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("no MAIL_SERVER configured; not sent: %s", subject)
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["MAIL_FROM"], to, subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    return True
