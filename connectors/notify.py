"""Sending alert digests: SMTP e-mail and webhook POSTs, with the settings they need.

Settings (declared in connectors.settings SETTINGS, resolved here from the environment over
.streamlit/secrets.toml): MOT_SMTP_HOST, MOT_SMTP_PORT, MOT_SMTP_SECURITY (starttls, ssl or none),
MOT_SMTP_USER, MOT_SMTP_PASSWORD, MOT_SMTP_FROM, MOT_WEBHOOK_FORMAT (chat or generic),
MOT_BASE_URL and MOT_ALERT_STREAK. A failed delivery raises DeliveryError with a message that
names the server but never a password; the caller records it and tries again on the next run.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from connectors.settings import SettingsError, _raw_values
from metrics.i18n import tr

__all__ = ["AlertSettings", "DeliveryError", "post_webhook", "resolve_alert_settings", "send_email",
           "SmtpSettings", "WEBHOOK_FORMATS"]

SECURITIES = {"starttls": 587, "ssl": 465, "none": 25}
WEBHOOK_FORMATS = ("chat", "generic")
TIMEOUT_SECONDS = 20


class DeliveryError(RuntimeError):
    """One digest could not be delivered on one channel; the message says where and why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None = None
    sender: str | None = None

    def __repr__(self) -> str:  # never print the password, e.g. in a traceback or a log
        return (f"SmtpSettings(host={self.host!r}, port={self.port}, security={self.security!r}, "
                f"user={self.user!r})")


@dataclass(frozen=True)
class AlertSettings:
    base_url: str
    streak: int
    smtp: SmtpSettings | None
    webhook_format: str


def resolve_alert_settings(environ: Mapping[str, str],
                           secrets: Mapping[str, Any] | None = None) -> AlertSettings:
    """The alert settings, checked; SettingsError names the setting and what to do."""
    raw = _raw_values(environ, secrets)
    base_url = (raw["MOT_BASE_URL"] or "").strip().rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise SettingsError(tr("MOT_BASE_URL {value} is not an http(s) address. Set it to the address people "
                               "open the app at, e.g. https://mot.example.com.").format(value=repr(base_url)))
    streak = _whole_number("MOT_ALERT_STREAK", raw["MOT_ALERT_STREAK"] or "3", least=1)
    webhook_format = (raw["MOT_WEBHOOK_FORMAT"] or "chat").strip().lower()
    if webhook_format not in WEBHOOK_FORMATS:
        raise SettingsError(tr("MOT_WEBHOOK_FORMAT {value} is not known: use chat or generic.").format(
            value=repr(webhook_format)))
    return AlertSettings(base_url, streak, _smtp(raw), webhook_format)


def _whole_number(key: str, text: str, least: int) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        number = least - 1
    if number < least:
        raise SettingsError(tr("{key} {value} must be a whole number of at least {least}.").format(
            key=key, value=repr(text), least=least))
    return number


def _smtp(raw: Mapping[str, str | None]) -> SmtpSettings | None:
    host = (raw["MOT_SMTP_HOST"] or "").strip()
    if not host:
        return None
    security = (raw["MOT_SMTP_SECURITY"] or "starttls").strip().lower()
    if security not in SECURITIES:
        raise SettingsError(tr("MOT_SMTP_SECURITY {value} is not known: use starttls, ssl or none.").format(
            value=repr(security)))
    port_text = raw["MOT_SMTP_PORT"]
    port = _whole_number("MOT_SMTP_PORT", port_text, least=1) if port_text else SECURITIES[security]
    if port > 65535:
        raise SettingsError(tr("MOT_SMTP_PORT {port} is not a port: use 1 to 65535.").format(port=port))
    user = (raw["MOT_SMTP_USER"] or "").strip() or None
    sender = (raw["MOT_SMTP_FROM"] or "").strip() or user
    if sender is None or "@" not in sender:
        raise SettingsError(tr("MOT_SMTP_FROM must be the sender's e-mail address (or set MOT_SMTP_USER to "
                               "one)."))
    return SmtpSettings(host, port, security, user, raw["MOT_SMTP_PASSWORD"], sender)


def send_email(smtp: SmtpSettings, to: str, subject: str, text: str) -> str:
    """Send one plain-text e-mail; returns its Message-ID. DeliveryError when it was not accepted."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.sender, to, subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=(smtp.sender or "mot.invalid").rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a scheduled job
    message.set_content(text)
    where = tr("SMTP server {host}:{port} ({security})").format(host=smtp.host, port=smtp.port,
                                                                 security=smtp.security)
    try:
        client: smtplib.SMTP
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password or "")
            client.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise DeliveryError(tr("{where} refused the login of {user}: check MOT_SMTP_USER and "
                               "MOT_SMTP_PASSWORD.").format(where=where, user=repr(smtp.user))) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(tr("{where} did not take the e-mail to {to}: {reason}").format(
            where=where, to=to, reason=exc)) from None
    return str(message["Message-ID"])


def post_webhook(url: str, payload: Mapping[str, Any]) -> int:
    """POST ``payload`` as JSON; returns the HTTP status. DeliveryError unless it is 2xx."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",  # i18n: not shown
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    where = tr("webhook {url}").format(url=_without_secret(url))
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(tr("{where} answered HTTP {code} {reason}").format(
            where=where, code=exc.code, reason=exc.reason)) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(tr("{where} could not be reached: {reason}").format(where=where,
                                                                                reason=reason)) from None


def _without_secret(url: str) -> str:
    """Webhook URLs carry their secret in the path (Slack, Teams): show only scheme and host."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/…"
