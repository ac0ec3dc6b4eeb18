"""Owners' actions on the pages: record one, change its status, and show each with its KPI before
and after its start (connectors.actions, metrics.action_effects, review.actions_section).

The store is read on every run (others change it; it is small). The actions' before and after
values come through ``load_judged_periods`` (every window of the shown actions in one statement,
cached), so they are judged like every number.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from connectors.actions import (
    ACTION_STATUSES,
    ActionConflict,
    ActionError,
    NewAction,
    action_frame,
    action_status_text,
    prepare_action_store,
    record_action,
    set_action_status,
)
from connectors.runtime import state_engine
from connectors.state import StateStoreError
from metrics.action_effects import action_effects, action_windows
from metrics.i18n import tr
from metrics.model import Filters, Period, Scope
from review.actions_section import ACTIONS_TABLE_COLUMNS, actions_table
from ui.context import AppContext
from ui.period_loaders import load_judged_periods
from ui.tables import WRAPPING_ROW_HEIGHT
from ui.text import literal

#: At most this many actions get their before/after values judged on one page run (one statement for all).
JUDGED_ACTIONS = 30
DEFAULT_DUE_DAYS = 30
OPEN_STATUSES = ("planned", "doing")
#: Columns of the actions table kept narrow (their text wraps), so every column fits on screen: the keys
#: of review.actions_section.ACTIONS_TABLE_COLUMNS (the headings are words in the current language).
_NARROW = ("touchpoint_name", "kpi_name", "who", "due_text", "status", "started_text", "before_text",
           "after_text", "target_text")
_MEDIUM = ("what", "effect")


def action_store(ctx: AppContext) -> tuple[sa.Engine | None, str]:
    """The state store with the actions table, or None and what is wrong with it."""
    try:
        engine = state_engine(ctx.settings.state_url)
        prepare_action_store(engine)
    except StateStoreError as exc:
        return None, str(exc)
    return engine, ""


def _judged_windows(ctx: AppContext, actions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every action's judged values before and after its start (rows with ``action_id``), from one
    statement for all actions (ui.period_loaders: each window a period of one scan) instead of two
    per action. An action's rows are those of its touchpoint and KPI: values are aggregated and
    judged per touchpoint and KPI, so asking for the others too changes none of them."""
    windows: dict[str, Period] = {}
    wanted: list[tuple[int, object, str, str, str]] = []  # (side, action id, touchpoint, KPI, window)
    for _, action in actions.iterrows():
        for side, window in enumerate(action_windows(action["started"], ctx.as_of)):
            if window is None or window.end < ctx.first_date:
                continue
            start = max(window.start, ctx.first_date)
            label = f"{start.isoformat()}/{window.end.isoformat()}"
            windows[label] = Period(start, window.end, label)
            wanted.append((side, action["action_id"], str(action["touchpoint_id"]), str(action["kpi_id"]),
                           label))
    if not wanted:
        return _stacked([]), _stacked([])
    judged = load_judged_periods(
        ctx, dict(sorted(windows.items())), by=Scope.TOUCHPOINT,
        filters=Filters(touchpoint_ids=tuple(sorted({w[2] for w in wanted}))),
        kpi_ids=tuple(sorted({w[3] for w in wanted})),
    )
    sides: tuple[list[pd.DataFrame], list[pd.DataFrame]] = ([], [])
    for side, action_id, touchpoint_id, kpi_id, label in wanted:
        frame = judged[label]
        mine = frame[(frame["touchpoint_id"] == touchpoint_id) & (frame["kpi_id"] == kpi_id)]
        sides[side].append(mine.reset_index(drop=True).assign(action_id=action_id))
    return _stacked(sides[0]), _stacked(sides[1])


