"""Per-journey effectiveness: values against targets, stage conversion, moments of truth on
target, the journey health score and pain points.

Formulas (also in README "KPI glossary"):
- **Status** of a value: metrics.status.classify against the target in force (metrics.targets).
- **Stage conversion** from the funnel: customers reaching the next stage / customers reaching
  this stage; **drop-off** = 1 - conversion. Zero customers give NaN, never 0 or infinity.
- **Moments of truth on target** (the one definition, used by every page, pack and alert): a
  moment of truth is *judged* when at least one of its KPIs has a trusted value and a target in
  the period; it is *on target* when every such KPI is on target. "x of y" counts the judged
  moments of truth (y) and those on target (x); the share is x / y (none judged: no share).
  Values that are not trusted, or have no value or target, are left out, never counted as on.
- **Health score** (0-100): the weighted mean of status points (on target 1, at risk 0.5, off
  target 0) over every touchpoint KPI with a status; the weight is the touchpoint's weight, times
  3 for a moment of truth. Values with no data or not trusted are left out. No judged value: NaN.
- **Pain points**: touchpoints ranked by pain = shortfall x (2 for a moment of truth) x its Kano
  factor (metrics.kano: must-be 1.5, delighter 0.5, else 1) + the drop-off after its stage, where
  shortfall is the worst gap below target across its KPIs measured in tolerance bands (a KPI
  exactly one band below target scores 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics._keys import factorized, matching_pairs
from metrics.formatting import percent_text
from metrics.i18n import N_, tr
from metrics.kano import kano_factors
from metrics.status import (  # the health bands live with the other statuses; re-exported here
    GAP_NOISE,
    HEALTH_AT_RISK,
    HEALTH_ON_TARGET,
    STATUS_POINTS,
    Status,
    health_status,
    severity_rank,
)

__all__ = ["HEALTH_AT_RISK", "HEALTH_ON_TARGET", "health_scores", "health_status", "moments_on_target",
    "MOT_ON_TARGET_HELP", "MOT_WEIGHT", "mot_on_target_text", "pain_points", "stage_conversion",
    "touchpoint_status", "with_deltas"]

MOT_WEIGHT = 3.0
MOT_PAIN_FACTOR = 2.0


def stage_conversion(funnel: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    """Stage-to-stage conversion per journey from funnel counts over one period.

    ``funnel``: journey_id, stage_id, customers. Returns journey_id, stage_id, name, position,
    customers, conversion_to_next (share reaching the next stage), drop_off, ordered by position.
    """
    merged = stages.merge(
        funnel[["journey_id", "stage_id", "customers"]], on=["journey_id", "stage_id"], how="left"
    )
    merged = merged.sort_values(["journey_id", "position"]).reset_index(drop=True)
    following = merged.groupby("journey_id")["customers"].shift(-1)
    customers = merged["customers"].astype("float64")
    merged["conversion_to_next"] = following / customers.where(customers > 0)
    merged["drop_off"] = 1.0 - merged["conversion_to_next"]
    return merged[
        ["journey_id", "stage_id", "name", "position", "customers", "conversion_to_next", "drop_off"]
    ]


def touchpoint_status(scored: pd.DataFrame) -> pd.DataFrame:
    """One status per touchpoint: the worst of its judged KPIs (no judged KPI: no data)."""
    ranked = scored.assign(_rank=severity_rank(scored["status"], no_data_last=True))
    worst = ranked.sort_values("_rank").drop_duplicates("touchpoint_id")
    return worst[["touchpoint_id", "status"]].reset_index(drop=True)


#: Shown with ``tr(MOT_ON_TARGET_HELP)``.
MOT_ON_TARGET_HELP = N_(
    "A moment of truth is on target when every KPI of it with a trusted value and a target is on "
    "target; one without such a KPI is not counted."
)


def mot_on_target_text(on_target: int, judged: int) -> str:
    """"x of y (share)" for moments of truth on target; "none judged" when y is 0."""
    if judged == 0:
        return tr("none judged")
    return tr("{on_target} of {judged} ({share})").format(
        on_target=on_target, judged=judged, share=percent_text(100.0 * on_target / judged, 0))


def moments_on_target(scored: pd.DataFrame, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """Per journey: moments of truth on target (x) and judged (y) (module docstring).

    ``scored``: touchpoint_id, kpi_id, status (touchpoint-level values).
    Returns journey_id, mot_on_target, mot_judged.
    """
    # The two columns it reads, of the judged rows (a judged frame has twenty more).
    judged = scored.loc[scored["status"].isin([s.value for s in STATUS_POINTS]), ["touchpoint_id", "status"]]
    mots = touchpoints[touchpoints["moment_of_truth"]][["touchpoint_id", "journey_id"]]
    on_target = judged["status"].eq(Status.ON_TARGET.value)
    per_tp = on_target.groupby(judged["touchpoint_id"]).all().rename("on_target").reset_index()
    merged = mots.merge(per_tp, on="touchpoint_id", how="inner")
    counts = merged.groupby("journey_id").agg(
        mot_on_target=("on_target", "sum"), mot_judged=("on_target", "size")
    )
    out = (
        touchpoints[["journey_id"]].drop_duplicates().merge(counts.reset_index(), on="journey_id", how="left")
    )
    return out.fillna({"mot_on_target": 0, "mot_judged": 0}).astype({"mot_on_target": int, "mot_judged": int})


def health_scores(scored: pd.DataFrame, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """Journey health 0-100 (formula in the module docstring). Returns journey_id, health."""
    health = weighted_health(scored, touchpoints, [])
    journeys = touchpoints[["journey_id"]].drop_duplicates()
    return journeys.merge(health, on="journey_id", how="left")


def weighted_health(scored: pd.DataFrame, touchpoints: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``health_scores`` per ``by`` (e.g. period_start) and journey in one pass: the ``by`` columns,
    journey_id, health; only groups with something judged."""
    # Each status's points by code, each judged row's touchpoint by key codes (metrics/_keys.py),
    # in the order the merge on text gave, so every sum adds the same numbers in the same order
    # (the Overview adds up three of these per run, up to half a million rows each at 100 M, #19).
    codes, statuses = pd.factorize(scored["status"])
    per_status = {s.value: p for s, p in STATUS_POINTS.items()}
    points = np.array([per_status.get(str(s), np.nan) for s in statuses] + [np.nan], dtype="float64")[codes]
    info = touchpoints[["touchpoint_id", "journey_id", "weight", "moment_of_truth"]]
    row, place = _judged_places(scored["touchpoint_id"], info["touchpoint_id"],
                                np.flatnonzero(~np.isnan(points)))
    weight = info["weight"].to_numpy(dtype="float64", na_value=np.nan)[place]
    w = np.clip(weight, 0, None) * np.where(info["moment_of_truth"].to_numpy()[place], MOT_WEIGHT, 1.0)
    judged = pd.DataFrame({
        **{c: scored[c].take(row).reset_index(drop=True) for c in by},
        "journey_id": info["journey_id"].take(place).reset_index(drop=True),
        "wp": w * points[row], "w": w,
    })
    sums = judged.groupby([*by, "journey_id"])[["wp", "w"]].sum()
    return (100.0 * sums["wp"] / sums["w"].where(sums["w"] > 0)).rename("health").reset_index()


