"""Budget against journeys: plan against actual, efficiency, and the effectiveness/efficiency quadrant.

Pure functions over small aggregated frames (budget rows summed in the warehouse, KPI numerators,
funnel counts). Inputs are never changed.

Zero-denominator policy: every "cost per ..." and every share or percentage is NaN when its
denominator is zero, negative or missing, never infinity or zero. A page shows NaN as "–".
Spend columns are ``planned`` and ``actual`` (currency); a missing spend stays missing (sums use
``min_count=1``) so "no budget recorded" is not shown as "budget of 0".
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import numpy as np
import pandas as pd

from metrics.i18n import N_, tr
from metrics.model import Direction

__all__ = ["add_quarter", "attach_touchpoint_dimensions", "budget_problems", "classify_quadrant",
    "CONVERSION_KPI", "cost_per_kpi_point", "cost_per_next_stage_customer", "cost_per_outcome",
    "efficiency_ranking", "moment_of_truth_shares", "MOT_LABELS", "plan_against_actual", "Quadrant",
    "QUADRANT_ORDER", "QUADRANT_TEXT", "quadrant_text", "target_attainment", "UNASSIGNED_STAGE"]

SPEND_COLUMNS = ("planned", "actual")
#: The KPI whose numerator counts what the budget buys (customers converting), unless a person
#: picks another: the Budget page's default outcome and the review's cost per conversion.
CONVERSION_KPI = "conversion_rate"

#: Stage given to budget rows booked on a journey without a touchpoint (e.g. brand campaigns).
#: Stored in English (a key); shown with ``tr(UNASSIGNED_STAGE)``.
UNASSIGNED_STAGE = N_("(journey level)")

#: Moment of truth or not, in words (marked; translate with ``tr`` where shown).
MOT_LABELS = {True: N_("Moments of truth"), False: N_("Other touchpoints")}


class Quadrant(StrEnum):
    """Where a touchpoint sits on effectiveness (target attainment) against efficiency (cost)."""

    # The values are keys (i18n: not shown); QUADRANT_TEXT says them in the current language.
    FUND_MORE = "fund more"  # i18n: not shown. Meets its target and its outcomes are cheap: scale it up
    KEEP = "keep"  # meets its target but each outcome is expensive: hold the budget
    FIX = "fix"  # cheap outcomes but misses its target: improve the experience, not the spend
    CUT_BACK = "cut back"  # i18n: not shown. Misses its target, each outcome is expensive: move money
    NO_DATA = "no data"  # i18n: not shown. No target, no outcome or no spend: cannot be judged


QUADRANT_ORDER: tuple[Quadrant, ...] = tuple(Quadrant)
#: Each quadrant in words: the values are the English text, shown with ``quadrant_text``.
QUADRANT_TEXT: dict[Quadrant, str] = {
    Quadrant.FUND_MORE: N_("fund more"),
    Quadrant.KEEP: N_("keep"),
    Quadrant.FIX: N_("fix"),
    Quadrant.CUT_BACK: N_("cut back"),
    Quadrant.NO_DATA: N_("no data"),
}


def quadrant_text(quadrant: str) -> str:
    """A quadrant (its stored value) in the current language; anything else as it is."""
    try:
        return tr(QUADRANT_TEXT[Quadrant(quadrant)])
    except ValueError:
        return str(quadrant)


def _safe_divide(numerator: pd.Series | np.ndarray, denominator: pd.Series | np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is not > 0 or either side is missing."""
    num = pd.to_numeric(pd.Series(np.asarray(numerator, dtype="float64")), errors="coerce").to_numpy()
    den = pd.to_numeric(pd.Series(np.asarray(denominator, dtype="float64")), errors="coerce").to_numpy()
    out = np.full(num.shape, np.nan)
    ok = np.isfinite(num) & np.isfinite(den) & (den > 0)
    out[ok] = num[ok] / den[ok]
    return out


def add_quarter(budget: pd.DataFrame) -> pd.DataFrame:
    """A copy with a ``quarter`` label ('2026-Q3') from the ``month`` column."""
    out = budget.copy()
    month = pd.to_datetime(out["month"])
    out["quarter"] = month.dt.year.astype(str) + "-Q" + month.dt.quarter.astype(str)
    return out


