"""Trust of KPI values: what the data-quality checks say about the rows behind each value.

Pure functions over small frames; no I/O (``checks.trust.load_trust_evidence`` reads the state
store and hands a ``TrustEvidence`` in).

Four trust states, the same on every page, pack and alert (README "Trust"):
- **trusted**: the latest check run was read and no failing critical check covers the value;
- **not trusted**: a failing critical check covers the value; ``trust_reason`` names the check;
- **unchecked**: no check run exists yet;
- **unknown**: the check history cannot be read (the reason says why).

An *untrusted scope* (checks/_scoping.py) names a KPI (None = every KPI), a place (the most specific
of touchpoint_id, stage_id, journey_id; all None = the whole table) and a date span (``date_from``
/ ``date_to``; None = open on that side). A value is not trusted when its KPI, one of the
touchpoints behind it and its period all overlap such a scope: a journey value when one of its
touchpoints is affected in that period, a company-wide value when any touchpoint is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from metrics._texts import texts_by_code
from metrics.i18n import N_, tr
from metrics.status import Status

__all__ = ["apply_trust", "count_untrusted", "empty_scopes", "SCOPE_COLUMNS", "TrustEvidence", "TrustState"]

PLACE_COLUMNS: tuple[str, ...] = ("journey_id", "stage_id", "touchpoint_id", "kpi_id")
SCOPE_COLUMNS: tuple[str, ...] = (*PLACE_COLUMNS, "date_from", "date_to")
#: Columns a value frame may be broken down by, most specific first.
BREAKDOWN_COLUMNS: tuple[str, ...] = ("touchpoint_id", "stage_id", "journey_id", "channel")
_PLACES: tuple[str, ...] = ("touchpoint_id", "stage_id", "journey_id")


class TrustState(StrEnum):
    TRUSTED = "trusted"
    NOT_TRUSTED = "not_trusted"
    UNCHECKED = "unchecked"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        """The state in the current language."""
        return tr(TRUST_LABELS[self])


#: English (marked); shown through ``TrustState.label`` in the current language.
TRUST_LABELS: dict[TrustState, str] = {
    TrustState.TRUSTED: N_("Trusted"),
    TrustState.NOT_TRUSTED: N_("Not trusted"),
    TrustState.UNCHECKED: N_("Unchecked"),
    TrustState.UNKNOWN: N_("Trust unknown"),
}

#: English (marked); ``TrustEvidence.blanket_reason`` says them in the current language.
UNCHECKED_REASON = N_("No data-quality check has run yet: this value is unchecked.")
UNKNOWN_REASON = N_(
    "The data-quality history cannot be read, so whether this value can be trusted is unknown")


def empty_scopes() -> pd.DataFrame:
    return pd.DataFrame(columns=[*SCOPE_COLUMNS, "check_id", "reason"], dtype=object)


@dataclass(frozen=True)
class TrustEvidence:
    """What the latest check run says: which scopes fail, or that there is no run, or that the
    history cannot be read. ``state`` is TRUSTED when a run was read (values are then trusted
    unless a scope covers them), else UNCHECKED or UNKNOWN for every value."""

    state: TrustState
    scopes: pd.DataFrame = field(default_factory=empty_scopes)
    detail: str = ""  # the run (id and time) the judgement rests on, or why the history is unreadable
    run_id: str | None = None

    @classmethod
    def unchecked(cls) -> TrustEvidence:
        return cls(TrustState.UNCHECKED)

    @classmethod
    def unknown(cls, why: str) -> TrustEvidence:
        return cls(TrustState.UNKNOWN, detail=why)

    @classmethod
    def from_run(cls, run_id: str, scopes: pd.DataFrame, detail: str = "") -> TrustEvidence:
        columns = list(empty_scopes().columns)
        return cls(TrustState.TRUSTED, scopes.reindex(columns=columns), detail, run_id)

    @property
    def key(self) -> str:
        """Hashable identity for cache keys: a new run or a change of state gives a new key."""
        why = self.detail if self.state is TrustState.UNKNOWN else ""
        return f"{self.state.value}:{self.run_id or ''}:{why}"

    def blanket_reason(self) -> str:
        if self.state is TrustState.UNCHECKED:
            return tr(UNCHECKED_REASON)
        return f"{tr(UNKNOWN_REASON)}: {self.detail}" if self.detail else f"{tr(UNKNOWN_REASON)}."


def apply_trust(
    values: pd.DataFrame,
    evidence: TrustEvidence,
    touchpoints: pd.DataFrame,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """A copy of ``values`` with ``trust`` (TrustState value), ``trusted`` (bool: False only for
    *not trusted*; unchecked and unknown values are flagged by ``trust``) and ``trust_reason``.
    ``status`` (if present) becomes not_trusted where not trusted, and the status against target
    is kept in ``target_status``.

    ``values`` has ``kpi_id`` (optional) and at most one breakdown column (touchpoint_id, stage_id,
    journey_id or channel). Its period is ``period_start``/``period_end`` per row when present,
    else ``start``/``end`` (None = unbounded). ``touchpoints`` maps touchpoint_id to stage_id,
    journey_id and channel. Inputs are not changed.
    """
    out = values.copy(deep=False)  # copy-on-write: the columns set below are new (#19)
    if "status" in out.columns and "target_status" not in out.columns:
        out["target_status"] = out["status"].astype(str)
    if evidence.state is not TrustState.TRUSTED:
        # The one state and reason of every row taken in Arrow (metrics/_texts.py): a text set as a
        # scalar became a Python object per row first (#19).
        every_row = np.zeros(len(out), dtype=np.int64)
        out["trust"] = texts_by_code(every_row, [evidence.state.value], out.index)
        out["trusted"] = True
        out["trust_reason"] = texts_by_code(every_row, [evidence.blanket_reason()], out.index)
        return out
    # The reasons of the rows some scope hits, in scope order without repeats; every other row is
    # trusted with no reason (a list per row cost three Python steps per value: #19).
    reasons: dict[int, list[str]] = {}
    breakdown = next((c for c in BREAKDOWN_COLUMNS if c in out.columns), None)
    starts, ends = _period_bounds(out, start, end)
    for scope in evidence.scopes.to_dict("records"):
        hit = _scope_mask(out, scope, breakdown, touchpoints) & _date_mask(starts, ends, scope)
        reason = str(scope.get("reason") or scope.get("check_id")
                     or tr("a critical data-quality check failed"))
        for position in hit.nonzero()[0].tolist():
            found = reasons.setdefault(position, [])
            if reason not in found:
                found.append(reason)
    hit_rows = np.fromiter(reasons, dtype=np.int64, count=len(reasons))
    trusted = pd.Series(~np.isin(np.arange(len(out)), hit_rows), index=out.index, dtype=bool)
    texts = np.full(len(out), "", dtype=object)
    texts[hit_rows] = np.array(["; ".join(found) for found in reasons.values()], dtype=object)
    out["trust"] = np.where(trusted, TrustState.TRUSTED.value, TrustState.NOT_TRUSTED.value)
    out["trusted"] = trusted
    out["trust_reason"] = pd.Series(texts, index=out.index, dtype="str")
    if "status" in out.columns:
        out["status"] = out["status"].astype(object).where(trusted, Status.NOT_TRUSTED.value)
    return out


def _period_bounds(
    values: pd.DataFrame, start: dt.date | None, end: dt.date | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-row first and last day of each value's period as datetime64[D] (NaT = unbounded)."""
    n = len(values)
    if "period_start" in values.columns:
        starts = pd.to_datetime(values["period_start"]).to_numpy(dtype="datetime64[D]")
    else:
        starts = np.full(n, _day(start), dtype="datetime64[D]")
    if "period_end" in values.columns:
        ends = pd.to_datetime(values["period_end"]).to_numpy(dtype="datetime64[D]")
    else:
        ends = np.full(n, _day(end), dtype="datetime64[D]")
    return starts, ends


