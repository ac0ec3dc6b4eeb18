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

from metrics._keys import Factorized, factorized
from metrics.model import TARGET_SCOPE_PRIORITY, Scope

__all__ = ["coded_targets", "kpis_with_targets", "resolve_targets", "resolve_targets_on", "SCOPE_KEY",
    "TargetTable", "target_steps", "targets_in_force"]

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
    # Each key column factorized once for every scope (a column absent is never matched).
    codes = {c: factorized(values[c]) for c in ("kpi_id", *SCOPE_KEY.values()) if c in values.columns}
    resolved = coded_targets(codes, days, targets)
    out = values.copy()
    for column in TARGET_COLUMNS:
        out[column] = resolved[column]
    out["target_scope"] = pd.Series(resolved["target_scope"], index=out.index, dtype="object")
    return out


def coded_targets(codes: dict[str, Factorized], days: np.ndarray,
                  targets: pd.DataFrame | TargetTable) -> dict[str, np.ndarray]:
    """``resolve_targets_on``'s columns (target, tolerance, stretch as float arrays, target_scope as
    objects) for rows given by their key columns' codes (``codes``: kpi_id and any of SCOPE_KEY's
    columns, metrics/_keys.py) and their dates (datetime64[us]); metrics.judgement passes the codes
    it already has, and a TargetTable it keeps for all the frames it judges against the same targets.

    Per scope, each row's key and its day's rank among the candidates' starts make one integer, so
    one binary search among the candidates (sorted by key, start and table row) finds the last that
    started by the day (#19: building the pairs of every row and candidate, as a merge does, was most
    of judging 486,000 rows)."""
    table = targets if isinstance(targets, TargetTable) else TargetTable(targets)
    chosen = np.full(len(days), -1, dtype=np.int64)  # the row of ``targets`` that applies, or -1
    scope_of = np.full(len(days), None, dtype=object)
    dated = ~np.isnat(days)  # a row without a date is in no target's validity
    for scope, candidates in table.scopes.items():
        key = SCOPE_KEY.get(scope)
        if (key is not None and key not in codes) or (chosen >= 0).all():
            continue
        # Equal on KPI and scope id as an inner merge pairs them (scope "all": a stray scope_id is
        # ignored), matched by codes (metrics/_keys.py).
        row_key = candidates.row_keys([codes["kpi_id"], *([codes[key]] if key is not None else [])])
        rows = np.flatnonzero((chosen < 0) & dated & (row_key >= 0))
        row, pos = candidates.latest_in_force(row_key[rows], days[rows], table.ends)
        row, pos = rows[row][table.has_target[pos]], pos[table.has_target[pos]]
        chosen[row] = pos
        scope_of[row] = scope.value
    out = {column: numbers[chosen] for column, numbers in table.numbers.items()}  # -1: the NaN on the end
    out["target_scope"] = scope_of
    return out


class TargetTable:
    """A targets frame prepared for ``coded_targets``: dates, numbers and, per scope, its rows with a
    start, keyed and sorted (metrics.judgement.Yardstick keeps one, so every frame judged against the
    same targets shares it). Every row is a candidate: one not in force on a value's day is never
    chosen, so no row needs leaving out first."""

    def __init__(self, targets: pd.DataFrame) -> None:
        starts, self.ends = _as_dates(targets["valid_from"]), _as_dates(targets["valid_to"])
        self.has_target = targets["target"].notna().to_numpy()
        self.numbers = {c: np.append(pd.to_numeric(targets[c], errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan), np.nan) for c in TARGET_COLUMNS}
        scopes = targets["scope"].to_numpy(dtype=object)
        self.scopes: dict[Scope, _ScopeTargets] = {}
        for scope in TARGET_SCOPE_PRIORITY:
            rows = np.flatnonzero((scopes == scope.value) & ~np.isnat(starts))
            if rows.size:
                columns = ["kpi_id", *(["scope_id"] if scope in SCOPE_KEY else [])]
                keys = [targets[c].iloc[rows] for c in columns]
                self.scopes[scope] = _ScopeTargets(rows, keys, starts[rows])


class _ScopeTargets:
    """One scope's target rows (positions ``rows``), coded on their key columns as
    metrics._keys.combined_codes codes the right side, sorted by key, start and position."""

    def __init__(self, rows: np.ndarray, columns: list[pd.Series], starts: np.ndarray) -> None:
        self.columns: list[tuple[pd.Index, int, bool]] = []  # distinct values, their count, any missing
        key = np.zeros(len(rows), dtype=np.int64)
        for column in columns:
            codes, uniques = pd.factorize(column)
            missing = len(uniques)
            codes = np.where(codes < 0, missing, codes).astype(np.int64)
            any_missing = bool((codes == missing).any())
            self.columns.append((pd.Index(uniques, dtype=object), int(codes.max()) + 1, any_missing))
            key = key * self.columns[-1][1] + codes
        self.keys, dense = np.unique(key, return_inverse=True)
        self.starts = np.unique(starts.view(np.int64))  # the distinct starts, for a rank per day
        ranked = dense * len(self.starts) + np.searchsorted(self.starts, starts.view(np.int64))
        order = np.lexsort((rows, ranked))  # by key, then start, then table order
        self.ranked, self.position, self.key = ranked[order], rows[order], dense[order]

    def row_keys(self, left: list[Factorized]) -> np.ndarray:
        """Each row's key as these rows' keys are coded (-1: no target row has it): combined_codes'
        left side."""
        key = np.zeros(len(left[0][0]), dtype=np.int64)
        unmatched = np.zeros(len(key), dtype=bool)
        for (codes, uniques), (distinct, width, any_missing) in zip(left, self.columns, strict=True):
            lookup = distinct.get_indexer(uniques)
            own = np.append(lookup, len(distinct) if any_missing else -1)[codes]
            unmatched |= own < 0
            key = key * width + np.maximum(own, 0)
        return np.where(unmatched, -1, key)

    def latest_in_force(self, row_key: np.ndarray, day: np.ndarray,
                        ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, position) of each row's target row of its key in force on its day that started last,
        on equal starts the last position; rows with none are left out."""
        at = np.minimum(np.searchsorted(self.keys, row_key), len(self.keys) - 1)
        known = self.keys[at] == row_key
        rows, dense = np.flatnonzero(known), at[known]
        day = day[rows]
        began = np.searchsorted(self.starts, day.view(np.int64), side="right") - 1  # -1: before every start
        # The last target row of the row's key started on or before its day; while that one ended
        # before the day, the one before it (data faults: overlapping rows of one key and scope).
        at = np.searchsorted(self.ranked, dense * len(self.starts) + began, side="right") - 1
        found = np.full(len(rows), -1, dtype=np.int64)
        todo = np.arange(len(rows))
        while todo.size:
            here = at[todo]
            same = here >= 0
            same[same] = self.key[here[same]] == dense[todo[same]]
            todo, here = todo[same], here[same]
            end = ends[self.position[here]]
            valid = np.isnat(end) | (day[todo] <= end)
            found[todo[valid]] = self.position[here[valid]]
            todo = todo[~valid]
            at[todo] = here[~valid] - 1
        hit = found >= 0
        return rows[hit], found[hit]


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
