"""Target resolution: which target, tolerance and stretch apply to a value.

Rules (documented in README "Targets"):
- A target applies on a date when ``valid_from <= date`` and (``valid_to`` is null or
  ``date <= valid_to``).
- A value over a period is judged against the targets in force on the period's last day, so a
  closed quarter keeps the target it had even after targets change.
- The most specific scope wins: touchpoint, then stage, then journey, then all.
- Should two rows of the same KPI and scope overlap (a data fault the checks report), the one that
  started last wins, so the answer is still deterministic.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.model import TARGET_SCOPE_PRIORITY, Scope

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

    ``values`` has a kpi_id column and any of touchpoint_id, stage_id, journey_id; a key column
    that is absent (or null on a row) means the value is aggregated above that level, so a target
    of that scope cannot apply. Returns a new frame; rows without any target get NaN and
    target_scope None.
    """
    live = targets_in_force(targets, on)
    out = values.copy()
    for column in (*TARGET_COLUMNS, "target_scope"):
        out[column] = pd.Series([None] * len(out), index=out.index, dtype="object")
    for scope in TARGET_SCOPE_PRIORITY:
        candidates = live[live["scope"] == scope.value]
        if candidates.empty:
            continue
        key = SCOPE_KEY.get(scope)
        if key is None:  # scope "all": matches on the KPI alone (a stray scope_id must not duplicate it)
            matched = out[["kpi_id"]].merge(
                candidates.drop_duplicates("kpi_id", keep="last")[["kpi_id", *TARGET_COLUMNS]],
                on="kpi_id",
                how="left",
            )
        else:
            if key not in out.columns:
                continue
            lookup = candidates.rename(columns={"scope_id": key})[["kpi_id", key, *TARGET_COLUMNS]]
            matched = out[["kpi_id", key]].merge(lookup, on=["kpi_id", key], how="left")
        matched.index = out.index
        fill = out["target"].isna() & matched["target"].notna()
        for column in TARGET_COLUMNS:
            out.loc[fill, column] = matched.loc[fill, column]
        out.loc[fill, "target_scope"] = scope.value
    for column in TARGET_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    return out


def target_steps(
    targets: pd.DataFrame, kpi_id: str, scope_chain: dict[Scope, str | None], start: dt.date, end: dt.date
) -> pd.DataFrame:
    """The target of one KPI over time as steps, for trend charts.

    ``scope_chain`` names the ids that apply (e.g. {Scope.TOUCHPOINT: "tp_x", Scope.STAGE: "s",
    Scope.JOURNEY: "j"}); scope "all" always applies. Returns rows with start, end (inclusive,
    clipped to the range), target, tolerance, stretch and target_scope, one per change.
    """
    rows = targets[targets["kpi_id"] == kpi_id]
    dates: set[pd.Timestamp] = {pd.Timestamp(start)}
    for column, shift in (("valid_from", 0), ("valid_to", 1)):
        for value in pd.to_datetime(rows[column]).dropna():
            moment = value + pd.Timedelta(days=shift)
            if pd.Timestamp(start) < moment <= pd.Timestamp(end):
                dates.add(moment)
    ordered = sorted(dates)
    keys = {SCOPE_KEY[s]: v for s, v in scope_chain.items() if s in SCOPE_KEY and v is not None}
    steps = []
    for i, moment in enumerate(ordered):
        last = ordered[i + 1] - pd.Timedelta(days=1) if i + 1 < len(ordered) else pd.Timestamp(end)
        probe = pd.DataFrame([{"kpi_id": kpi_id, **keys}])
        resolved = resolve_targets(probe, rows, moment.date()).iloc[0]
        steps.append(
            {
                "start": moment,
                "end": last,
                "target": resolved["target"],
                "tolerance": resolved["tolerance"],
                "stretch": resolved["stretch"],
                "target_scope": resolved["target_scope"],
            }
        )
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