def _judged_places(keys: pd.Series, touchpoint_ids: pd.Series,
                   rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, position in ``touchpoint_ids``) of each of ``rows`` whose key equals a touchpoint id, as an
    inner merge pairs them (metrics/_keys.py: matching_pairs). With unique ids (a warehouse's
    touchpoints), each distinct key is looked up once and no pairs are built (#19)."""
    if not touchpoint_ids.is_unique:
        return matching_pairs([factorized(keys)], [touchpoint_ids], rows=rows)
    codes, uniques = factorized(keys)
    lookup = pd.Index(touchpoint_ids, dtype=object).get_indexer(uniques)
    nameless = np.flatnonzero(touchpoint_ids.isna().to_numpy())
    at = np.append(lookup, nameless[0] if nameless.size else -1)[codes[rows]]  # a missing key matches one
    found = at >= 0
    return rows[found], at[found]


def pain_points(scored: pd.DataFrame, touchpoints: pd.DataFrame, conversion: pd.DataFrame) -> pd.DataFrame:
    """Touchpoints ranked by pain (module docstring), worst first; only trusted values below target.

    ``scored`` needs touchpoint_id, kpi_id, value, target, tolerance, gap, status. ``conversion``
    is stage_conversion's output. Returns touchpoint_id, name, stage_id, journey_id, kpi_id (the
    worst KPI), shortfall, drop_off, pain.
    """
    band = scored["tolerance"].abs()
    band = band.where(band > 0, scored["target"].abs() * 0.05).where(lambda b: b > 0, 1.0)
    shortfall = (-scored["gap"]).clip(lower=0) / band
    missed = -scored["gap"] > GAP_NOISE * scored["target"].abs().clip(lower=1.0)  # as classify judges
    # A value from rows that fail critical checks is not evidence of pain (nor of health).
    trusted = scored["status"] != Status.NOT_TRUSTED.value
    below = scored.assign(shortfall=shortfall)[missed & trusted]
    worst = below.sort_values("shortfall", ascending=False).drop_duplicates("touchpoint_id")
    info = touchpoints[["touchpoint_id", "name", "stage_id", "journey_id", "moment_of_truth"]].assign(
        kano=touchpoints.get("kano", None))
    ranked = worst[["touchpoint_id", "kpi_id", "shortfall"]].merge(info, on="touchpoint_id")
    ranked = ranked.merge(conversion[["stage_id", "drop_off"]], on="stage_id", how="left")
    factor = np.where(ranked["moment_of_truth"], MOT_PAIN_FACTOR, 1.0) * kano_factors(ranked["kano"])
    ranked["pain"] = ranked["shortfall"] * factor + ranked["drop_off"].fillna(0.0)
    columns = [
        "touchpoint_id",
        "name",
        "stage_id",
        "journey_id",
        "kpi_id",
        "moment_of_truth",
        "kano",
        "shortfall",
        "drop_off",
        "pain",
    ]
    return ranked.sort_values("pain", ascending=False)[columns].reset_index(drop=True)


def with_deltas(current: pd.DataFrame, earlier: pd.DataFrame, keys: list[str], suffix: str) -> pd.DataFrame:
    """Add ``value_<suffix>`` and ``delta_<suffix>`` (current - earlier) by the key columns."""
    earlier_values = earlier[[*keys, "value"]].rename(columns={"value": f"value_{suffix}"})
    out = current.merge(earlier_values, on=keys, how="left")
    out[f"delta_{suffix}"] = out["value"] - out[f"value_{suffix}"]
    return out
