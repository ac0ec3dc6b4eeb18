"""Reallocating a budget by marginal return, and projecting what an allocation buys.

Items (touchpoints or channels) come as a frame with columns key, current (today's monthly spend),
minimum and maximum. The optimiser keeps the total exactly and every item within its bounds.

Method: on concave response curves the best split of a fixed total gives every item that is not at
a bound the same marginal return (KKT conditions). ``optimise_allocation`` finds that common slope
by bisection ("water-filling"): at slope L each item gets the spend where its curve's slope falls
to L, clipped to [minimum, maximum]; the total of that is monotone in L. The final allocation
interpolates between the two bracketing slopes, which hits the total exactly and stays in bounds.
Items without a fitted curve keep today's spend (clipped to their bounds): there is nothing to say
what moving their money would buy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from metrics.formatting import number_text
from metrics.i18n import tr
from metrics.response_curves import CurveFit, ResponseCurve

__all__ = ["allocation_total_problem", "AllocationError", "compare_allocations", "default_items",
    "fill_to_total", "optimise_allocation", "project_allocation", "proportional_allocation", "scale_to_total",
    "scenario_problems"]

ITEM_COLUMNS = ("key", "current", "minimum", "maximum")
_BISECTION_STEPS = 200


class AllocationError(ValueError):
    """A budget scenario that cannot be allocated; the message says what to change."""


def scenario_problems(items: pd.DataFrame, total: float) -> list[str]:
    """What is wrong with bounds and total, in words a planner acts on (empty list = fine)."""
    problems: list[str] = []
    if not np.isfinite(total) or total < 0:
        return [tr("The total budget must be a number of zero or more.")]
    low = pd.to_numeric(items["minimum"], errors="coerce")
    high = pd.to_numeric(items["maximum"], errors="coerce")
    if low.isna().any() or high.isna().any():
        problems.append(tr("Every item needs a minimum and a maximum; fill in the empty cells."))
    if (low < 0).any():
        problems.append(tr("A minimum is negative; spend cannot go below zero."))
    swapped = items.loc[(low > high).to_numpy(), "key"].astype(str).tolist()
    if swapped:
        problems.append(tr("Minimum above maximum for: {items}.").format(items=", ".join(swapped)))
    if low.sum() > total + 1e-6:
        problems.append(tr("The minimums add up to {sum}, more than the total of {total}; lower some "
                           "minimums or raise the total.").format(sum=number_text(low.sum()),
                                                                  total=number_text(total)))
    if high.sum() < total - 1e-6:
        problems.append(tr("The maximums add up to {sum}, less than the total of {total}; raise some "
                           "maximums or lower the total.").format(sum=number_text(high.sum()),
                                                                  total=number_text(total)))
    return problems


def default_items(current: pd.Series, fits: dict[str, CurveFit], min_share: float = 0.5) -> pd.DataFrame:
    """Items for the optimiser from today's monthly spend per key.

    Minimum: ``min_share`` of today's spend (no item is switched off by default). Maximum: the
    most ever spent in a month (so the suggestion stays where the curve was observed), and never
    below today's spend; without a fit, 1.5 x today.
    """
    today = pd.to_numeric(current, errors="coerce").fillna(0.0).clip(lower=0.0)
    observed = pd.Series({k: fits[k].spend_max if k in fits else np.nan for k in today.index},
                         dtype="float64")
    maximum = np.fmax(observed.fillna(today * 1.5).to_numpy(), today.to_numpy())
    return pd.DataFrame({"key": today.index.astype(str), "current": today.to_numpy(),
                         "minimum": (today * min_share).to_numpy(), "maximum": maximum})


def scale_to_total(allocation: pd.Series, total: float) -> pd.Series:
    """A hand-made scenario scaled so it spends exactly ``total`` (equal split if it spends nothing)."""
    values = pd.to_numeric(allocation, errors="coerce").fillna(0.0).clip(lower=0.0)
    spent = float(values.sum())
    if spent <= 0:
        return pd.Series(total / max(len(values), 1), index=values.index, name=allocation.name)
    return values * (total / spent)


def allocation_total_problem(allocation: pd.Series, total: float, tolerance: float = 0.5) -> str | None:
    """A message when a hand-made scenario does not spend exactly the total (None when it does)."""
    spent = float(pd.to_numeric(allocation, errors="coerce").fillna(0).sum())
    if spent > total + tolerance:
        return tr("This scenario spends {spent}, {difference} more than the total of {total}.").format(
            spent=number_text(spent), difference=number_text(spent - total), total=number_text(total))
    if spent < total - tolerance:
        return tr("This scenario spends {spent}, {difference} less than the total of {total}.").format(
            spent=number_text(spent), difference=number_text(total - spent), total=number_text(total))
    return None


def fill_to_total(
    share_at: Callable[[float], np.ndarray], low: np.ndarray, high: np.ndarray, total: float,
    lo: float, hi: float,
) -> np.ndarray:
    """Bisection on a parameter t in [lo, hi] where allocation(t) grows with t; exact total at the end.

    The caller guarantees allocation(lo) sums to at most ``total``; ``hi`` is widened until
    allocation(hi) sums to at least ``total`` (possible because the maximums hold the total).
    """
    a_lo, a_hi = share_at(lo), share_at(hi)
    for _ in range(60):
        if a_hi.sum() >= total:
            break
        hi += max(hi - lo, 1.0)
        a_hi = share_at(hi)
    for _ in range(_BISECTION_STEPS):
        mid = (lo + hi) / 2.0
        a_mid = share_at(mid)
        if a_mid.sum() < total:
            lo, a_lo = mid, a_mid
        else:
            hi, a_hi = mid, a_mid
    gap = a_hi.sum() - a_lo.sum()
    weight = 0.0 if gap <= 0 else (total - a_lo.sum()) / gap
    result = a_lo + weight * (a_hi - a_lo)
    return np.clip(result, low, high)


def _checked_bounds(items: pd.DataFrame, total: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keys, minimum and maximum spend of ``items``; AllocationError if the scenario cannot hold."""
    problems = scenario_problems(items, total)
    if problems:
        raise AllocationError(" ".join(problems))
    keys = items["key"].astype(str).to_numpy()
    return keys, items["minimum"].to_numpy(dtype="float64"), items["maximum"].to_numpy(dtype="float64")


