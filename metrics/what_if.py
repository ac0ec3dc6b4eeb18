"""The Budget page's what-if: one scenario of monthly spend against today and the optimiser.

Pure: the page collects the inputs (today's spend, the fitted curves, the edited table of items,
the total and the goal) and shows the ``WhatIf`` it gets back. Rules:
- The default total is today's monthly spend rounded to EUR 100; the default goal is the outcome
  today's spend projects to, GOAL_ABOVE_PROJECTION higher (rounded to 100).
- A scenario whose items do not add up to the total is scaled to it when ``hold_total`` (the
  comparison is then like for like); otherwise it is compared as entered, with a warning.
- The optimiser (metrics.reallocation.optimise_allocation) runs only on a valid scenario; why it
  cannot run is said in ``problems``.
- ``outside``: items whose scenario spend lies outside the range ever observed, where projections
  extend the curve beyond the evidence.
- Every projected change carries an 80 % range from the bootstrap (metrics.curve_uncertainty).
  When a curve the allocation moves money along is weak (spend R² below ``min_spend_r2``, the
  setting MOT_MIN_CURVE_R2), ``promise`` is False: the page shows the range and no single number.
- ``journeys`` (optional: journey, minimum, maximum; items then carry a ``journey`` column) bounds
  each journey's total (metrics.journey_allocation); a locked journey has minimum = maximum.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.curve_uncertainty import CurveSamples, change_range, weak_curves
from metrics.i18n import N_
from metrics.journey_allocation import journey_problems, optimise_with_journeys
from metrics.reallocation import (
    AllocationError,
    allocation_total_problem,
    compare_allocations,
    optimise_allocation,
    project_allocation,
    scale_to_total,
    scenario_problems,
)
from metrics.response_curves import ResponseCurve

__all__ = ["CURVE_SPAN", "default_goal", "GOAL_ABOVE_PROJECTION", "default_total", "evaluate_scenario",
    "OPTIMISER", "plans_long", "scenario_total_problem", "TODAY", "WhatIf",
    "YOUR_SCENARIO"]

#: The default goal: this much above what today's spend projects to. A goal is a planner's number;
#: the default is only a start that a reallocation at the same total could plausibly reach, and
#: the page says so next to the field.
GOAL_ABOVE_PROJECTION = 1.10
#: The plans' names (keys of ``WhatIf.plans``, the ``scenario`` column): English, shown with ``tr``.
TODAY, YOUR_SCENARIO, OPTIMISER = N_("Today"), N_("Your scenario"), N_("Optimiser")
#: How far right of the largest spend shown a response curve is drawn.
CURVE_SPAN = 1.2
#: Defaults are rounded to this many EUR (or outcomes).
ROUND_TO = -2


@dataclass(frozen=True)
class WhatIf:
    scenario: pd.Series  # key -> monthly spend, after holding the total when asked
    total_problem: str | None  # the scenario does not add up to the total (None: it does)
    scaled: bool  # the scenario was scaled to the total
    problems: list[str]  # why the optimiser could not suggest an allocation
    plans: dict[str, pd.Series]  # "Today", "Your scenario" and, when it ran, "Optimiser"
    compared: pd.DataFrame  # metrics.reallocation.compare_allocations
    projected: pd.DataFrame  # the scenario per key: projected_outcome, beyond_observed
    outside: list[str]  # keys spent outside their observed range
    export: pd.DataFrame  # the edited items with scenario, optimiser and projection, for download
    weak: list[str]  # keys whose curve explains too little (spend R² below the floor)
    promise: bool  # False: show only ranges, no single projected number


def default_total(today: pd.Series) -> float:
    return float(round(today.sum(), ROUND_TO))


def default_goal(today: pd.Series, curves: dict[str, ResponseCurve]) -> float:
    projected = project_allocation(today, curves)["projected_outcome"].sum()
    return float(round(projected * GOAL_ABOVE_PROJECTION, ROUND_TO))


def scenario_total_problem(edited: pd.DataFrame, total: float) -> str | None:
    """Why the edited scenario does not add up to the total (None when it does)."""
    return allocation_total_problem(edited.set_index("key")["scenario"].astype("float64"), total)


def evaluate_scenario(
    edited: pd.DataFrame,
    today: pd.Series,
    curves: dict[str, ResponseCurve],
    total: float,
    goal: float,
    hold_total: bool = True,
    samples: CurveSamples | None = None,
    min_spend_r2: float = 0.0,
    journeys: pd.DataFrame | None = None,
) -> WhatIf:
    """The scenario in ``edited`` (key, current, minimum, maximum, scenario[, journey]) against
    today and the optimiser, with ranges from ``samples`` and within ``journeys`` bounds."""
    scenario = edited.set_index("key")["scenario"].astype("float64")
    total_problem = allocation_total_problem(scenario, total)
    scaled = bool(total_problem) and hold_total
    if scaled:
        scenario = scale_to_total(scenario, total)
    problems = scenario_problems(edited, total)
    if journeys is not None and not problems:
        problems = journey_problems(edited, journeys, total)
    optimised = None
    if not problems:
        try:
            optimised = (optimise_allocation(edited, curves, total) if journeys is None
                         else optimise_with_journeys(edited, curves, total, journeys))
        except AllocationError as exc:
            problems = [str(exc)]
    plans = {TODAY: today.reindex(scenario.index).fillna(0.0), YOUR_SCENARIO: scenario}
    if optimised is not None:
        plans[OPTIMISER] = optimised
    projected = project_allocation(scenario, curves)
    export = edited.assign(scenario=scenario.to_numpy(),
                           optimiser=None if optimised is None else optimised.to_numpy())
    export = export.merge(projected[["key", "projected_outcome", "beyond_observed"]], on="key", how="left")
    compared = _with_ranges(compare_allocations(plans, curves, goal), plans, samples or CurveSamples.none())
    weak = weak_curves(curves, list(scenario.index.astype(str)), min_spend_r2)
    return WhatIf(
        scenario=scenario,
        total_problem=total_problem,
        scaled=scaled,
        problems=problems,
        plans=plans,
        compared=compared,
        projected=projected,
        outside=projected.loc[projected["beyond_observed"], "key"].tolist(),
        export=export,
        weak=weak,
        promise=not weak,
    )


def _with_ranges(compared: pd.DataFrame, plans: dict[str, pd.Series], samples: CurveSamples) -> pd.DataFrame:
    """compare_allocations plus change_low and change_high: the 80 % range of each plan's change
    against the first plan (today)."""
    base = next(iter(plans.values()))
    ranges = [change_range(plans[name], base, samples) for name in compared["scenario"]]
    return compared.assign(change_low=[r[0] for r in ranges], change_high=[r[1] for r in ranges])


def plans_long(plans: dict[str, pd.Series]) -> pd.DataFrame:
    """The plans as one tidy frame for the scenario chart: key, spend, scenario."""
    return pd.concat([p.rename("spend").rename_axis("key").reset_index().assign(scenario=n)
                      for n, p in plans.items()], ignore_index=True)
