"""The reallocation optimiser: keeps the total, respects bounds, finds known optima, beats proportional."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from metrics.reallocation import (
    AllocationError,
    allocation_total_problem,
    compare_allocations,
    optimise_allocation,
    project_allocation,
    proportional_allocation,
    scenario_problems,
)
from metrics.response_curves import LOGARITHMIC, SATURATING, ResponseCurve


def _curve(key: str, form: str, a: float, b: float, c: float = 0.0, high: float = 1e9) -> ResponseCurve:
    return ResponseCurve(key, form, a=a, b=b, c=c, r_squared=0.95, n_points=24, spend_min=0.0, spend_max=high)


def _items(current: dict[str, float], low: float = 0.0, high: float = 10_000.0) -> pd.DataFrame:
    return pd.DataFrame({"key": list(current), "current": list(current.values()),
                         "minimum": low, "maximum": high})


def _outcome(allocation: pd.Series, curves: dict[str, ResponseCurve]) -> float:
    return float(project_allocation(allocation, curves)["projected_outcome"].sum())


def test_saturating_curves_with_a_known_optimum() -> None:
    # slopes 100/1000 e^(-s1/1000) = 200/2000 e^(-s2/2000) -> s2 = 2 s1; s1 + s2 = 3000 -> 1000, 2000
    curves = {"x": _curve("x", SATURATING, 100, 1000), "y": _curve("y", SATURATING, 200, 2000)}
    allocation = optimise_allocation(_items({"x": 2000.0, "y": 1000.0}), curves, 3000.0)
    assert allocation.sum() == pytest.approx(3000.0, abs=1e-6)
    assert allocation["x"] == pytest.approx(1000.0, rel=0.01)
    assert allocation["y"] == pytest.approx(2000.0, rel=0.01)


def test_logarithmic_curves_with_a_known_optimum() -> None:
    # slopes 100/(100 + s1) = 300/(200 + s2) -> s2 = 100 + 3 s1; s1 + s2 = 1000 -> 225, 775
    curves = {"x": _curve("x", LOGARITHMIC, 100, 100), "y": _curve("y", LOGARITHMIC, 300, 200)}
    allocation = optimise_allocation(_items({"x": 500.0, "y": 500.0}), curves, 1000.0)
    assert allocation.sum() == pytest.approx(1000.0, abs=1e-6)
    assert allocation["x"] == pytest.approx(225.0, rel=0.01)
    assert allocation["y"] == pytest.approx(775.0, rel=0.01)


def test_matches_a_brute_force_search_and_beats_proportional() -> None:
    curves = {
        "a": _curve("a", SATURATING, 500, 3000, c=50),
        "b": _curve("b", LOGARITHMIC, 120, 400),
        "c": _curve("c", SATURATING, 900, 9000),
    }
    items = _items({"a": 6000.0, "b": 3000.0, "c": 1000.0}, low=500.0, high=7000.0)
    total = 10_000.0
    best = optimise_allocation(items, curves, total)
    grid = np.arange(500.0, 7000.0 + 1, 50.0)
    brute = max(
        _outcome(pd.Series({"a": a, "b": b, "c": total - a - b}), curves)
        for a, b in itertools.product(grid, grid) if 500.0 <= total - a - b <= 7000.0
    )
    assert _outcome(best, curves) >= brute - 1e-6  # at least as good as every 50-euro grid point
    assert _outcome(best, curves) == pytest.approx(brute, rel=0.01)
    assert _outcome(best, curves) > _outcome(proportional_allocation(items, total), curves)


def test_keeps_total_and_bounds_when_bounds_bind() -> None:
    curves = {"x": _curve("x", SATURATING, 100, 1000), "y": _curve("y", SATURATING, 200, 2000)}
    items = pd.DataFrame({"key": ["x", "y"], "current": [1500.0, 1500.0],
                          "minimum": [1200.0, 0.0], "maximum": [5000.0, 1500.0]})
    allocation = optimise_allocation(items, curves, 3000.0)
    # unconstrained optimum 1000 / 2000 breaks both bounds: x at its minimum or more, y capped
    assert allocation.sum() == pytest.approx(3000.0, abs=1e-6)
    assert allocation["y"] == pytest.approx(1500.0)
    assert allocation["x"] == pytest.approx(1500.0)
    assert (allocation >= items.set_index("key")["minimum"] - 1e-9).all()
    assert (allocation <= items.set_index("key")["maximum"] + 1e-9).all()


@pytest.mark.parametrize("total", [0.0, 1.0, 777.7, 12_345.6, 30_000.0])
def test_conserves_any_total_exactly(total: float) -> None:
    curves = {k: _curve(k, SATURATING, 100 * (i + 1), 1000 * (i + 2)) for i, k in enumerate("abc")}
    allocation = optimise_allocation(_items({"a": 1.0, "b": 1.0, "c": 1.0}), curves, total)
    assert allocation.sum() == pytest.approx(total, abs=1e-6)
    assert (allocation >= 0).all() and (allocation <= 10_000.0 + 1e-9).all()


def test_items_without_a_curve_keep_todays_spend() -> None:
    curves = {"x": _curve("x", SATURATING, 100, 1000)}
    allocation = optimise_allocation(_items({"x": 100.0, "no_curve": 700.0}), curves, 2000.0)
    assert allocation["no_curve"] == 700.0
    assert allocation["x"] == pytest.approx(1300.0)
    projected = project_allocation(allocation, curves).set_index("key")
    assert np.isnan(projected.loc["no_curve", "projected_outcome"])


def test_impossible_scenarios_raise_clear_messages() -> None:
    curves = {"x": _curve("x", SATURATING, 100, 1000)}
    with pytest.raises(AllocationError, match="minimums add up to 2,000"):
        optimise_allocation(_items({"x": 1.0, "y": 1.0}, low=1000.0), curves, 1500.0)
    with pytest.raises(AllocationError, match="maximums add up to 200"):
        optimise_allocation(_items({"x": 1.0, "y": 1.0}, high=100.0), curves, 1500.0)
    swapped = pd.DataFrame({"key": ["x"], "current": [1.0], "minimum": [10.0], "maximum": [5.0]})
    assert "Minimum above maximum for: x." in scenario_problems(swapped, 7.0)
    assert scenario_problems(_items({"x": 1.0}), float("nan"))


def test_hand_made_scenario_over_the_total_is_named() -> None:
    message = allocation_total_problem(pd.Series({"a": 700.0, "b": 500.0}), 1000.0)
    assert message == "This scenario spends 1,200, 200 more than the total of 1,000."
    assert allocation_total_problem(pd.Series({"a": 600.0, "b": 400.0}), 1000.0) is None


def test_projection_flags_spend_beyond_the_observed_range() -> None:
    curve = ResponseCurve("x", SATURATING, 100, 1000, 0, 0.9, 12, spend_min=200.0, spend_max=2000.0)
    projected = project_allocation(pd.Series({"x": 2500.0}), {"x": curve})
    assert bool(projected["beyond_observed"].iloc[0])
    # 100 * (1 - e^-2.5) = 91.79
    assert projected["projected_outcome"].iloc[0] == pytest.approx(91.79, abs=0.01)


def test_compare_allocations_reports_change_and_attainment() -> None:
    curves = {"x": _curve("x", SATURATING, 100, 1000), "y": _curve("y", SATURATING, 200, 2000)}
    today = pd.Series({"x": 2000.0, "y": 1000.0})
    best = optimise_allocation(_items({"x": 2000.0, "y": 1000.0}), curves, 3000.0)
    table = compare_allocations({"today": today, "optimised": best}, curves, goal=200.0).set_index("scenario")
    # today: 100 (1 - e^-2) + 200 (1 - e^-0.5) = 86.47 + 78.69 = 165.16 -> 82.6% of 200
    assert table.loc["today", "projected_outcome"] == pytest.approx(165.16, abs=0.01)
    assert table.loc["today", "attainment"] == pytest.approx(82.58, abs=0.01)
    # optimised: 100 (1 - e^-1) + 200 (1 - e^-1) = 189.64
    assert table.loc["optimised", "projected_outcome"] == pytest.approx(189.64, abs=0.01)
    assert table.loc["optimised", "outcome_change"] > 0
    assert np.isnan(compare_allocations({"today": today}, curves)["attainment"].iloc[0])