def optimise_allocation(items: pd.DataFrame, curves: dict[str, ResponseCurve], total: float) -> pd.Series:
    """The spend per item that maximises the summed projected outcome for ``total``.

    Returns a Series indexed by key. Raises AllocationError when the bounds cannot hold the total.
    """
    keys, low, high = _checked_bounds(items, total)
    current = pd.to_numeric(items["current"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
    fitted = np.array([k in curves for k in keys])
    result = np.where(fitted, 0.0, np.clip(current, low, high))
    remaining = total - result[~fitted].sum()
    if not fitted.any():
        if abs(remaining) > 1e-6:
            raise AllocationError(tr("No item has a response curve, so there is nothing to reallocate by."))
        return pd.Series(result, index=keys, name="spend")
    f_low, f_high = low[fitted], high[fitted]
    if remaining < f_low.sum() - 1e-6 or remaining > f_high.sum() + 1e-6:
        raise AllocationError(
            tr("After keeping today's spend on items without a response curve, {remaining} is left for items "
               "with a curve, outside their bounds ({low} to {high}).").format(
                remaining=number_text(remaining), low=number_text(f_low.sum()),
                high=number_text(f_high.sum()))
        )
    fitted_curves = [curves[k] for k in keys[fitted]]

    def spend_at(log_inverse_slope: float) -> np.ndarray:
        slope = float(np.exp(-log_inverse_slope))
        wanted = np.array([c.spend_at_marginal(slope) for c in fitted_curves])
        return np.clip(wanted, f_low, f_high)

    slopes = np.array([c.initial_slope for c in fitted_curves])
    lo = -float(np.log(slopes.max())) - 1.0  # slope above every curve's start: everyone at minimum
    hi = lo + 80.0  # slope e^-80 times smaller: everyone at maximum for any realistic bounds
    result[fitted] = fill_to_total(spend_at, f_low, f_high, remaining, lo, hi)
    return pd.Series(result, index=keys, name="spend")


def proportional_allocation(items: pd.DataFrame, total: float) -> pd.Series:
    """Today's split scaled to ``total`` (equal split when nothing is spent today), within bounds."""
    keys, low, high = _checked_bounds(items, total)
    current = np.clip(pd.to_numeric(items["current"], errors="coerce").fillna(0.0).to_numpy(), 0, None)
    weights = current if current.sum() > 0 else np.ones(len(keys))
    weights = weights / weights.sum()

    def spend_at(scale: float) -> np.ndarray:
        return np.clip(np.exp(scale) * weights, low, high)

    upper = float(np.log(max(high.max(), 1.0) / max(weights[weights > 0].min(), 1e-12))) + 1.0
    spread = fill_to_total(spend_at, low, high, total, -60.0, upper)
    return pd.Series(spread, index=keys, name="spend")


def project_allocation(allocation: pd.Series, curves: dict[str, ResponseCurve]) -> pd.DataFrame:
    """Projected monthly outcome per item for an allocation.

    Columns: key, spend, projected_outcome (NaN without a curve), marginal_return (outcome per
    extra euro), beyond_observed (spend outside the range the curve was fitted on).
    """
    rows = []
    for key, spend in allocation.items():
        value = float(spend) if pd.notna(spend) else float("nan")
        curve = curves.get(str(key)) if np.isfinite(value) else None
        rows.append({
            "key": str(key),
            "spend": value,
            "projected_outcome": float(curve.predict(value)) if curve else np.nan,
            "marginal_return": float(curve.marginal(value)) if curve else np.nan,
            "beyond_observed": bool(curve.is_beyond_observed(value)) if curve else False,
        })
    return pd.DataFrame(rows, columns=["key", "spend", "projected_outcome", "marginal_return",
                                       "beyond_observed"])


def compare_allocations(
    scenarios: dict[str, pd.Series], curves: dict[str, ResponseCurve], goal: float | None = None
) -> pd.DataFrame:
    """Totals per scenario: spend, projected outcome, attainment of ``goal`` and change against the first.

    Attainment is projected outcome / goal * 100 (NaN without a goal > 0). Items without a curve
    add their spend but no outcome, and are counted in ``items_without_curve``.
    """
    rows = []
    for name, allocation in scenarios.items():
        projected = project_allocation(allocation, curves)
        outcome = float(projected["projected_outcome"].sum(min_count=1))
        rows.append({
            "scenario": name,
            "spend": float(projected["spend"].sum()),
            "projected_outcome": outcome,
            "attainment": outcome / goal * 100.0 if goal and goal > 0 and np.isfinite(outcome) else np.nan,
            "items_beyond_observed": int(projected["beyond_observed"].sum()),
            "items_without_curve": int(projected["projected_outcome"].isna().sum()),
        })
    out = pd.DataFrame(rows)
    if not out.empty:
        out["outcome_change"] = out["projected_outcome"] - out["projected_outcome"].iloc[0]
    return out
