"""Reallocation with journey-level bounds: a minimum and a maximum monthly spend per journey, or a
journey locked at today's spend (minimum = maximum = today).

Items (touchpoints) carry a ``journey`` column; ``journeys`` has journey, minimum, maximum.

Method: the same water-filling as metrics.reallocation, one level up. At a common marginal return
L every item wants the spend where its curve's slope falls to L (within its own bounds); a
journey's total of that is clipped to the journey's bounds, and the sum over journeys grows with
L, so bisection on L finds journey totals that spend exactly the total. Each journey's total is
then spread over its items by the same water-filling inside the journey. On concave curves this
is the optimum (KKT conditions for nested bounds): items of an unclipped journey share the global
marginal return, items of a clipped journey share their journey's own. Items without a curve keep
today's spend (clipped to their bounds) and count towards their journey's total as fixed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd

from metrics.formatting import number_text
from metrics.i18n import tr
from metrics.reallocation import AllocationError, fill_to_total, scenario_problems
from metrics.response_curves import ResponseCurve

__all__ = ["default_journey_bounds", "journey_problems", "optimise_with_journeys"]


def default_journey_bounds(items: pd.DataFrame) -> pd.DataFrame:
    """Journey bounds that bind nothing: from the sum of its items' minimums to the sum of their
    maximums, with today's spend. items: key, journey, current, minimum, maximum."""
    grouped = items.groupby("journey", sort=True)[["current", "minimum", "maximum"]].sum()
    return grouped.rename(columns={"current": "today"}).reset_index().assign(locked=False)


def journey_problems(items: pd.DataFrame, journeys: pd.DataFrame, total: float) -> list[str]:
    """What is wrong with the journey bounds, in words a planner acts on (empty list = fine)."""
    low = pd.to_numeric(journeys["minimum"], errors="coerce")
    high = pd.to_numeric(journeys["maximum"], errors="coerce")
    if low.isna().any() or high.isna().any():
        return [tr("Every journey needs a minimum and a maximum; fill in the empty cells.")]
    problems = []
    swapped = journeys.loc[(low > high).to_numpy(), "journey"].astype(str).tolist()
    if swapped:
        problems.append(tr("Journey minimum above its maximum for: {journeys}.").format(
            journeys=", ".join(swapped)))
    sums = items.groupby("journey")[["minimum", "maximum"]].sum()
    for row, lo, hi in zip(journeys.itertuples(), low, high, strict=True):
        if row.journey not in sums.index:
            continue
        if lo > sums.loc[row.journey, "maximum"] + 1e-6 or hi < sums.loc[row.journey, "minimum"] - 1e-6:
            own = sums.loc[row.journey]
            problems.append(tr("The bounds of journey {journey} cannot be met by its items' own bounds "
                               "({low} to {high}).").format(
                journey=row.journey, low=number_text(own["minimum"]), high=number_text(own["maximum"])))
    if low.sum() > total + 1e-6:
        problems.append(tr("The journey minimums add up to {sum}, more than the total of {total}.").format(
            sum=number_text(low.sum()), total=number_text(total)))
    if high.sum() < total - 1e-6:
        problems.append(tr("The journey maximums add up to {sum}, less than the total of {total}.").format(
            sum=number_text(high.sum()), total=number_text(total)))
    return problems


def optimise_with_journeys(items: pd.DataFrame, curves: dict[str, ResponseCurve], total: float,
                           journeys: pd.DataFrame) -> pd.Series:
    """The spend per item that maximises the projected outcome for ``total`` within item and
    journey bounds. Raises AllocationError (with what to change) when they cannot hold the total."""
    problems = scenario_problems(items, total) or journey_problems(items, journeys, total)
    if problems:
        raise AllocationError(" ".join(problems))
    keys = items["key"].astype(str).to_numpy()
    low = items["minimum"].to_numpy(dtype="float64")
    high = items["maximum"].to_numpy(dtype="float64")
    current = pd.to_numeric(items["current"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
    fitted = np.array([k in curves for k in keys])
    result = np.where(fitted, 0.0, np.clip(current, low, high))
    group = items["journey"].astype(str).to_numpy()
    bounds = journeys.assign(journey=journeys["journey"].astype(str)).set_index("journey")
    names = sorted(set(group))
    fixed = np.array([result[(group == j) & ~fitted].sum() for j in names])
    # What each journey's items with a curve may spend together: their own bounds, narrowed by
    # the journey's bounds less what its items without a curve keep.
    own_low = np.array([low[(group == j) & fitted].sum() for j in names])
    own_high = np.array([high[(group == j) & fitted].sum() for j in names])
    j_low = np.array([float(bounds.loc[j, "minimum"]) if j in bounds.index else -np.inf for j in names])
    j_high = np.array([float(bounds.loc[j, "maximum"]) if j in bounds.index else np.inf for j in names])
    room_low, room_high = np.maximum(j_low - fixed, own_low), np.minimum(j_high - fixed, own_high)
    remaining = total - fixed.sum()
    short = remaining < room_low.sum() - 1e-6 or remaining > room_high.sum() + 1e-6
    if np.any(room_low > room_high + 1e-6) or short:
        raise AllocationError(tr("After keeping today's spend on items without a response curve, the journey "
                                 "bounds cannot hold the total; widen them or change the total."))
    fitted_curves = [curves[k] for k in keys[fitted]]
    f_low, f_high, f_group = low[fitted], high[fitted], group[fitted]

    def item_spend(log_inverse_slope: float, rows: np.ndarray) -> np.ndarray:
        slope = float(np.exp(-log_inverse_slope))
        wanted = np.array([fitted_curves[i].spend_at_marginal(slope) for i in np.flatnonzero(rows)])
        return np.clip(wanted, f_low[rows], f_high[rows])

    everyone = np.ones(len(fitted_curves), dtype=bool)
    members = [f_group == j for j in names]

    def journey_totals(t: float) -> np.ndarray:
        spend = item_spend(t, everyone)
        return np.clip(np.array([spend[m].sum() for m in members]), room_low, room_high)

    slopes = np.array([c.initial_slope for c in fitted_curves]) if fitted_curves else np.array([1.0])
    lo = -float(np.log(slopes.max())) - 1.0
    targets = fill_to_total(journey_totals, room_low, room_high, remaining, lo, lo + 80.0)
    spread = np.zeros(len(fitted_curves))
    for member, target in zip(members, targets, strict=True):
        if member.any():
            spread[member] = fill_to_total(functools.partial(_call, item_spend, member), f_low[member],
                                           f_high[member], float(target), lo, lo + 80.0)
    result[fitted] = spread
    return pd.Series(result, index=keys, name="spend")


def _call(spend: Callable[[float, np.ndarray], np.ndarray], rows: np.ndarray, t: float) -> np.ndarray:
    return spend(t, rows)
