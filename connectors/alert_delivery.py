"""Delivering digests exactly once: what is still to send, sending it, recording every attempt.

For each digest and channel (e-mail when the person has an address, webhook when they have one),
the alerts not yet sent to that person on that channel (connectors.alert_store) are sent in one
message. Every attempt is recorded: ``sent`` rows make the next run skip those alerts, ``failed``
rows leave them pending, so the next run tries them again. One channel failing does not stop the
others, nor the other people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from connectors.alert_digests import Digest
from connectors.alert_store import delivered, record_deliveries
from connectors.notify import AlertSettings, DeliveryError, post_webhook, send_email
from metrics.i18n import tr

__all__ = ["DeliveryReport", "EMAIL", "Parcel", "pending_parcels", "send_parcels", "WEBHOOK"]

EMAIL, WEBHOOK = "email", "webhook"


@dataclass(frozen=True)
class Parcel:
    """One message to send: a digest narrowed to the alerts still pending on one channel."""

    digest: Digest
    channel: str
    address: str


@dataclass
class DeliveryReport:
    sent: list[Parcel] = field(default_factory=list)
    failed: list[tuple[Parcel, str]] = field(default_factory=list)


def pending_parcels(digests: list[Digest], engine: sa.Engine) -> list[Parcel]:
    """Per digest and channel, the alerts that person has not yet been sent on that channel."""
    parcels = []
    for digest in digests:
        channels = [(EMAIL, digest.contact.email), (WEBHOOK, digest.contact.webhook)]
        for channel, address in channels:
            if not address:
                continue
            done = delivered(engine, digest.contact.name, channel, list(digest.items["key"]))
            left = digest.items[~digest.items["key"].isin(done)].reset_index(drop=True)
            if not left.empty:
                parcels.append(Parcel(Digest(digest.contact, left, digest.home_link), channel, address))
    return parcels


def send_parcels(parcels: list[Parcel], engine: sa.Engine, settings: AlertSettings, now: str,
                 progress: Callable[[str], None] = print) -> DeliveryReport:
    """Send every parcel; record each attempt. A failure is reported and recorded, never raised."""
    report = DeliveryReport()
    for parcel in parcels:
        try:
            _send(parcel, settings)
        except DeliveryError as exc:
            report.failed.append((parcel, str(exc)))
            _record(engine, parcel, now, "failed", str(exc))
            progress(tr("FAILED {channel} to {name}: {error} (tried again next run)").format(
                channel=parcel.channel, name=parcel.digest.contact.name, error=exc))
            continue
        report.sent.append(parcel)
        _record(engine, parcel, now, "sent", None)
        progress(tr("sent {channel} to {name} ({address}): {count} alert(s)").format(
            channel=parcel.channel, name=parcel.digest.contact.name, address=_shown(parcel),
            count=len(parcel.digest.items)))
    return report


def _send(parcel: Parcel, settings: AlertSettings) -> None:
    digest = parcel.digest
    if parcel.channel == EMAIL:
        if settings.smtp is None:
            raise DeliveryError(tr("MOT_SMTP_HOST is not set, so no e-mail can be sent"))
        send_email(settings.smtp, parcel.address, digest.subject, digest.text())
    else:
        payload = digest.chat_payload() if settings.webhook_format == "chat" else digest.generic_payload()
        post_webhook(parcel.address, payload)


def _shown(parcel: Parcel) -> str:
    if parcel.channel == EMAIL:
        return parcel.address
    scheme, _, rest = parcel.address.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/…"  # a webhook's path is its secret


def _record(engine: sa.Engine, parcel: Parcel, now: str, status: str, error: str | None) -> None:
    items: pd.DataFrame = parcel.digest.items
    record_deliveries(engine, [{
        "alert_key": row["key"], "person": parcel.digest.contact.name, "channel": parcel.channel,
        "address": _shown(parcel), "status": status, "attempted_at": now, "error": error,
        "kind": row["kind"], "touchpoint_id": row["touchpoint_id"], "kpi_id": row["kpi_id"],
        "summary": f"{row['subject']}: {row['reason']}", "link": row["link"],
    } for row in items.to_dict("records")])
