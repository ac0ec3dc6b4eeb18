"""Alert deliveries and mutes in the app's own store (MOT_STATE_URL), tables prefixed ``alert_``.

``alert_deliveries`` holds one row per alert, recipient and channel each time a digest was tried:
an alert counts as delivered to a recipient on a channel once a row with status ``sent`` exists,
so a second run on the same data sends nothing, and a ``failed`` one is tried again on the next
run. ``alert_mutes`` holds what a person muted in the app: one alert (its stable key) or every
alert of a touchpoint, until a date. People are identified by their name as the owner columns and
the contacts file write it, compared without case and outer spaces (``person_key``).
Times are passed in by the caller (ISO 8601 strings in UTC), never read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

from connectors.db_errors import database_reason
from connectors.state import StateStoreError, ensure_tables
from metrics.i18n import tr

__all__ = ["active_mutes", "add_mute", "delivered", "delivery_frame", "DELIVERY_COLUMNS", "MUTE_COLUMNS",
           "person_key", "prepare_alert_store", "record_deliveries"]

METADATA = sa.MetaData()

DELIVERIES = sa.Table(
    "alert_deliveries", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_key", sa.String(400), nullable=False),
    sa.Column("person", sa.String(200), nullable=False),  # person_key(recipient), for look-ups
    sa.Column("recipient", sa.String(200), nullable=False),  # the name as written, for people
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("address", sa.String(400), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("attempted_at", sa.String(40), nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("touchpoint_id", sa.String(200)),
    sa.Column("kpi_id", sa.String(200)),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("link", sa.Text),
    sa.Index("ix_alert_deliveries_lookup", "person", "channel", "status", "alert_key"),
)
MUTES = sa.Table(
    "alert_mutes", METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person", sa.String(200), nullable=False),
    sa.Column("touchpoint_id", sa.String(200)),
    sa.Column("alert_key", sa.String(400)),
    sa.Column("until", sa.String(10), nullable=False),
    sa.Column("muted_by", sa.String(200), nullable=False),
    sa.Column("muted_at", sa.String(40), nullable=False),
)
DELIVERY_COLUMNS = [c.name for c in DELIVERIES.c if c.name != "id"]
MUTE_COLUMNS = ["person", "touchpoint_id", "alert_key", "until", "muted_by", "muted_at"]


def person_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def prepare_alert_store(engine: sa.Engine) -> None:
    """Create the alert tables when missing (once per engine, connectors.state.ensure_tables)."""
    ensure_tables(engine, METADATA)


def _fail(engine: sa.Engine, exc: sa.exc.SQLAlchemyError, writing: bool) -> StateStoreError:
    where = engine.url.render_as_string(hide_password=True)
    message = (tr("Cannot write to the alert history at {where}: {reason}. Check that MOT_STATE_URL "
                  "points to a store this app may write to.") if writing else
               tr("Cannot read the alert history at {where}: {reason}. Check that MOT_STATE_URL points to a "
                  "store this app may write to."))
    return StateStoreError(message.format(where=where, reason=database_reason(exc)))


def _read(engine: sa.Engine, statement: sa.Select[Any]) -> list[sa.Row[Any]]:
    prepare_alert_store(engine)
    try:
        with engine.connect() as conn:
            return list(conn.execute(statement))
    except sa.exc.SQLAlchemyError as exc:
        raise _fail(engine, exc, writing=False) from None


def delivered(engine: sa.Engine, person: str, channel: str, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` were already sent to ``person`` on ``channel``."""
    if not keys:
        return set()
    d = DELIVERIES.c
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # keep IN lists short for every dialect
        chunk = list(keys[start:start + 500])
        found |= {r.alert_key for r in _read(engine, sa.select(d.alert_key).distinct().where(
            d.person == person_key(person), d.channel == channel, d.status == "sent",
            d.alert_key.in_(chunk)))}
    return found


def record_deliveries(engine: sa.Engine, rows: Iterable[dict[str, Any]]) -> None:
    """Append delivery attempts (DELIVERY_COLUMNS but ``recipient``: the ``person`` as written)."""
    records = [{**r, "person": person_key(r["person"]), "recipient": str(r["person"]).strip()} for r in rows]
    if not records:
        return
    prepare_alert_store(engine)
    try:
        with engine.begin() as conn:
            conn.execute(DELIVERIES.insert(), records)
    except sa.exc.SQLAlchemyError as exc:
        raise _fail(engine, exc, writing=True) from None


def delivery_frame(engine: sa.Engine, people: Iterable[str] | None = None, limit: int = 500) -> pd.DataFrame:
    """The latest delivery attempts, newest first (of ``people`` only, when given)."""
    statement = sa.select(*[DELIVERIES.c[c] for c in DELIVERY_COLUMNS]).order_by(
        DELIVERIES.c.attempted_at.desc(), DELIVERIES.c.id.desc()).limit(limit)
    if people is not None:
        statement = statement.where(DELIVERIES.c.person.in_([person_key(p) for p in people]))
    return pd.DataFrame([tuple(r) for r in _read(engine, statement)], columns=DELIVERY_COLUMNS)


def add_mute(engine: sa.Engine, person: str, until: dt.date, muted_by: str, now: str, *,
             touchpoint_id: str | None = None, alert_key: str | None = None) -> None:
    """Mute one alert (``alert_key``) or every alert of a touchpoint for ``person`` until ``until``."""
    if (touchpoint_id is None) == (alert_key is None):
        raise ValueError("mute either one alert or one touchpoint")  # i18n: not shown (a caller's mistake)
    prepare_alert_store(engine)
    try:
        with engine.begin() as conn:
            conn.execute(MUTES.insert().values(
                person=person_key(person), touchpoint_id=touchpoint_id, alert_key=alert_key,
                until=until.isoformat(), muted_by=muted_by.strip() or "anonymous", muted_at=now))
    except sa.exc.SQLAlchemyError as exc:
        raise _fail(engine, exc, writing=True) from None


def active_mutes(engine: sa.Engine, today: dt.date, people: Iterable[str] | None = None) -> pd.DataFrame:
    """Mutes in force on ``today`` (``until`` is the last muted day), newest first."""
    statement = sa.select(*[MUTES.c[c] for c in MUTE_COLUMNS]).where(
        MUTES.c.until >= today.isoformat()).order_by(MUTES.c.id.desc())
    if people is not None:
        statement = statement.where(MUTES.c.person.in_([person_key(p) for p in people]))
    return pd.DataFrame([tuple(r) for r in _read(engine, statement)], columns=MUTE_COLUMNS)
