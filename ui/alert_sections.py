"""Alert deliveries and mutes in the app: an owner's alert history with a way to mute (My
touchpoints), and which alerts went to whom (Data quality). The history is written by
``python -m metrics.alerts send`` (connectors/alert_delivery.py); mutes are read by it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from connectors.alert_store import active_mutes, add_mute, delivery_frame
from connectors.runtime import state_engine
from connectors.state import StateStoreError
from metrics.alerts import KIND_LABELS
from metrics.formatting import date_text
from ui.context import AppContext
from ui.text import literal

MUTE_DAYS = (7, 14, 30, 90)
SHOWN_DELIVERIES = 200
_STATUS = {"sent": "✅ sent", "failed": "❌ failed (retried on the next run)"}


def _store(ctx: AppContext) -> sa.Engine | None:
    try:
        return state_engine(ctx.settings.state_url)
    except StateStoreError as exc:
        st.warning(f"The alert history cannot be opened: {literal(str(exc))}")
        return None


def _readable(deliveries: pd.DataFrame) -> pd.DataFrame:
    return deliveries.assign(
        status=deliveries["status"].map(lambda s: _STATUS.get(str(s), str(s))),
        kind=deliveries["kind"].map(lambda k: KIND_LABELS.get(str(k), str(k))),
        attempted_at=pd.to_datetime(deliveries["attempted_at"], utc=True, format="ISO8601"),
    )


_COLUMNS: dict[str, Any] = {
    "attempted_at": st.column_config.DatetimeColumn("When (UTC)", format="D MMM YYYY, HH:mm"),
    "recipient": "To", "channel": "Channel", "address": "Address", "status": "Delivery", "kind": "Alert",
    "summary": st.column_config.TextColumn("What", width="large"),
    "link": st.column_config.LinkColumn("Explained in", display_text="Open"),
    "error": "Why it failed",
}


def show_alert_history(ctx: AppContext, owner: str, mine: pd.DataFrame) -> None:
    """The alerts sent to ``owner``, the mutes in force and a form to mute a touchpoint or an alert."""
    st.subheader("Alerts sent to you, and mutes")
    engine = _store(ctx)
    if engine is None:
        return
    try:
        sent = delivery_frame(engine, [owner], limit=SHOWN_DELIVERIES)
        mutes = active_mutes(engine, dt.date.today(), [owner])
    except StateStoreError as exc:
        st.warning(f"The alert history cannot be read: {literal(str(exc))}")
        return
    if sent.empty:
        st.info(f"No alert has been sent to {literal(owner)} yet. Digests go out when "
                "`python -m metrics.alerts send` runs (README \"Alerts\").")
    else:
        shown = ["attempted_at", "channel", "status", "kind", "summary", "link"]
        st.dataframe(_readable(sent)[shown], hide_index=True, width="stretch",
                     column_config={k: v for k, v in _COLUMNS.items() if k in shown})
    names = dict(zip(mine["touchpoint_id"], mine["name"], strict=True))
    if not mutes.empty:
        listed = mutes.assign(what=[f"every alert of {names.get(t, t)}" if t else f"one alert: {k}"
                                    for t, k in zip(mutes["touchpoint_id"], mutes["alert_key"], strict=True)],
                              until=mutes["until"].map(lambda d: date_text(dt.date.fromisoformat(str(d)))))
        st.dataframe(listed[["what", "until", "muted_by"]], hide_index=True, width="stretch",
                     column_config={"what": "Muted", "until": "Until (inclusive)", "muted_by": "Muted by"})
    _mute_form(engine, owner, names, sent)


def _mute_form(engine: sa.Engine, owner: str, names: dict[str, str], sent: pd.DataFrame) -> None:
    choices = {f"tp:{t}": f"Every alert of {n}" for t, n in sorted(names.items(), key=lambda x: x[1])}
    recent = sent.drop_duplicates("alert_key").head(20)
    choices |= {f"key:{k}": f"This alert: {s}"
                for k, s in zip(recent["alert_key"], recent["summary"], strict=True)}
    with st.form("mute_alerts", border=True):
        what_col, days_col, button_col = st.columns([4, 1, 1], vertical_alignment="bottom")
        what = what_col.selectbox("Mute", list(choices), format_func=choices.__getitem__)
        days = days_col.selectbox("For", MUTE_DAYS, format_func=lambda d: f"{d} days")
        if button_col.form_submit_button("Mute", icon="🔕") and what is not None:
            until = dt.date.today() + dt.timedelta(days=int(days))
            kind, _, value = str(what).partition(":")
            now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
            try:
                add_mute(engine, owner, until, owner, now, touchpoint_id=value if kind == "tp" else None,
                         alert_key=value if kind == "key" else None)
            except StateStoreError as exc:
                st.error(f"The mute was not saved: {literal(str(exc))}")
                return
            st.success(f"Muted for {literal(owner)} until {date_text(until)}: {literal(choices[what])}.")


def show_alert_deliveries(ctx: AppContext) -> None:
    """Which alerts went to whom, newest first, with failures and why."""
    st.subheader("Alerts sent: to whom, and whether they arrived")
    engine = _store(ctx)
    if engine is None:
        return
    try:
        sent = delivery_frame(engine, limit=SHOWN_DELIVERIES)
    except StateStoreError as exc:
        st.warning(f"The alert history cannot be read: {literal(str(exc))}")
        return
    if sent.empty:
        st.info("No alert digest has been sent yet. Run `python -m metrics.alerts send` after each warehouse "
                "load, after the checks (README \"Alerts\").")
        return
    shown = ["attempted_at", "recipient", "channel", "address", "status", "kind", "summary", "error"]
    st.dataframe(_readable(sent)[shown], hide_index=True, width="stretch",
                 column_config={k: v for k, v in _COLUMNS.items() if k in shown})
    st.caption(f"The latest {SHOWN_DELIVERIES} delivery attempts. Data-quality alerts go to the data steward "
               "named in the contacts file (MOT_CONTACTS); a failed delivery is tried again on the next run.")