def attach_touchpoint_dimensions(budget: pd.DataFrame, touchpoints: pd.DataFrame) -> pd.DataFrame:
    """Add stage_id, touchpoint name and moment_of_truth to budget rows keyed by touchpoint_id.

    Rows without a touchpoint (journey-level budget) or with an unknown one get the stage
    UNASSIGNED_STAGE and count as not a moment of truth.
    """
    dims = touchpoints[["touchpoint_id", "stage_id", "name", "moment_of_truth"]].rename(
        columns={"name": "touchpoint"}
    )
    out = budget.merge(dims, on="touchpoint_id", how="left")
    out["stage_id"] = out["stage_id"].astype("object").where(out["stage_id"].notna(), UNASSIGNED_STAGE)
    out["touchpoint"] = out["touchpoint"].astype("object").where(
        out["touchpoint"].notna(), out["touchpoint_id"].astype("object")
    )
    out["moment_of_truth"] = out["moment_of_truth"].astype("object").fillna(False).astype(bool)
    return out


def budget_problems(budget: pd.DataFrame) -> list[str]:
    """Plain-language problems in budget rows that a user should know before reading the figures."""
    problems: list[str] = []
    if budget.empty:
        return [tr("No budget rows in this period. Choose a longer period or check the budget table.")]
    for column in SPEND_COLUMNS:
        values = pd.to_numeric(budget[column], errors="coerce")
        negative = int((values < 0).sum())
        if negative:
            problems.append((
                tr("{count} budget row(s) have a negative planned amount; they are kept in the sums but "
                   "should be corrected in the budget table.") if column == "planned" else
                tr("{count} budget row(s) have a negative actual amount; they are kept in the sums but "
                   "should be corrected in the budget table.")).format(count=negative))
        missing = int(values.isna().sum())
        if missing:
            problems.append((
                tr("{count} budget row(s) have no planned amount; they count as missing.")
                if column == "planned" else
                tr("{count} budget row(s) have no actual amount; they count as missing.")).format(
                    count=missing))
    if pd.to_numeric(budget["actual"], errors="coerce").fillna(0).sum() <= 0:
        problems.append(tr("No actual spend is recorded in this period, so no cost figures can be computed."))
    return problems


