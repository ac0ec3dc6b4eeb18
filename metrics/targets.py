"""Target resolution: which target, tolerance and stretch apply to a value.

Rules (documented in README "Targets"):
- A target applies on a date when ``valid_from <= date`` and (``valid_to`` is null or
  ``date <= valid_to``).
- A value over a period is judged against the targets in force on the period's last day, so a
  closed quarter keeps the target it had even after targets change.
- The most specific scope wins: touchpoint, then stage, then journey, then all.
- Should two rows of the same KPI and scope overlap (a data fault the checks report), the one that
  started last wins (on equal starts, the later row of the table), so the answer is still
  deterministic.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from metrics._keys import factorized, matching_pairs
from metrics.model import TARGET_SCOPE_PRIORITY, Scope

__all__ = ["kpis_with_targets", "resolve_targets", "resolve_targets_on", "SCOPE_KEY", "target_steps",
    "targets_in_force"]

TARGET_COLUMNS = ("target", "tolerance", "stretch")

#: Which key column of a value frame matches which target scope.
SCOPE_KEY: dict[Scope, str] = {
    Scope.TOUCHPOINT: "touchpoint_id",
    Scope.STAGE: "stage_id",
    Scope.JOURNEY: "journey_id",
}


def targets_in_force(targets: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """Target rows valid on ``on``, one per (kpi_id, scope, scope_id): the latest start wins."""
    day = pd.Timestamp(on)
    valid_from = pd.to_datetime(targets["valid_from"])
    valid_to = pd.to_datetime(targets["valid_to"])
    live = targets[(valid_from <= day) & (valid_to.isna() | (valid_to >= day))].copy()
    live["_from"] = pd.to_datetime(live["valid_from"])
    live["scope_id"] = live["scope_id"].astype("object").where(live["scope_id"].notna(), None)
    live = live.sort_values("_from").drop_duplicates(["kpi_id", "scope", "scope_id"], keep="last")
    return live.drop(columns="_from").reset_index(drop=True)


def resolve_targets(values: pd.DataFrame, targets: pd.DataFrame, on: dt.date) -> pd.DataFrame:
    """Add target, tolerance, stretch and target_scope columns to a frame of values.

    Every row is judged on the one date ``on``; see ``resolve_targets_on``.
    """
    return resolve_targets_on(values, targets, pd.Series(pd.Timestamp(on), index=values.index))


def resolve_targets_on(values: pd.DataFrame, targets: pd.DataFrame, on: pd.Series | str) -> pd.DataFrame:
    """Add target, tolerance, stretch and target_scope columns, each row judged on its own date.

    ``on`` is a Series of dates with the index of ``values``, or the name of a date column of it.
    ``values`` has a kpi_id column and any of touchpoint_id, stage_id, journey_id; a key column
    that is absent (or null on a row) means the value is aggregated above that level, so a target
    of that scope cannot apply. Per row and scope the target row in force that started last wins
    (on equal starts, the later row of ``targets``); a winner without a target leaves the row to
    the next, wider scope. Returns a new frame with the index and row order of ``values``; rows
    without any target get NaN and target_scope None.
    """
    days = _as_dates(values[on] if isinstance(on, str) else on.reindex(values.index))
    live = _candidates(targets, days)
    has_target = live["target"].notna().to_numpy()
    starts, ends = _as_dates(live["valid_from"]), _as_dates(live["valid_to"])
    chosen = np.full(len(values), -1)  # position in ``live`` of the row that applies, -1 for none
    scope_of = np.full(len(values), None, dtype=object)
    # Each key column factorized once for every scope (a column absent is never matched).
    codes = {c: factorized(values[c]) for c in ("kpi_id", *SCOPE_KEY.values()) if c in values.columns}
    for scope in TARGET_SCOPE_PRIORITY:
        key = SCOPE_KEY.get(scope)
        candidates = live[live["scope"] == scope.value]
        if candidates.empty or (key is not None and key not in values.columns) or (chosen >= 0).all():
            continue
        open_rows = np.flatnonzero(chosen < 0)
        # The (row, candidate) pairs equal on KPI and scope id, as an inner merge pairs them
        # (scope "all": a stray scope_id is ignored), matched by codes (metrics/_keys.py).
        left, right = [codes["kpi_id"]], [candidates["kpi_id"]]
        if key is not None:
            left.append(codes[key])
            right.append(candidates["scope_id"])
        row, of = matching_pairs(left, right, rows=open_rows)
        pos = candidates["_pos"].to_numpy()[of]
        day = days[row]
        valid = (starts[pos] <= day) & (np.isnat(ends[pos]) | (day <= ends[pos]))
        row, pos = row[valid], pos[valid]
        order = np.lexsort((pos, starts[pos], row))  # by row, then start, then table order
        row, pos = row[order], pos[order]
        latest = np.ones(len(row), dtype=bool)  # the last of each row's run
        latest[:-1] = row[1:] != row[:-1]
        row, pos = row[latest], pos[latest]
        row, pos = row[has_target[pos]], pos[has_target[pos]]
        chosen[row] = pos
        scope_of[row] = scope.value
    out = values.copy(deep=False)  # copy-on-write: the columns set below are new (#19)
    for column in TARGET_COLUMNS:
        numbers = pd.to_numeric(live[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        out[column] = np.append(numbers, np.nan)[chosen]  # -1 picks the NaN on the end
    out["target_scope"] = pd.Series(scope_of, index=out.index, dtype="object")
    return out


def kpis_with_targets(targets: pd.DataFrame, start: dt.date, end: dt.date) -> frozenset[str]:
    """The KPIs with a target row (of any scope) in force on some day of [start, end].

    No value of any other KPI over a period ending in that range can get a target from
    ``resolve_targets_on``, so none of them can be on, at risk or off target there: a reader that
    only uses judged statuses (the health score's monthly trend) need not ask for them."""
    days = np.array([pd.Timestamp(start), pd.Timestamp(end)], dtype="datetime64[us]")
    live = _candidates(targets, days)
    return frozenset(live.loc[live["target"].notna(), "kpi_id"].astype(str))


def _as_dates(dates: pd.Series) -> np.ndarray:
    """Dates as datetime64[us] (a valid_to like 9999-12-31 does not fit in nanoseconds)."""
    return pd.to_datetime(dates).to_numpy().astype("datetime64[us]")


def _candidates(targets: pd.DataFrame, days: np.ndarray) -> pd.DataFrame:
    """Target rows in force on some day between the earliest and latest of ``days``, with
    ``_pos`` (their position in the result) and scope_id null as None."""
    known = days[~np.isnat(days)]
    if known.size == 0:
        return targets.iloc[:0].assign(_pos=np.arange(0))
    starts, ends = _as_dates(targets["valid_from"]), _as_dates(targets["valid_to"])
    overlaps = (starts <= known.max()) & (np.isnat(ends) | (ends >= known.min()))
    live = targets[overlaps].reset_index(drop=True)
    live["scope_id"] = live["scope_id"].astype("object").where(live["scope_id"].notna(), None)
    return live.assign(_pos=np.arange(len(live)))


def target_steps(
    targets: pd.DataFrame, kpi_id: str, scope_chain: dict[Scope, str | None], start: dt.date, end: dt.date
) -> pd.DataFrame:
    """The target of one KPI over time as steps, for trend charts.

    ``scope_chain`` names the ids that apply (e.g. {Scope.TOUCHPOINT: "tp_x", Scope.STAGE: "s",
    Scope.JOURNEY: "j"}); scope "all" always applies. Returns rows with start, end (inclusive,
    clipped to the range), target, tolerance, stretch and target_scope, one per change.
    """
    rows = targets[targets["kpi_id"] == kpi_id]
    first, final = pd.Timestamp(start), pd.Timestamp(end)
    changes = pd.concat([pd.to_datetime(rows["valid_from"]),
                         pd.to_datetime(rows["valid_to"]) + pd.Timedelta(days=1)]).dropna()
    ordered = sorted({first, *changes[(changes > first) & (changes <= final)]})
    ends = [*(moment - pd.Timedelta(days=1) for moment in ordered[1:]), final]
    keys = {SCOPE_KEY[s]: v for s, v in scope_chain.items() if s in SCOPE_KEY and v is not None}
    probe = pd.DataFrame([{"kpi_id": kpi_id, **keys}] * len(ordered))
    resolved = resolve_targets_on(probe, rows, pd.Series(pd.DatetimeIndex(ordered).normalize()))
    judged = resolved[[*TARGET_COLUMNS, "target_scope"]].to_dict("records")
    steps = [{"start": m, "end": last, **r} for m, last, r in zip(ordered, ends, judged, strict=True)]
    frame = pd.DataFrame(steps)
    # Merge neighbours with the same target so a step is drawn only where something changes.
    comparable = frame[list(TARGET_COLUMNS)].fillna(float("-inf"))  # NaN == NaN for this purpose
    changed = comparable.ne(comparable.shift()).any(axis=1)
    frame["_group"] = changed.cumsum()
    merged = frame.groupby("_group", as_index=False).agg(
        start=("start", "first"),
        end=("end", "last"),
        target=("target", "first"),
        tolerance=("tolerance", "first"),
        stretch=("stretch", "first"),
        target_scope=("target_scope", "first"),
    )
    return merged.drop(columns="_group")