def _day(day: dt.date | None) -> np.datetime64:
    return np.datetime64(day, "D") if day else np.datetime64("NaT")


def _date_mask(starts: np.ndarray, ends: np.ndarray, scope: dict[str, object]) -> np.ndarray:
    """True where a value's period overlaps the scope's dates (an open side always overlaps)."""
    mask = np.ones(len(starts), dtype=bool)
    date_from, date_to = scope.get("date_from"), scope.get("date_to")
    if not _missing(date_from):
        first = np.datetime64(pd.Timestamp(date_from).date(), "D")
        mask &= np.isnat(ends) | (ends >= first)
    if not _missing(date_to):
        last = np.datetime64(pd.Timestamp(date_to).date(), "D")
        mask &= np.isnat(starts) | (starts <= last)
    return mask


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and pd.isna(value)


def _scope_mask(
    values: pd.DataFrame, scope: dict[str, object], breakdown: str | None, touchpoints: pd.DataFrame
) -> np.ndarray:
    mask = pd.Series(True, index=values.index)
    kpi = scope.get("kpi_id")
    if not _missing(kpi) and "kpi_id" in values.columns:
        mask &= values["kpi_id"].astype(str).eq(str(kpi)).to_numpy()
    level = next((c for c in _PLACES if not _missing(scope.get(c))), None)
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
    if "trust" in values.columns:
        return int(values["trust"].eq(TrustState.NOT_TRUSTED.value).sum())
    return 0 if "trusted" not in values.columns else int((~values["trusted"].astype(bool)).sum())