def load_actions(
    ctx: AppContext, engine: sa.Engine, touchpoint_ids: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """The actions (of these touchpoints) with names, journey and the before/after values in words
    (review.actions_section's columns). Actions on KPIs this warehouse does not have keep no values.
    A scoped person (login) gets only the actions on touchpoints whose figures they may read."""
    if not ctx.scope.everything:
        visible = ctx.scope.touchpoint_ids
        touchpoint_ids = tuple(t for t in (touchpoint_ids or tuple(sorted(visible))) if t in visible)
        if not touchpoint_ids:
            return action_frame(engine, ("",)).iloc[0:0]
    actions = action_frame(engine, touchpoint_ids)
    if actions.empty:
        return actions
    actions = actions[actions["kpi_id"].isin(ctx.registry.ids())].tail(JUDGED_ACTIONS)
    before, after = _judged_windows(ctx, actions)
    effects = action_effects(actions, before, after, ctx.registry)
    names = ctx.touchpoints[["touchpoint_id", "name", "journey_id"]].rename(
        columns={"name": "touchpoint_name"})
    out = actions.merge(effects, on="action_id").merge(names, on="touchpoint_id", how="left")
    out["touchpoint_name"] = out["touchpoint_name"].fillna(out["touchpoint_id"])
    out["kpi_name"] = out["kpi_id"].map(lambda k: ctx.registry[k].name)
    return out


def open_action_touchpoints(actions: pd.DataFrame | None) -> frozenset[str]:
    """Touchpoints with an action that is planned or under way."""
    if actions is None or actions.empty:
        return frozenset()
    return frozenset(actions.loc[actions["status"].isin(OPEN_STATUSES), "touchpoint_id"].astype(str))


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    present = [f for f in frames if len(f)]
    return pd.concat(present, ignore_index=True) if present else pd.DataFrame(columns=["action_id"])


def show_actions(actions: pd.DataFrame, journey_id: str | None = None, empty: str | None = None) -> None:
    """The actions table (review.actions_section.actions_table) with the statuses in words; literal
    text, cells are plain. ``empty``: what to say when there is none (default "No actions recorded yet.")."""
    mine = actions if journey_id is None or actions.empty else actions[actions["journey_id"] == journey_id]
    if mine.empty:
        st.info(tr("No actions recorded yet.") if empty is None else empty)
        return
    table = actions_table(mine.assign(status=mine["status"].map(action_status_text)))
    headings = dict(zip(ACTIONS_TABLE_COLUMNS, table.columns, strict=True))
    config = {**{headings[c]: st.column_config.TextColumn(width="small") for c in _NARROW},
              **{headings[c]: st.column_config.TextColumn(width="medium") for c in _MEDIUM}}
    st.dataframe(table, hide_index=True, width="stretch", row_height=WRAPPING_ROW_HEIGHT,
                 column_config=config)
    st.caption(tr("Before start and since start cover the same number of days (at most 90), each judged "
                  "against its target; an effect needs trusted values with a target on both sides."))


def record_action_form(ctx: AppContext, engine: sa.Engine, touchpoints: pd.DataFrame, owner: str,
                       suggested: tuple[str, str] | None = None, *, key: str = "record_action",
                       what: str = "", decision_of: str = "") -> None:
    """A form to record an action on one of ``touchpoints``; ``suggested`` (touchpoint, KPI) is
    preselected (the first priority), ``what`` prefilled (a decision's text)."""
    names = dict(zip(touchpoints["touchpoint_id"].tolist(), touchpoints["name"].tolist(), strict=False))
    ids, kpis = list(names), list(ctx.registry.ids())
    tp_index = ids.index(suggested[0]) if suggested and suggested[0] in ids else 0
    kpi_index = kpis.index(suggested[1]) if suggested and suggested[1] in kpis else 0
    with st.form(key, clear_on_submit=True):
        left, right = st.columns(2)
        touchpoint = left.selectbox(tr("Touchpoint"), ids, index=tp_index,
                                    format_func=lambda t: str(names[t]))
        kpi = right.selectbox(tr("KPI"), kpis, index=kpi_index, format_func=lambda k: ctx.registry[k].name)
        what = st.text_area(tr("What will be done"), value=what, max_chars=2000)
        who_col, start_col, due_col, status_col = st.columns(4)
        who = who_col.text_input(tr("Who does it"), value=owner, max_chars=200)
        started = start_col.date_input(tr("Starts on"), value=ctx.as_of, format="YYYY-MM-DD")
        due = due_col.date_input(tr("Due"), value=ctx.as_of + dt.timedelta(days=DEFAULT_DUE_DAYS),
                                 format="YYYY-MM-DD")
        status = status_col.selectbox(tr("Status"), ACTION_STATUSES, format_func=action_status_text)
        if not st.form_submit_button(tr("Record action")):
            return
    try:
        action_id = record_action(engine, NewAction(touchpoint, kpi, what, who, due, started, status,
                                                    decision_of), owner, dt.datetime.now(dt.UTC))
    except (ActionError, StateStoreError) as exc:
        st.error(literal(exc))
        return
    st.success(tr("Action {id} recorded on {touchpoint}.").format(id=action_id,
                                                                  touchpoint=literal(names[touchpoint])))


def status_form(engine: sa.Engine, actions: pd.DataFrame, author: str) -> None:
    """Change the status of one of ``actions`` (optimistic: a change in between is refused)."""
    if actions.empty:
        return
    labels = {int(r.action_id): f"{r.touchpoint_name}: {r.what}"[:120] for r in actions.itertuples()}
    versions = dict(zip(actions["action_id"].astype(int), actions["version"].astype(int), strict=True))
    with st.form("action_status"):
        left, right = st.columns([3, 1])
        chosen = left.selectbox(tr("Action"), list(labels), format_func=lambda a: labels[a])
        status = right.selectbox(tr("New status"), ACTION_STATUSES, format_func=action_status_text)
        if not st.form_submit_button(tr("Change status")):
            return
    try:
        set_action_status(engine, chosen, status, versions[chosen], author, dt.datetime.now(dt.UTC))
    except (ActionConflict, ActionError, StateStoreError) as exc:
        st.error(literal(exc))
        return
    st.rerun()


def decision_actions(ctx: AppContext, engine: sa.Engine, comments: pd.DataFrame, quarter: str,
                     journey_id: str, author: str) -> None:
    """Each comment of the journey marked as a decision (``comments``: the quarter's, as
    review.store.comment_frame, read after any save of this run, so a decision saved earlier in
    this run is already listed), with a form that turns it into an action."""
    if comments.empty:
        return
    marked = comments["decision"].fillna(False).astype(bool)
    decisions = comments[(comments["journey_id"] == journey_id) & marked]
    touchpoints = ctx.touchpoints[ctx.touchpoints["journey_id"] == journey_id]
    if decisions.empty or touchpoints.empty:
        return
    st.markdown(tr("**Decisions: turn each into an action**"))
    for row in decisions.itertuples(index=False):
        with st.expander(literal(tr("Decision by {author}: {text}").format(author=row.author,
                                                                           text=str(row.text)[:90]))):
            kpi = str(row.kpi_id) if str(row.kpi_id) in ctx.registry.ids() else None
            suggested = (str(touchpoints["touchpoint_id"].iloc[0]), kpi or ctx.registry.ids()[0])
            record_action_form(ctx, engine, touchpoints, author or str(row.author), suggested,
                               key=f"decision_{quarter}_{journey_id}_{row.kpi_id}", what=str(row.text),
                               decision_of=tr("{quarter} review decision by {author}").format(
                                   quarter=quarter, author=row.author))
