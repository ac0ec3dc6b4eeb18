"""The one rule for a standing problem: a value off target for N periods in a row.

A crossing alert fires when a status changes; a KPI that has been off target for months changes
nothing and would never be alerted again. ``off_target_streaks`` counts, per series, the periods
in a row up to the latest one in which the value was off target (judged, trusted:
metrics.judgement); ``standing_off_target`` keeps those with at least ``periods`` (the setting
MOT_ALERT_STREAK, default 3). My touchpoints lists them first and the alerts send them
(``streak_runs`` adds when the streak began and the latest value), both through this one rule.

A period without a value for a series, or with a value that is not trusted, ends its streak: a
streak is evidence of a problem, and missing or untrusted data is not evidence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.i18n import tr_n
from metrics.registry import KpiRegistry, kpi_directions
from metrics.status import Status, classify_frame
from metrics.trust import TrustState

__all__ = ["DEFAULT_ALERT_STREAK", "off_target_streaks", "standing_off_target", "STREAK_COLUMNS",
           "streak_runs", "streak_text"]

DEFAULT_ALERT_STREAK = 3


def off_target_streaks(series: pd.DataFrame, keys: list[str],
                       periods: np.ndarray | None = None) -> pd.DataFrame:
    """Per series (``keys``), how many periods in a row up to the series' latest period of the
    frame were off target. ``series``: judged periods (period_start, keys, status). Returns the
    key columns, ``streak`` (0 when the latest period is not off target or has no row) and
    ``periods_seen`` (how many periods the frame has). ``periods``: the frame's periods, sorted, when
    it is a part of a larger one (read by touchpoint): those of every part, every period of this
    part among them, so that a part counts its streaks as the whole frame would."""
    if series.empty:
        return pd.DataFrame(columns=[*keys, "streak", "periods_seen"]).astype(
            {"streak": "int64", "periods_seen": "int64"})
    periods = np.sort(series["period_start"].unique()) if periods is None else periods
    # A grid of series x periods, True where off target (no row: False), filled by each row's series
    # and period codes: a pivot table of every row built a frame of 411,210 rows for My touchpoints'
    # 27 months at 100 M fact rows (#19). Rows without a key belong to no series, as in a grouping.
    groups = series.groupby(keys, sort=True)
    names = groups.size().index
    group = groups.ngroup().to_numpy()
    keep = ~np.isnan(group) if group.dtype.kind == "f" else np.ones(len(group), dtype=bool)
    column = np.searchsorted(periods, series["period_start"].to_numpy())
    off = series["status"].eq(Status.OFF_TARGET.value).to_numpy(dtype=bool) & keep
    grid = np.zeros((len(names), len(periods)), dtype=bool)
    grid[group[off].astype(np.int64), column[off]] = True
    # From the latest period backwards, a run of True counts until the first False.
    latest_first = grid[:, ::-1]
    streak = np.where(latest_first.all(axis=1), len(periods), latest_first.argmin(axis=1)).astype("int64")
    # A streak as long as the frame (periods_seen) may have begun earlier: "N or more" (streak_text).
    return pd.Series(streak, index=names, name="streak").reset_index().assign(periods_seen=len(periods))


def streak_text(streak: int, periods_seen: int | None = None) -> str:
    """"off target 4 periods in a row", or "... 27 or more ..." when the streak spans every period
    looked at (it may have begun before them)."""
    if periods_seen is not None and streak >= periods_seen:
        return tr_n("off target {n} or more period in a row", "off target {n} or more periods in a row",
                    streak).format(n=streak)
    return tr_n("off target {n} period in a row", "off target {n} periods in a row", streak).format(n=streak)


def standing_off_target(
    series: pd.DataFrame, keys: list[str], periods: int = DEFAULT_ALERT_STREAK,
    streaks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The series off target for at least ``periods`` periods in a row, up to the latest one:
    the key columns and ``streak``, longest first. ``streaks``: ``off_target_streaks(series, keys)``
    when the caller has it already (My touchpoints ranks by it too)."""
    if periods < 1:
        raise ValueError("a streak needs at least one period")  # i18n: not shown
    if streaks is None:
        streaks = off_target_streaks(series, keys)
    standing = streaks[streaks["streak"] >= periods]
    return standing.sort_values("streak", ascending=False, kind="stable").reset_index(drop=True)


#: Columns of ``streak_runs`` besides the series keys.
STREAK_COLUMNS = ["kpi_id", "periods", "since", "period_start", "value", "target"]


def streak_runs(series: pd.DataFrame, keys: list[str], registry: KpiRegistry | None = None) -> pd.DataFrame:
    """The same rule with the detail an alert needs: one row per series (``keys`` and kpi_id) off
    target in the frame's latest period, with ``periods`` (how many in a row, >= 1), ``since``
    (the streak's first period), ``period_start``, ``value`` and ``target`` of the latest period.

    Example: statuses on, off, off, off over four weeks give periods = 3, since = the second week.
    A frame without judged ``status`` (value, target, tolerance and optionally trust) is judged here
    the same way (``registry`` gives each KPI's direction); a value that is not trusted is not off
    target for a streak.
    """
    columns = [*keys, *STREAK_COLUMNS]
    if series.empty:
        return pd.DataFrame(columns=columns)
    frame = series.assign(period_start=pd.to_datetime(series["period_start"]))
    if "status" in frame.columns:
        off = frame["status"].eq(Status.OFF_TARGET.value)
    else:
        if registry is None:
            raise ValueError(  # i18n: not shown (a programming error)
                "streak_runs needs the KPI registry to judge a frame without status")
        directions = kpi_directions(frame["kpi_id"], registry)
        off = classify_frame(frame, directions).eq(Status.OFF_TARGET.value)
        if "trust" in frame.columns:
            off &= frame["trust"].ne(TrustState.NOT_TRUSTED.value)
    frame = frame.assign(_off=off.astype("int64"))
    group = [*keys, "kpi_id"]
    frame = frame.sort_values([*group, "period_start"], ascending=False)
    frame["_run"] = frame.groupby(group, sort=False, dropna=False)["_off"].cumprod()
    heads = frame.groupby(group, sort=False, dropna=False).head(1)
    heads = heads[(heads["period_start"] == frame["period_start"].max()) & (heads["_off"] == 1)]
    if heads.empty:
        return pd.DataFrame(columns=columns)
    runs = frame[frame["_run"] == 1].groupby(group, sort=False, dropna=False).agg(
        periods=("_run", "size"), since=("period_start", "min")).reset_index()
    out = heads[[*group, "period_start", "value", "target"]].merge(runs, on=group, how="left")
    return out[columns].sort_values(group).reset_index(drop=True)
