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
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from metrics._texts import texts_by_code
from metrics.formatting import current_language
from metrics.i18n import N_
from metrics.model import Aggregation, Grain, Period
from metrics.registry import KpiRegistry, compute_values, kpi_directions
from metrics.status import STATUS_ICONS, Status, classify_frame
from metrics.targets import resolve_targets, resolve_targets_on
from metrics.trends import period_ends, with_period_targets
from metrics.trust import TrustEvidence, TrustState, apply_trust

__all__ = ["judge", "judge_pacing", "judged_count", "NOTHING_JUDGED", "status_text", "trusted_values",
    "Yardstick"]


@dataclass(frozen=True)
class Yardstick:
    """What a value is judged against: the KPIs, their targets, where touchpoints sit, and what
    the latest check run says about the data."""

    registry: KpiRegistry
    targets: pd.DataFrame
    touchpoints: pd.DataFrame
    evidence: TrustEvidence


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
    """
    out = frame.copy(deep=False)  # copy-on-write: columns set below leave ``frame`` as it is (#19)
    out["value"] = compute_values(frame, yardstick.registry)
    if keys:
        out = out.assign(**keys)
    if "touchpoint_id" in out.columns:
        missing = [c for c in ("stage_id", "journey_id") if c not in out.columns]
        places = yardstick.touchpoints[["touchpoint_id", *missing]].drop_duplicates("touchpoint_id")
        out = _with_places(out, places, missing)
    if grain is Grain.PERIOD or "period_start" not in out.columns:
        out["period_start"], out["period_end"] = pd.Timestamp(start), pd.Timestamp(end)
        out = resolve_targets(out, yardstick.targets, end)
    else:  # each period against the target in force on its own last day (metrics.trends)
        out["period_end"] = period_ends(out["period_start"], grain)
        out = with_period_targets(out, yardstick.targets, grain)
    return _status_and_trust(out, yardstick)


def _with_places(out: pd.DataFrame, places: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``out.merge(places, on="touchpoint_id", how="left")`` for ``places`` with one row per
    touchpoint: when the ids and places are text columns, each row's place is taken by position
    (a merge on text keys hashed and copied every row of the frame; #19); otherwise the merge."""
    text = [out["touchpoint_id"], *(places[c] for c in ["touchpoint_id", *columns])]
    if not all(isinstance(c.dtype, pd.StringDtype) and c.dtype == text[0].dtype for c in text):
        return out.merge(places, on="touchpoint_id", how="left")
    codes, ids = pd.factorize(out["touchpoint_id"], use_na_sentinel=False)  # looked up once per id
    at = pd.Index(places["touchpoint_id"]).get_indexer(ids)[codes]
    out = out.reset_index(drop=True)
    for column in columns:
        out[column] = places[column].array.take(at, allow_fill=True)  # -1 (no such touchpoint): missing
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


def _status_and_trust(out: pd.DataFrame, yardstick: Yardstick, judged_column: str = "value") -> pd.DataFrame:
    registry = yardstick.registry
    directions = kpi_directions(out["kpi_id"], registry)
    judged = out[judged_column].astype("float64")
    scored = out.assign(value=judged)
    out["status"] = classify_frame(scored, directions) if len(out) else pd.Series(dtype="str")
    higher = directions.eq("higher_is_better").to_numpy()
    target = pd.to_numeric(out["target"], errors="coerce").astype("float64")
    out["gap"] = np.where(higher, judged - target, target - judged)
    trusted = apply_trust(out, yardstick.evidence, yardstick.touchpoints)
    trusted["status_text"] = status_texts(trusted["status"], trusted["target_status"])
    return trusted


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