def plan_against_actual(budget: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Planned and actual spend summed by ``by``, with variance.

    Columns: the ``by`` columns, planned, actual, variance (actual - planned; positive = overspend),
    variance_pct (variance / planned * 100; NaN when planned is not > 0).
    """
    keys = list(by)
    if keys:
        grouped = budget.groupby(keys, dropna=False, sort=True)[list(SPEND_COLUMNS)]
        out = grouped.sum(min_count=1).reset_index()
    else:
        out = pd.DataFrame({c: [pd.to_numeric(budget[c], errors="coerce").sum(min_count=1)]
                            for c in SPEND_COLUMNS})
    out["variance"] = out["actual"] - out["planned"]
    out["variance_pct"] = _safe_divide(out["variance"], out["planned"]) * 100.0
    return out


def cost_per_outcome(spend: pd.Series, outcome: pd.Series) -> pd.Series:
    """Spend divided by outcome (e.g. cost per conversion); NaN when the outcome is not > 0."""
    return pd.Series(_safe_divide(spend, outcome), index=spend.index, dtype="float64")


def efficiency_ranking(spend: pd.DataFrame, outcomes: pd.DataFrame, key: str) -> pd.DataFrame:
    """Cost per outcome per ``key`` (touchpoint_id or channel), cheapest first.

    ``spend`` has [key, actual]; ``outcomes`` has [key, outcome]. Keys with spend but no outcome keep
    a row with outcome NaN and cost NaN (ranked last) so a touchpoint without outcomes is visible.
    Columns: key, actual, outcome, cost_per_outcome, rank (1 = cheapest; NaN for no cost).
    """
    merged = spend[[key, "actual"]].merge(outcomes[[key, "outcome"]], on=key, how="outer")
    merged["cost_per_outcome"] = cost_per_outcome(merged["actual"], merged["outcome"])
    merged["rank"] = merged["cost_per_outcome"].rank(method="min")
    return merged.sort_values(["cost_per_outcome", key], na_position="last").reset_index(drop=True)


def cost_per_next_stage_customer(
    spend_by_stage: pd.DataFrame, funnel: pd.DataFrame, stages: pd.DataFrame
) -> pd.DataFrame:
    """Spend of each stage divided by the customers who reached the journey's next stage.

    ``spend_by_stage``: [journey_id, stage_id, actual]; ``funnel``: [journey_id, stage_id, customers]
    over the same period; ``stages``: [stage_id, journey_id, position]. The last stage of a journey
    has no next stage, so its cost is NaN. Columns: journey_id, stage_id, position, actual,
    next_stage_id, customers_next, cost_per_next_stage_customer.
    """
    ordered = stages[["stage_id", "journey_id", "position"]].sort_values(["journey_id", "position"])
    ordered = ordered.assign(next_stage_id=ordered.groupby("journey_id")["stage_id"].shift(-1))
    reached = funnel.groupby(["journey_id", "stage_id"], as_index=False)["customers"].sum()
    reached = reached.rename(columns={"stage_id": "next_stage_id", "customers": "customers_next"})
    spent = spend_by_stage.groupby(["journey_id", "stage_id"], as_index=False)["actual"].sum(min_count=1)
    out = ordered.merge(spent, on=["journey_id", "stage_id"], how="left")
    out = out.merge(reached, on=["journey_id", "next_stage_id"], how="left")
    out["cost_per_next_stage_customer"] = _safe_divide(out["actual"], out["customers_next"])
    columns = ["journey_id", "stage_id", "position", "actual", "next_stage_id", "customers_next",
               "cost_per_next_stage_customer"]
    return out[columns].reset_index(drop=True)


def cost_per_kpi_point(spend: pd.Series, kpi_value: pd.Series) -> pd.Series:
    """Spend per point of an outcome KPI (e.g. EUR per NPS point); NaN when the KPI is not > 0.

    A negative or zero KPI value (an NPS of -5) gives no cost per point: dividing by it would
    reward a worse score with a lower or negative cost.
    """
    return pd.Series(_safe_divide(spend, kpi_value), index=spend.index, dtype="float64")


def moment_of_truth_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Share of spend against share of impact for moments of truth and the other touchpoints.

    ``frame`` has [moment_of_truth (bool), actual, impact] per touchpoint, impact being the outcome
    (e.g. conversions). Columns: group, actual, impact, spend_share, impact_share (percent of the
    total; NaN when the total is not > 0), share_gap (impact_share - spend_share, points).
    """
    work = frame.assign(moment_of_truth=frame["moment_of_truth"].fillna(False).astype(bool))
    totals = work.groupby("moment_of_truth")[["actual", "impact"]].sum(min_count=1)
    totals = totals.reindex([True, False])
    out = pd.DataFrame({
        "group": [tr(MOT_LABELS[True]), tr(MOT_LABELS[False])],
        "actual": totals["actual"].to_numpy(dtype="float64"),
        "impact": totals["impact"].to_numpy(dtype="float64"),
    })
    for column, share in (("actual", "spend_share"), ("impact", "impact_share")):
        total = np.nansum(out[column].to_numpy())
        out[share] = _safe_divide(out[column].fillna(0.0), np.full(len(out), total)) * 100.0
    out["share_gap"] = out["impact_share"] - out["spend_share"]
    return out


def target_attainment(value: pd.Series, target: pd.Series, direction: pd.Series) -> pd.Series:
    """How much of its target a value reaches, in percent (100 = exactly on target).

    Higher-is-better KPIs: value / target * 100; lower-is-better: target / value * 100, so above
    100 always means better than target. NaN when the divisor is not > 0 or anything is missing.
    """
    higher = direction.astype(str).eq(Direction.HIGHER_IS_BETTER.value).to_numpy()
    up = _safe_divide(value, target)
    down = _safe_divide(target, value)
    return pd.Series(np.where(higher, up, down) * 100.0, index=value.index, dtype="float64")


def classify_quadrant(
    frame: pd.DataFrame, cost_threshold: float | None = None, attainment_threshold: float = 100.0
) -> pd.DataFrame:
    """Sort touchpoints into fund more / keep / fix / cut back.

    ``frame`` has attainment (percent) and cost_per_outcome. Effective = attainment >= threshold
    (100% = target met); efficient = cost per outcome <= ``cost_threshold`` (default: the median
    cost of the rows that have one). Returns a copy with quadrant, and the cost_threshold used.
    """
    out = frame.copy()
    cost = pd.to_numeric(out["cost_per_outcome"], errors="coerce")
    attained = pd.to_numeric(out["attainment"], errors="coerce")
    threshold = float(cost.median()) if cost_threshold is None else float(cost_threshold)
    effective = (attained >= attainment_threshold).to_numpy()
    efficient = (cost <= threshold).to_numpy()
    known = (attained.notna() & cost.notna()).to_numpy()
    labels = np.select(
        [~known, effective & efficient, effective, efficient],
        [Quadrant.NO_DATA.value, Quadrant.FUND_MORE.value, Quadrant.KEEP.value, Quadrant.FIX.value],
        default=Quadrant.CUT_BACK.value,
    )
    out["quadrant"] = pd.Series(labels, index=out.index, dtype="str")
    out["cost_threshold"] = threshold
    return out
