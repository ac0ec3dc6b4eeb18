"""One judgement for every number: value, target in force, status and trust, in one call.

Every page, pack, the alerts and the review figures get their KPI numbers through ``judge`` (or
``judge_pacing`` for quarter/year-to-date pacing), so no place can score a value and forget its
trust. Pure: the yardstick (registry, targets, touchpoints, trust evidence) is passed in.

A judged frame has, per value (README "Status and trust"):
- ``value`` (zero denominators give NaN), ``numerator``/``denominator`` as aggregated;
- ``target``, ``tolerance``, ``stretch``, ``target_scope``: the target in force on the last day of
  the value's period, most specific scope first (metrics/targets.py);
- ``target_status`` (on target, at risk, off target, no data) and ``gap`` (+ is better);
- ``trust``, ``trust_reason`` (metrics/trust.py), over the value's own period
  (``period_start``..``period_end``);
- ``status``: what colours show, ``target_status`` unless the value is not trusted, then
  not_trusted; ``status_text`` keeps both facts ("⊘ On target?").
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from metrics._keys import Factorized, factorized
from metrics._texts import texts_by_code
from metrics.formatting import current_language
from metrics.i18n import N_
from metrics.model import Aggregation, Direction, Grain, Period
from metrics.registry import KpiRegistry, compute_values, kpi_directions
from metrics.status import CODED_STATUSES, STATUS_ICONS, Status, status_codes
from metrics.targets import SCOPE_KEY, TARGET_COLUMNS, TargetTable, coded_targets, resolve_targets_on
from metrics.trends import period_ends
from metrics.trust import TrustEvidence, TrustState, trust_columns

__all__ = ["judge", "judge_pacing", "judged_count", "NOTHING_JUDGED", "status_text", "trusted_values",
    "Yardstick"]


@dataclass(frozen=True)
class Yardstick:
    """What a value is judged against: the KPIs, their targets, where touchpoints sit, and what
    the latest check run says about the data. The targets and places prepared for ``judge`` are
    kept on it, for every frame judged with it (the parts of a long series, the periods of a pair;
    #19); its frames are not to be changed once it is made."""

    registry: KpiRegistry
    targets: pd.DataFrame
    touchpoints: pd.DataFrame
    evidence: TrustEvidence

    @functools.cached_property
    def target_table(self) -> TargetTable:
        return TargetTable(self.targets)

    @functools.cached_property
    def places(self) -> _Places:
        return _Places(self.touchpoints)


def judge(
    frame: pd.DataFrame,
    yardstick: Yardstick,
    start: dt.date,
    end: dt.date,
    grain: Grain = Grain.PERIOD,
    keys: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Aggregated KPI rows (connectors.queries.kpi_frame) over [start, end] -> judged values.

    With ``grain`` PERIOD every row covers [start, end]; otherwise each row's ``period_start``
    names its period, judged against the target in force on the period's last day. Rows broken
    down by touchpoint get its stage and journey so the most specific target applies; ``keys``
    places a series of one scope member (metrics.trends.scope_keys).

    Key columns are factorized once and kept as codes through places, targets, status and trust;
    text columns are written once at the end (#19: judging the Overview's 486,000 monthly rows).
    """
    kpis = _Kpis(frame["kpi_id"], yardstick.registry)
    out = frame.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    out["value"] = kpis.values(frame)
    if keys:
        out = out.assign(**keys)
    codes: dict[str, Factorized] = {"kpi_id": kpis.codes}
    if "touchpoint_id" in out.columns:
        out = _with_places(out, yardstick.places, codes)
    codes.update({c: factorized(out[c]) for c in SCOPE_KEY.values() if c in out.columns and c not in codes})
    if grain is Grain.PERIOD or "period_start" not in out.columns:
        out["period_start"], out["period_end"] = pd.Timestamp(start), pd.Timestamp(end)
        days = np.full(len(out), pd.Timestamp(end).to_datetime64().astype("datetime64[us]"))
    else:  # each period against the target in force on its own last day (metrics.trends)
        out["period_end"] = period_ends(out["period_start"], grain)
        days = pd.to_datetime(out["period_end"]).to_numpy().astype("datetime64[us]")
    resolved = coded_targets(codes, days, yardstick.target_table)
    for column in TARGET_COLUMNS:
        out[column] = resolved[column]
    out["target_scope"] = pd.Series(resolved["target_scope"], index=out.index, dtype="object")
    return _status_and_trust(out, yardstick, kpis=kpis)


class _Kpis:
    """A kpi_id column as codes, with what the registry says of each distinct KPI."""

    def __init__(self, kpi_ids: pd.Series, registry: KpiRegistry) -> None:
        self.registry = registry
        codes, uniques = pd.factorize(kpi_ids)
        self.codes: Factorized = codes, pd.Index(uniques, dtype=object)
        # A missing KPI (code -1) is left to the registry's functions, which fail or answer for it.
        self.complete = not (codes < 0).any()
        kpis = [registry[str(k)] for k in uniques] if self.complete else []
        self.higher = np.array([k.direction is Direction.HIGHER_IS_BETTER for k in kpis] + [False])[codes]
        self._kpi_ids = kpi_ids

    def values(self, frame: pd.DataFrame) -> pd.Series:
        """registry.compute_values, with this column's codes when every row names a KPI."""
        return compute_values(frame, self.registry, self.codes if self.complete else None)

    def higher_is_better(self) -> np.ndarray:
        if self.complete:
            return self.higher
        return kpi_directions(self._kpi_ids, self.registry).eq(Direction.HIGHER_IS_BETTER.value).to_numpy()


class _Places:
    """The touchpoints' stage and journey by touchpoint_id (the first row of each id), with each
    column's codes, for ``_with_places``."""

    def __init__(self, touchpoints: pd.DataFrame) -> None:
        columns = [c for c in ("stage_id", "journey_id") if c in touchpoints.columns]
        self.frame = touchpoints[["touchpoint_id", *columns]].drop_duplicates("touchpoint_id")
        ids = self.frame["touchpoint_id"]
        self.ids = pd.Index(ids)
        nameless = np.flatnonzero(ids.isna().to_numpy())
        self.nameless = int(nameless[0]) if nameless.size else -1
        self.codes = {c: pd.factorize(self.frame[c]) for c in columns}


def _with_places(out: pd.DataFrame, places: _Places, codes: dict[str, Factorized]) -> pd.DataFrame:
    """``out`` (with touchpoint_id) given the stage_id and journey_id it lacks from the touchpoints,
    as a left merge on touchpoint_id does (a new RangeIndex; an unknown touchpoint gets NaN), taken
    by position; the key codes of touchpoint_id and of the columns taken go into ``codes``."""
    missing = [c for c in ("stage_id", "journey_id") if c not in out.columns]
    if (out["touchpoint_id"].dtype != places.ids.dtype or out["touchpoint_id"].dtype != "str"
            or any(c not in places.codes for c in missing)):
        # Other key types: the merge's own equality.
        return out.merge(places.frame[["touchpoint_id", *missing]], on="touchpoint_id", how="left")
    codes["touchpoint_id"] = row_codes, uniques = factorized(out["touchpoint_id"])
    lookup = places.ids.get_indexer(uniques)
    at = np.append(lookup, places.nameless)[row_codes]  # a missing id matches a missing id
    out = out.set_axis(pd.RangeIndex(len(out)))
    for column in missing:
        place_codes, place_values = places.codes[column]
        codes[column] = np.append(place_codes, -1)[at], pd.Index(place_values, dtype=object)
        out[column] = pd.api.extensions.take(places.frame[column].array, at, allow_fill=True)
    return out


def judge_pacing(
    to_date: pd.DataFrame, whole: Period, as_of: dt.date, yardstick: Yardstick
) -> pd.DataFrame:
    """Pacing over ``whole`` (a quarter or year) as of ``as_of`` (metrics.trends "Pacing"): ratio
    KPIs judged on the value to date, sum KPIs on the projection ``value / elapsed_share``, both
    against the target in force on the last day of ``whole``; trust over the days to date."""
    elapsed_days = (min(as_of, whole.end) - whole.start).days + 1
    elapsed_share = max(elapsed_days, 0) / whole.days
    out = to_date.copy(deep=False)
    out["value"] = compute_values(to_date, yardstick.registry)
    out["elapsed_share"] = elapsed_share
    is_sum = out["kpi_id"].map(lambda k: yardstick.registry[k].aggregation is Aggregation.SUM).astype(bool)
    projected = out["value"] / elapsed_share if elapsed_share > 0 else np.nan
    out["projected"] = np.where(is_sum, projected, out["value"])
    out["period_start"], out["period_end"] = pd.Timestamp(whole.start), pd.Timestamp(min(as_of, whole.end))
    out = resolve_targets_on(out, yardstick.targets, pd.Series(pd.Timestamp(whole.end), index=out.index))
    return _status_and_trust(out, yardstick, judged_column="projected")


def _status_and_trust(out: pd.DataFrame, yardstick: Yardstick, judged_column: str = "value",
                      kpis: _Kpis | None = None) -> pd.DataFrame:
    """status, gap, target_status, trust, trusted, trust_reason and status_text, as
    metrics.status.classify_frame and metrics.trust.apply_trust write them, from status codes."""
    kpis = kpis or _Kpis(out["kpi_id"], yardstick.registry)
    higher = kpis.higher_is_better()
    judged = out[judged_column].astype("float64").to_numpy()
    target = pd.to_numeric(out["target"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    tolerance = pd.to_numeric(out["tolerance"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    against = status_codes(judged, target, tolerance, higher)  # CODED_STATUSES' codes
    evidence = yardstick.evidence
    columns, untrusted = trust_columns(out, evidence, yardstick.touchpoints)
    shown = np.where(untrusted, _NOT_TRUSTED_CODE, against)
    out["status"] = (pd.Series(_STATUSES[shown], index=out.index, dtype=object)
                     if evidence.state is TrustState.TRUSTED else texts_by_code(shown, _STATUSES, out.index))
    out["gap"] = np.where(higher, judged - target, target - judged)
    out["target_status"] = texts_by_code(against, CODED_STATUSES, out.index)
    for name, column in columns.items():
        out[name] = column
    table = _texts_table(current_language())
    pair = shown.astype(np.int64) * table.shape[1] + against  # (status, status against target)
    out["status_text"] = texts_by_code(pair, table.ravel(), out.index)
    return out


#: ``status`` codes: CODED_STATUSES' four, then not trusted.
_STATUSES = np.append(CODED_STATUSES, Status.NOT_TRUSTED.value).astype(object)
_NOT_TRUSTED_CODE = len(CODED_STATUSES)


@cache
def _texts_table(language: str) -> np.ndarray:
    """status_text by (``status`` code, CODED_STATUSES code), once per language."""
    texts = _texts(language)
    return np.array([[texts[(s, t)] for t in CODED_STATUSES] for s in _STATUSES], dtype=object)


def status_text(status: str, target_status: str | None = None) -> str:
    """The one label of a judged value: icon and status; a value that is not trusted keeps its
    status against target beside the ⊘ mark, with a question mark ("⊘ On target?")."""
    shown = Status(status)
    if shown is not Status.NOT_TRUSTED:
        return f"{STATUS_ICONS[shown]} {shown.label}"
    behind = Status(target_status) if target_status else Status.NO_DATA
    if behind in (Status.NO_DATA, Status.NOT_TRUSTED):
        return f"{STATUS_ICONS[Status.NOT_TRUSTED]} {Status.NOT_TRUSTED.label}"
    return f"{STATUS_ICONS[Status.NOT_TRUSTED]} {behind.label}?"


@cache
def _texts(language: str) -> dict[tuple[str, str], str]:
    """Every (status, target status) pair's text, once per language."""
    return {(s.value, t.value): status_text(s.value, t.value) for s in Status for t in Status}


def status_texts(statuses: pd.Series, target_statuses: pd.Series) -> pd.Series:
    """``status_text`` for two aligned columns (one lookup per row, no formatting per row)."""
    texts = _texts(current_language())
    if statuses.empty:
        return pd.Series([], index=statuses.index, dtype=object).astype("str")
    # One lookup per pair of values that occurs (a handful; a missing value is a value of its
    # own, looked up as before), then one take per row.
    shown, shown_values = pd.factorize(statuses.astype(str), use_na_sentinel=False)
    behind, behind_values = pd.factorize(target_statuses.astype(str), use_na_sentinel=False)
    pairs = [texts.get((s, t), np.nan) for s in shown_values for t in behind_values]
    return texts_by_code(shown * len(behind_values) + behind, pairs, statuses.index)  # metrics/_texts.py


def trusted_values(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a judged frame that are not *not trusted*: what comparisons, movers and pain
    points may use as evidence."""
    if "trust" not in frame.columns:
        return frame
    return frame[frame["trust"].ne(TrustState.NOT_TRUSTED.value)]


#: What it takes for a value to be judged: a trusted value with a target (status on/at risk/off).
JUDGED_STATUSES: frozenset[str] = frozenset(
    {Status.ON_TARGET.value, Status.AT_RISK.value, Status.OFF_TARGET.value}
)
#: Shown with ``tr(NOTHING_JUDGED)``.
NOTHING_JUDGED = N_(
    "Nothing here can be judged: no value in this selection has both a target and trusted data. "
    "Widen the period or the selection, or see the trust note above."
)


def judged_count(frame: pd.DataFrame) -> int:
    """How many values of a judged frame were judged against a target with trusted data; an empty
    list of problems means "all well" only when this is above zero."""
    return 0 if frame.empty else int(frame["status"].isin(JUDGED_STATUSES).sum())
