"""Does an action work? Its KPI before and after the day it started, each judged against target.

- **Windows**: *after* runs from the start day to ``as_of``, at most EFFECT_DAYS days; *before*
  is as many days just before the start day, so both cover the same length of time. An action that
  starts after ``as_of`` has no after window yet ("not started").
- The two values are judged by metrics.judgement like every number (target in force, status,
  trust); the caller passes them judged (one row per action in each frame, with ``action_id``).
- **Effect**: *working* when the after value is closer to (or further beyond) its target than the
  before value by at least one band (metrics.owners.bands), *worse* when it moved one band or more
  the other way, *no clear change yet* in between; *cannot be judged* when either side has no
  trusted value with a target, and *too early* when there is no after value yet.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.formatting import date_text, number_text
from metrics.i18n import tr
from metrics.judgement import JUDGED_STATUSES
from metrics.model import Period
from metrics.owners import bands
from metrics.registry import KpiRegistry

__all__ = ["action_effects", "action_windows", "EFFECT_COLUMNS", "EFFECT_DAYS"]

EFFECT_DAYS = 90
EFFECT_COLUMNS = ["action_id", "before_text", "after_text", "target_text", "before_status", "after_status",
                  "effect", "before_window", "after_window"]


def action_windows(
    started: dt.date, as_of: dt.date, days: int = EFFECT_DAYS
) -> tuple[Period, Period | None]:
    """The before and after windows of an action that started on ``started`` (module docstring)."""
    if started > as_of:
        return Period(started - dt.timedelta(days=days), started - dt.timedelta(days=1)), None
    after = Period(started, min(as_of, started + dt.timedelta(days=days - 1)))
    before = Period(started - dt.timedelta(days=after.days), started - dt.timedelta(days=1))
    return before, after


def action_effects(
    actions: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame, registry: KpiRegistry
) -> pd.DataFrame:
    """One row per action (``actions``: action_id, kpi_id) with the judged before and after values
    in words and the effect (EFFECT_COLUMNS). ``before``/``after``: judged rows with action_id
    (value, target, tolerance, gap, status, status_text, period_start, period_end)."""
    rows = []
    for action in actions.itertuples(index=False):
        kpi = registry.get(str(action.kpi_id))
        b, a = _row(before, action.action_id), _row(after, action.action_id)
        fmt = kpi.format if kpi else (lambda v: "" if pd.isna(v) else f"{v:g}")
        target = a["target"] if a is not None and pd.notna(a["target"]) else None
        target = b["target"] if target is None and b is not None else target
        rows.append({
            "action_id": action.action_id,
            "before_text": _value_text(b, fmt),
            "after_text": _value_text(a, fmt) if a is not None else tr("not started yet"),
            "target_text": fmt(target) if target is not None and pd.notna(target) else tr("no target"),
            "before_status": b["status"] if b is not None else "no_data",
            "after_status": a["status"] if a is not None else "no_data",
            "effect": _effect(b, a, after_started=a is not None),
            "before_window": _window(b),
            "after_window": _window(a),
        })
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def _row(frame: pd.DataFrame, action_id: object) -> pd.Series | None:
    if frame.empty:
        return None
    match = frame[frame["action_id"] == action_id]
    return None if match.empty else match.iloc[0]


def _value_text(row: pd.Series | None, fmt: object) -> str:
    if row is None or pd.isna(row["value"]):
        return tr("no value")
    return f"{fmt(row['value'])} ({row['status_text']})"  # type: ignore[operator]


def _window(row: pd.Series | None) -> str:
    if row is None:
        return ""
    return f"{date_text(row['period_start'])} – {date_text(row['period_end'])}"


def _effect(before: pd.Series | None, after: pd.Series | None, after_started: bool) -> str:
    if not after_started:
        return tr("too early: it has not started")
    judged = [r is not None and r["status"] in JUDGED_STATUSES for r in (before, after)]
    if not all(judged):
        return tr("cannot be judged: no trusted value with a target on both sides")
    assert before is not None and after is not None
    band = float(bands(pd.DataFrame([after])).iloc[0])
    moved = (float(after["gap"]) - float(before["gap"])) / band
    if moved >= 1:
        return tr("working: better against target by {move} tolerance widths").format(
            move=number_text(moved, 1))
    if moved <= -1:
        return tr("worse: further from target by {move} tolerance widths").format(
            move=number_text(-moved, 1))
    return tr("no clear change yet")
