"""How long a KPI has been off target without a break: the rule behind "off target for N periods".

Pure, no I/O. Input is a judged value series (metrics.judgement.judge): one row per period, series
key (e.g. touchpoint_id) and kpi_id, with value, target, tolerance and optionally trust. A streak
counts the consecutive periods, ending with the latest period of the whole frame, whose status
(metrics/status.py) is off target. A period without a judged value (no data, no target, or a value
that is not trusted) ends the streak: it is no evidence either way, and an untrusted value must
never raise a KPI alert. A series whose data stopped before the latest period has no streak.
Used by the alerts (metrics.alerts, kind ``off_target_streak``) and by lists that show streaks.
"""

from __future__ import annotations

import pandas as pd

from metrics.registry import KpiRegistry
from metrics.status import Status, classify_frame
from metrics.trust import TrustState

__all__ = ["off_target_streaks", "STREAK_COLUMNS"]

STREAK_COLUMNS = ["kpi_id", "periods", "since", "period_start", "value", "target"]


def off_target_streaks(series: pd.DataFrame, registry: KpiRegistry, keys: list[str]) -> pd.DataFrame:
    """One row per series off target in the frame's latest period: keys, kpi_id, periods (how many
    consecutive periods, >= 1), since (first period of the streak), period_start, value, target.

    Example: statuses on, off, off, off over four weeks give periods = 3, since = the second week.
    """
    columns = [*keys, *STREAK_COLUMNS]
    if series.empty:
        return pd.DataFrame(columns=columns)
    frame = series.assign(period_start=pd.to_datetime(series["period_start"]))
    directions = frame["kpi_id"].map({k: registry[str(k)].direction.value for k in frame["kpi_id"].unique()})
    off = classify_frame(frame, directions).eq(Status.OFF_TARGET.value)
    if "trust" in frame.columns:
        off &= frame["trust"].ne(TrustState.NOT_TRUSTED.value)
    frame = frame.assign(_off=off.astype("int64")).sort_values([*keys, "kpi_id", "period_start"],
                                                               ascending=False)
    group = [*keys, "kpi_id"]
    frame["_run"] = frame.groupby(group, sort=False, dropna=False)["_off"].cumprod()
    latest_period = frame["period_start"].max()
    heads = frame.groupby(group, sort=False, dropna=False).head(1)
    heads = heads[(heads["period_start"] == latest_period) & (heads["_off"] == 1)]
    if heads.empty:
        return pd.DataFrame(columns=columns)
    in_run = frame[frame["_run"] == 1]
    runs = in_run.groupby(group, sort=False, dropna=False).agg(periods=("_run", "size"),
                                                                since=("period_start", "min")).reset_index()
    out = heads[[*group, "period_start", "value", "target"]].merge(runs, on=group, how="left")
    return out[columns].sort_values(group).reset_index(drop=True)
