"""Trust badges: a KPI value is "not trusted" when critical data-quality checks fail for its rows.

Pure functions over small frames; no I/O (the untrusted scopes come from checks/trust.py).

An *untrusted scope* names rows a failing critical check is about: ``kpi_id`` (None = every KPI)
and a place, the most specific of ``touchpoint_id``, ``stage_id``, ``journey_id`` (all None = the
whole table). A value is untrusted when any fact row behind it lies in such a scope: a journey
value when one of its touchpoints is affected, a company-wide value when any touchpoint is. Its
status becomes ``Status.NOT_TRUSTED`` and ``trust_reason`` says which checks failed.
"""

from __future__ import annotations

import pandas as pd

from metrics.status import Status

SCOPE_COLUMNS: tuple[str, ...] = ("journey_id", "stage_id", "touchpoint_id", "kpi_id")
#: Columns a value frame may be broken down by, most specific first.
BREAKDOWN_COLUMNS: tuple[str, ...] = ("touchpoint_id", "stage_id", "journey_id", "channel")
_PLACE_COLUMNS: tuple[str, ...] = ("touchpoint_id", "stage_id", "journey_id")


def empty_scopes() -> pd.DataFrame:
    return pd.DataFrame(columns=[*SCOPE_COLUMNS, "check_id", "reason"], dtype=object)


def apply_trust(values: pd.DataFrame, untrusted: pd.DataFrame, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``values`` with ``trusted`` (bool) and ``trust_reason`` (str) columns.

    ``values`` has ``kpi_id`` (optional) and at most one breakdown column (touchpoint_id, stage_id,
    journey_id or channel); a ``status`` column, if present, becomes NOT_TRUSTED where untrusted.
    ``touchpoints`` maps touchpoint_id to stage_id, journey_id and channel. Inputs are not changed.
    """
    out = values.copy()
    reasons: list[list[str]] = [[] for _ in range(len(out))]
    breakdown = next((c for c in BREAKDOWN_COLUMNS if c in out.columns), None)
    for scope in untrusted.to_dict("records"):
        hit = _scope_mask(out, scope, breakdown, touchpoints)
        reason = str(scope.get("reason") or scope.get("check_id") or "a critical data-quality check failed")
        for position in hit.nonzero()[0]:
            if reason not in reasons[position]:
                reasons[position].append(reason)
    out["trusted"] = pd.Series([not r for r in reasons], index=out.index, dtype=bool)
    out["trust_reason"] = pd.Series(["; ".join(r) for r in reasons], index=out.index, dtype="str")
    if "status" in out.columns:
        out["status"] = out["status"].astype(object).where(out["trusted"], Status.NOT_TRUSTED.value)
    return out


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA


def _scope_mask(
    values: pd.DataFrame, scope: dict[str, object], breakdown: str | None, touchpoints: pd.DataFrame
) -> pd.Series:
    mask = pd.Series(True, index=values.index)
    kpi = scope.get("kpi_id")
    if not _missing(kpi) and "kpi_id" in values.columns:
        mask &= values["kpi_id"].astype(str).eq(str(kpi)).to_numpy()
    level = next((c for c in _PLACE_COLUMNS if not _missing(scope.get(c))), None)
    if level is None:  # the whole table
        return mask.to_numpy()
    place = str(scope[level])
    covered = (
        touchpoints[touchpoints[level].astype(str) == place]
        if level in touchpoints.columns
        else touchpoints.iloc[:0]
    )
    if breakdown is None:
        return (mask & (not covered.empty)).to_numpy()
    keys = set(covered[breakdown].dropna().astype(str)) if breakdown in covered.columns else set()
    if breakdown == level:
        keys.add(place)
    return (mask & values[breakdown].astype(str).isin(keys)).to_numpy()


def count_untrusted(values: pd.DataFrame) -> int:
    """How many values in a frame from ``apply_trust`` are not trusted."""
    return 0 if "trusted" not in values.columns else int((~values["trusted"].astype(bool)).sum())
