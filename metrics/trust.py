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
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from metrics._texts import texts_by_code
from metrics.i18n import N_, tr
from metrics.status import Status

__all__ = ["apply_trust", "count_untrusted", "empty_scopes", "reason_patterns", "SCOPE_COLUMNS",
    "TrustEvidence", "TrustState"]

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
    columns, untrusted = trust_columns(out, evidence, touchpoints, start, end)
    for name, column in columns.items():
        out[name] = column
    if evidence.state is not TrustState.TRUSTED:
        return out
    if "status" in out.columns:
        out["status"] = out["status"].astype(object).where(~untrusted, Status.NOT_TRUSTED.value)
    return out


def trust_columns(
    values: pd.DataFrame,
    evidence: TrustEvidence,
    touchpoints: pd.DataFrame,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[dict[str, pd.Series], np.ndarray]:
    """The ``trust``, ``trusted`` and ``trust_reason`` columns of ``values`` (as ``apply_trust``
    takes them), and whether each row is not trusted: with trusted evidence, a row is not trusted
    when its pattern of failing scopes (``reason_patterns``) has a reason; otherwise every row gets
    the evidence's one state and blanket reason. Texts are taken in Arrow (metrics/_texts.py): a
    text set as a scalar became a Python object per row first (#19)."""
    index = values.index
    if evidence.state is not TrustState.TRUSTED:
        every_row = np.zeros(len(index), dtype=np.int64)
        untrusted = np.zeros(len(index), dtype=bool)
        states, state_codes = [evidence.state.value], every_row
        texts, reason_codes = [evidence.blanket_reason()], every_row
    else:
        pattern, reasons = reason_patterns(values, evidence, touchpoints, start, end)
        untrusted = np.array([bool(r) for r in reasons], dtype=bool)[pattern]
        states = [TrustState.TRUSTED.value, TrustState.NOT_TRUSTED.value]
        state_codes = untrusted.astype(np.int64)
        texts, reason_codes = ["; ".join(r) for r in reasons], pattern
    columns = {"trust": texts_by_code(state_codes, states, index),
               "trusted": pd.Series(~untrusted, index=index, dtype=bool),
               "trust_reason": texts_by_code(reason_codes, texts, index)}
    return columns, untrusted


def reason_patterns(
    values: pd.DataFrame,
    evidence: TrustEvidence,
    touchpoints: pd.DataFrame,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """``apply_trust``'s judgement as codes: per row of ``values`` a code into the returned lists of
    reasons, each the reasons of the failing scopes that cover the row, in the scopes' order, each
    once (an empty list: trusted). ``evidence`` is a run's (state TRUSTED).

    Rows are told apart by which scopes cover them, one scope at a time, and a key column is
    compared once per distinct value: at 486,000 rows, text comparisons and a Python list per row
    were most of the trust's time (#19)."""
    breakdown = next((c for c in BREAKDOWN_COLUMNS if c in values.columns), None)
    starts, ends = _period_bounds(values, start, end)
    columns = _Distinct(values)
    pattern = np.zeros(len(values), dtype=np.int64)
    lists: list[tuple[str, ...]] = [()]
    for scope in evidence.scopes.to_dict("records"):
        hit = _scope_mask(values, scope, breakdown, touchpoints, columns) & _date_mask(starts, ends, scope)
        reason = str(scope.get("reason") or scope.get("check_id")
                     or tr("a critical data-quality check failed"))
        if not hit.any():
            continue
        split, pairs = pd.factorize(pattern * 2 + hit)
        grown = [lists[p // 2] + (reason,) if p % 2 and reason not in lists[p // 2] else lists[p // 2]
                 for p in pairs.tolist()]
        distinct: dict[tuple[str, ...], int] = {}
        renumber = np.array([distinct.setdefault(r, len(distinct)) for r in grown], dtype=np.int64)
        pattern, lists = renumber[split], list(distinct)
    return pattern, lists


class _Distinct:
    """A value column's per-row answers computed once per distinct value (code -1, missing, per row)."""

    def __init__(self, values: pd.DataFrame) -> None:
        self._values = values
        self._codes: dict[str, tuple[np.ndarray, pd.Series]] = {}

    def where(self, column: str, test: Callable[[pd.Series], pd.Series]) -> np.ndarray:
        """``test(values[column].astype(str)).to_numpy()``, evaluated on distinct values."""
        if column not in self._codes:
            codes, uniques = pd.factorize(self._values[column])
            self._codes[column] = codes, pd.Series(uniques, dtype=self._values[column].dtype)
        codes, uniques = self._codes[column]
        out = np.append(test(uniques.astype(str)).to_numpy(dtype=bool), False)[codes]
        missing = np.flatnonzero(codes < 0)
        if missing.size:
            out[missing] = test(self._values[column].iloc[missing].astype(str)).to_numpy(dtype=bool)
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
    values: pd.DataFrame, scope: dict[str, object], breakdown: str | None, touchpoints: pd.DataFrame,
    columns: _Distinct,
) -> np.ndarray:
    mask = np.ones(len(values), dtype=bool)
    kpi = scope.get("kpi_id")
    if not _missing(kpi) and "kpi_id" in values.columns:
        mask &= columns.where("kpi_id", lambda ids: ids.eq(str(kpi)))
    level = next((c for c in _PLACES if not _missing(scope.get(c))), None)
    if level is None:  # the whole table
        return mask
    place = str(scope[level])
    covered = (
        touchpoints[touchpoints[level].astype(str) == place]
        if level in touchpoints.columns
        else touchpoints.iloc[:0]
    )
    if breakdown is None:
        return mask & (not covered.empty)
    keys = set(covered[breakdown].dropna().astype(str)) if breakdown in covered.columns else set()
    if breakdown == level:
        keys.add(place)
    return mask & columns.where(breakdown, lambda ids: ids.isin(keys))


def count_untrusted(values: pd.DataFrame) -> int:
    """How many values in a frame from ``apply_trust`` are not trusted."""
    if "trust" in values.columns:
        return int(values["trust"].eq(TrustState.NOT_TRUSTED.value).sum())
    return 0 if "trusted" not in values.columns else int((~values["trusted"].astype(bool)).sum())
