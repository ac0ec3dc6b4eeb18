"""metrics.what_if: the Budget what-if as one typed result, on hand-made curves."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.response_curves import SATURATING, ResponseCurve
from metrics.what_if import default_goal, default_total, evaluate_scenario, plans_long, scenario_total_problem


def _curve(key: str, a: float, b: float, high: float = 5_000.0) -> ResponseCurve:
    return ResponseCurve(key, SATURATING, a=a, b=b, c=0.0, r_squared=0.9, n_points=24, spend_min=0.0,
                         spend_max=high)


CURVES = {"x": _curve("x", 100, 1000), "y": _curve("y", 200, 2000)}
TODAY = pd.Series({"x": 2000.0, "y": 1000.0})


def _edited(x: float, y: float) -> pd.DataFrame:
    return pd.DataFrame({"key": ["x", "y"], "current": [2000.0, 1000.0], "minimum": 0.0,
                         "maximum": 10_000.0, "scenario": [x, y]})


def test_defaults() -> None:
    assert default_total(TODAY) == 3000.0
    # today projects to 100(1 - e^-2) + 200(1 - e^-0.5) = 86.47 + 78.69 = 165.2; x 1.05 = 173.4 -> 200
    assert default_goal(TODAY, CURVES) == 200.0


def test_a_scenario_that_adds_up_is_compared_with_today_and_the_optimiser() -> None:
    result = evaluate_scenario(_edited(1500.0, 1500.0), TODAY, CURVES, 3000.0, 200.0)
    assert result.total_problem is None and not result.scaled and result.problems == []
    assert list(result.plans) == ["Today", "Your scenario", "Optimiser"]
    # the optimum of these two curves at 3000 is x 1000, y 2000 (tests/test_budget_reallocation.py)
    assert result.plans["Optimiser"].tolist() == pytest.approx([1000.0, 2000.0], abs=1.0)
    assert set(result.compared["scenario"]) == {"Today", "Your scenario", "Optimiser"}
    assert result.outside == []
    assert list(result.export.columns)[-3:] == ["optimiser", "projected_outcome", "beyond_observed"]
    assert len(plans_long(result.plans)) == 6


def test_a_scenario_over_the_total_is_scaled_only_when_asked() -> None:
    edited = _edited(4000.0, 2000.0)  # 6000 against a total of 3000
    assert scenario_total_problem(edited, 3000.0)
    held = evaluate_scenario(edited, TODAY, CURVES, 3000.0, 200.0, hold_total=True)
    assert held.scaled and held.scenario.tolist() == pytest.approx([2000.0, 1000.0])
    as_entered = evaluate_scenario(edited, TODAY, CURVES, 3000.0, 200.0, hold_total=False)
    assert not as_entered.scaled and as_entered.scenario.tolist() == [4000.0, 2000.0]


def test_spend_outside_the_observed_range_is_named() -> None:
    narrow = {**CURVES, "y": _curve("y", 200, 2000, high=2000.0)}
    result = evaluate_scenario(_edited(500.0, 2500.0), TODAY, narrow, 3000.0, 200.0)
    assert result.outside == ["y"]
