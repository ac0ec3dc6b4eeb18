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
from metrics.alerts import kind_label
from metrics.formatting import date_text
from metrics.i18n import N_, tr, tr_n
from ui.context import AppContext
from ui.text import literal

MUTE_DAYS = (7, 14, 30, 90)
SHOWN_DELIVERIES = 200
_STATUS = {"sent": N_("✅ sent"), "failed": N_("❌ failed (retried on the next run)")}


def _store(ctx: AppContext) -> sa.Engine | None:
    try:
        return state_engine(ctx.settings.state_url)
    except StateStoreError as exc:
        st.warning(tr("The alert history cannot be opened: {problem}").format(problem=literal(str(exc))))
        return None


def _readable(deliveries: pd.DataFrame) -> pd.DataFrame:
    return deliveries.assign(
        status=deliveries["status"].map(lambda s: tr(_STATUS[str(s)]) if str(s) in _STATUS else str(s)),
        kind=deliveries["kind"].map(kind_label),
        attempted_at=pd.to_datetime(deliveries["attempted_at"], utc=True, format="ISO8601"),
    )


def _show_deliveries(sent: pd.DataFrame, shown: list[str]) -> None:
    """The ``shown`` columns of delivery rows, headed in the current language (the columns keep their
    names: the alert tests and the data quality page read them)."""
    columns: dict[str, Any] = {
        "attempted_at": st.column_config.DatetimeColumn(
            tr("When (UTC)"), format="D MMM YYYY, HH:mm"),  # i18n: not shown (a date format)
        "recipient": tr("To"), "channel": tr("Channel"), "address": tr("Address"), "status": tr("Delivery"),
        "kind": tr("Alert"),
        "summary": st.column_config.TextColumn(tr("What"), width="large"),
        "link": st.column_config.LinkColumn(tr("Explained in"), display_text=tr("Open")),
        "error": tr("Why it failed"),
    }
    st.dataframe(_readable(sent)[shown], hide_index=True, width="stretch",
                 column_config={k: v for k, v in columns.items() if k in shown})


def show_alert_history(ctx: AppContext, owner: str, mine: pd.DataFrame) -> None:
    """The alerts sent to ``owner``, the mutes in force and a form to mute a touchpoint or an alert."""
    st.subheader(tr("Alerts sent to you, and mutes"))
    engine = _store(ctx)
    if engine is None:
        return
    try:
        sent = delivery_frame(engine, [owner], limit=SHOWN_DELIVERIES)
        mutes = active_mutes(engine, dt.date.today(), [owner])
    except StateStoreError as exc:
        st.warning(tr("The alert history cannot be read: {problem}").format(problem=literal(str(exc))))
        return
    if sent.empty:
        st.info(tr("No alert has been sent to {owner} yet. Digests go out when "
                   "`python -m metrics.alerts send` runs (README \"Alerts\").").format(owner=literal(owner)))
    else:
        shown = ["attempted_at", "channel", "status", "kind", "summary", "link"]
        _show_deliveries(sent, shown)
    names = dict(zip(mine["touchpoint_id"].tolist(), mine["name"].tolist(), strict=True))  # not Arrow cells
    if not mutes.empty:
        listed = mutes.assign(what=[tr("every alert of {touchpoint}").format(touchpoint=names.get(t, t)) if t
                                    else tr("one alert: {alert}").format(alert=k)
                                    for t, k in zip(mutes["touchpoint_id"], mutes["alert_key"], strict=True)],
                              until=mutes["until"].map(lambda d: date_text(dt.date.fromisoformat(str(d)))))
        st.dataframe(listed[["what", "until", "muted_by"]].rename(columns={
            "what": tr("Muted"), "until": tr("Until (inclusive)"), "muted_by": tr("Muted by")}),
            hide_index=True, width="stretch")
    _mute_form(engine, owner, names, sent)


def _mute_form(engine: sa.Engine, owner: str, names: dict[str, str], sent: pd.DataFrame) -> None:
    every = tr("Every alert of {touchpoint}")  # once, not per touchpoint (thousands for a map owner)
    choices = {f"tp:{t}": every.format(touchpoint=n) for t, n in sorted(names.items(), key=lambda x: x[1])}
    recent = sent.drop_duplicates("alert_key").head(20)
    choices |= {f"key:{k}": tr("This alert: {alert}").format(alert=s)
                for k, s in zip(recent["alert_key"], recent["summary"], strict=True)}
    with st.form("mute_alerts", border=True):
        what_col, days_col, button_col = st.columns([4, 1, 1], vertical_alignment="bottom")
        what = what_col.selectbox(tr("Mute"), list(choices), format_func=choices.__getitem__)
        days = days_col.selectbox(tr("For"), MUTE_DAYS,
                                  format_func=lambda d: tr_n("{n} day", "{n} days", d).format(n=d))
        if button_col.form_submit_button(tr("Mute"), icon="🔕") and what is not None:
            until = dt.date.today() + dt.timedelta(days=int(days))
            kind, _, value = str(what).partition(":")
            now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
            try:
                add_mute(engine, owner, until, owner, now, touchpoint_id=value if kind == "tp" else None,
                         alert_key=value if kind == "key" else None)
            except StateStoreError as exc:
                st.error(tr("The mute was not saved: {problem}").format(problem=literal(str(exc))))
                return
            st.success(tr("Muted for {owner} until {until}: {what}.").format(
                owner=literal(owner), until=date_text(until), what=literal(choices[what])))


def show_alert_deliveries(ctx: AppContext) -> None:
    """Which alerts went to whom, newest first, with failures and why."""
    st.subheader(tr("Alerts sent: to whom, and whether they arrived"))
    engine = _store(ctx)
    if engine is None:
        return
    try:
        sent = delivery_frame(engine, limit=SHOWN_DELIVERIES)
    except StateStoreError as exc:
        st.warning(tr("The alert history cannot be read: {problem}").format(problem=literal(str(exc))))
        return
    if sent.empty:
        st.info(tr("No alert digest has been sent yet. Run `python -m metrics.alerts send` after each "
                   "warehouse load, after the checks (README \"Alerts\")."))
        return
    shown = ["attempted_at", "recipient", "channel", "address", "status", "kind", "summary", "error"]
    _show_deliveries(sent, shown)
    st.caption(tr("The latest {count} delivery attempts. Data-quality alerts go to the data steward named "
                  "in the contacts file (MOT_CONTACTS); a failed delivery is tried again on the next "
                  "run.").format(count=SHOWN_DELIVERIES))
