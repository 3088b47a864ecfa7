"""E-mail: a notice as a message in its recipient's language, sent over SMTP (or logged).

TOURNEE_SMTP_URL says where: `smtp://user:pass@host:port` (plain), `smtp+starttls://...`
(upgraded with STARTTLS before logging in) or `smtps://...` (TLS from the start). Without it,
mails are written to the log (logger "app.mail"), which is what a laptop needs.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from contextlib import suppress
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from flask import render_template

from app.live.broker import texts_in
from app.models import User

log = logging.getLogger("app.mail")

PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT = 20  # seconds for each SMTP exchange
# What the mail is about, before its record's name: the subject and the first line.
LINES = {
    "fr": {"exchange_logged": "Nouvel échange", "exchange_shared": "Un échange avec vous",
           "mentioned": "Vous êtes mentionné·e", "record_created": "Nouvelle fiche",
           "deal_stage_changed": "Changement d'étape", "deal_won": "Affaire gagnée",
           "deal_lost": "Affaire perdue", "owner_changed": "Fiche confiée",
           "task_assigned": "Nouvelle tâche", "task_done": "Tâche terminée",
           "alert": "Alerte", "appointment_reminder": "Rappel de rendez-vous"},
    "en": {"exchange_logged": "New exchange", "exchange_shared": "An exchange with you",
           "mentioned": "You were mentioned", "record_created": "New record",
           "deal_stage_changed": "Stage changed", "deal_won": "Deal won",
           "deal_lost": "Deal lost", "owner_changed": "Put in your charge",
           "task_assigned": "New task", "task_done": "Task done",
           "alert": "Alert", "appointment_reminder": "Appointment reminder"},
}
FALLBACK_LINE = {"fr": "Notification", "en": "Notification"}


@dataclass(frozen=True)
class SmtpTarget:
    """Where mails go, read from TOURNEE_SMTP_URL."""

    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpTarget:
    """smtp[s|+starttls]://[user:pass@]host[:port] -> SmtpTarget (ValueError if not one)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in PORTS or not parts.hostname:
        raise ValueError("TOURNEE_SMTP_URL must be smtp://, smtp+starttls:// or smtps://host")
    return SmtpTarget(scheme, parts.hostname, parts.port or PORTS[scheme],
                      unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password is not None else None)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())  # a header never carries a line break


def compose(user: User, message: dict, mail_from: str, base_url: str) -> EmailMessage:
    """The notice as a mail to this user: plain text and HTML, in the user's language."""
    lang = user.locale if user.locale in LINES else "fr"
    texts = texts_in(message.get("texts") or {}, lang)
    line = LINES[lang].get(message.get("kind"), FALLBACK_LINE[lang])
    title = _one_line(texts.get("title", ""))
    subject = _one_line(f"{line}{' :' if lang == 'fr' else ':'} {title}")[:200]
    values = {"name": user.name, "line": line, "title": title, "body": texts.get("body", ""),
              "subject": subject, "link": f"{base_url}{message.get('url') or '/#/'}",
              "settings_link": f"{base_url}/#/settings/notifications"}
    mail = EmailMessage()
    mail["Subject"] = subject
    mail["From"] = mail_from
    mail["To"] = formataddr((_one_line(user.name), user.email))
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=urlsplit(base_url).hostname or "tournee.invalid")
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    mail.set_content(render_template(f"mail/notice.{lang}.txt", **values))
    mail.add_alternative(render_template(f"mail/notice.{lang}.html", **values), subtype="html")
    return mail


@dataclass(frozen=True)
class Sent:
    """What one attempt came to: sent (or logged), retry (a 4xx, a network error) or refused."""

    outcome: str
    detail: str = ""


def send(smtp_url: str | None, mail: EmailMessage,
         context: ssl.SSLContext | None = None) -> Sent:
    """Hand the mail to the SMTP server of `smtp_url`, or write it to the log without one."""
    if not smtp_url:
        body = mail.get_body(("plain",))
        log.info("mail to %s (TOURNEE_SMTP_URL is not set, so not sent)\nSubject: %s\n\n%s",
                 mail["To"], mail["Subject"], body.get_content() if body else "")
        return Sent("sent", "logged")
    target = parse_smtp_url(smtp_url)
    try:
        _deliver(target, mail, context or ssl.create_default_context())
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        transient = any(400 <= code < 500 for code in codes)
        return Sent("retry" if transient else "refused", f"recipient refused {codes}")
    except smtplib.SMTPResponseException as error:
        transient = 400 <= error.smtp_code < 500
        return Sent("retry" if transient else "refused", f"server answered {error.smtp_code}")
    except OSError as error:  # no answer, connection refused or cut, TLS failed
        return Sent("retry", type(error).__name__)
    return Sent("sent")


def _deliver(target: SmtpTarget, mail: EmailMessage, context: ssl.SSLContext) -> None:
    if target.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(target.host, target.port, timeout=TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT)
    try:
        if target.scheme == "smtp+starttls":
            smtp.starttls(context=context)
        if target.username:
            smtp.login(target.username, target.password or "")
        smtp.send_message(mail)
    finally:
        # Once the server took the mail, a failed goodbye must not make us send it again.
        with suppress(OSError):
            smtp.quit()
        smtp.close()
