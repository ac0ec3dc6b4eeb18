"""Budget suggestions with honest uncertainty: bootstrap ranges, no point promise on weak curves,
journey-level bounds in the optimiser, cost per KPI point and labelled quadrant points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.curve_uncertainty import CurveSamples, bootstrap_curves, change_range, weak_curves
from metrics.journey_allocation import default_journey_bounds, journey_problems, optimise_with_journeys
from metrics.reallocation import AllocationError, optimise_allocation, project_allocation
from metrics.response_curves import LOGARITHMIC, SATURATING, ResponseCurve, fit_response_curves
from metrics.what_if import evaluate_scenario
from ui.budget_charts import quadrant_chart, quadrant_labels


def _curve(key: str, a: float, b: float, spend_r2: float = 0.9) -> ResponseCurve:
    return ResponseCurve(key, SATURATING, a=a, b=b, c=0.0, r_squared=0.9, n_points=24, spend_min=0.0,
                         spend_max=1e9, spend_r_squared=spend_r2)


def _edited(current: dict[str, float], journeys: dict[str, str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"key": list(current), "current": list(current.values()), "minimum": 0.0,
                          "maximum": 10_000.0, "scenario": list(current.values())})
    return frame if journeys is None else frame.assign(journey=frame["key"].map(journeys))


def _history(key: str, a: float, b: float, noise: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    spend = rng.uniform(200, 4000, 36)
    outcome = 50 + a * (1 - np.exp(-spend / b)) + rng.normal(0, noise, 36)
    months = pd.date_range("2023-01-01", periods=36, freq="MS")
    return pd.DataFrame({"touchpoint_id": key, "month": months, "spend": spend, "outcome": outcome.clip(0)})


def test_weak_curves_give_a_range_and_no_point_promise() -> None:
    # spend explains 25 % and 35 % of what season and trend leave: below the 0.5 floor
    curves = {"x": _curve("x", 100, 1000, spend_r2=0.25), "y": _curve("y", 200, 2000, spend_r2=0.35)}
    samples = CurveSamples.of(({"x": _curve("x", 60, 1000), "y": _curve("y", 260, 2000)},
                            {"x": _curve("x", 140, 1000)},  # y showed no spend effect in this resample
                            {"x": _curve("x", 100, 1000), "y": _curve("y", 200, 2000)}))
    result = evaluate_scenario(_edited({"x": 2000.0, "y": 1000.0}), pd.Series({"x": 2000.0, "y": 1000.0}),
                               curves, 3000.0, 100.0, samples=samples, min_spend_r2=0.5)
    assert not result.promise and result.weak == ["x", "y"]
    optimiser = result.compared.set_index("scenario").loc["Optimiser"]
    assert optimiser["change_low"] < optimiser["change_high"]
    # the same curves with strong fits promise a number
    strong = {k: _curve(k, c.a, c.b, spend_r2=0.8) for k, c in curves.items()}
    again = evaluate_scenario(_edited({"x": 2000.0, "y": 1000.0}), pd.Series({"x": 2000.0, "y": 1000.0}),
                              strong, 3000.0, 100.0, samples=samples, min_spend_r2=0.5)
    assert again.promise and again.weak == []


def test_change_range_by_hand() -> None:
    # from 0 to 1000 on a = 100, b = 1000: 100 (1 - e^-1) = 63.2 per resample with the curve, 0 without
    samples = CurveSamples.of(tuple({"x": _curve("x", 100, 1000)} if i % 2 else {} for i in range(10)))
    low, high = change_range(pd.Series({"x": 1000.0}), pd.Series({"x": 0.0}), samples)
    assert low == pytest.approx(0.0) and high == pytest.approx(63.21, abs=0.01)
    assert np.isnan(change_range(pd.Series({"x": 1.0}), pd.Series({"x": 0.0}), CurveSamples.none())[0])
    assert weak_curves({"x": _curve("x", 1, 1, spend_r2=float("nan"))}, ["x", "z"], 0.5) == ["x"]


def test_bootstrap_range_is_narrow_for_clean_data_and_wide_for_noisy_data() -> None:
    widths = {}
    for noise in (1.0, 25.0):
        history = _history("tp", 300.0, 1500.0, noise, seed=7)
        fits = fit_response_curves(history, "touchpoint_id")
        curve = fits["tp"].curve
        assert curve is not None
        samples = bootstrap_curves(history, "touchpoint_id", ["tp"], replicates=30, seed=1)
        assert samples.count == 30
        low, high = change_range(pd.Series({"tp": 3000.0}), pd.Series({"tp": 1000.0}), samples)
        point = float(curve.predict(3000.0) - curve.predict(1000.0))
        assert low <= point <= high
        widths[noise] = high - low
    assert widths[25.0] > 3 * widths[1.0]


def test_journey_bounds_hold_and_a_locked_journey_keeps_its_spend() -> None:
    curves = {"x": _curve("x", 100, 1000), "y": _curve("y", 200, 2000), "z": _curve("z", 400, 1000)}
    journeys = {"x": "buy", "y": "buy", "z": "move"}
    items = _edited({"x": 1000.0, "y": 1000.0, "z": 1000.0}, journeys)
    free = optimise_allocation(items, curves, 3000.0)
    bounds = default_journey_bounds(items)
    assert optimise_with_journeys(items, curves, 3000.0, bounds).to_numpy() == pytest.approx(free.to_numpy(),
                                                                                             rel=1e-3)
    assert free["z"] > 1000.0  # unconstrained, the steep z takes money from buy
    locked = bounds.assign(minimum=np.where(bounds["journey"] == "move", 1000.0, bounds["minimum"]),
                           maximum=np.where(bounds["journey"] == "move", 1000.0, bounds["maximum"]))
    held = optimise_with_journeys(items, curves, 3000.0, locked)
    assert held["z"] == pytest.approx(1000.0) and held.sum() == pytest.approx(3000.0)
    # inside buy the two curves share one marginal return: 100/1000 e^(-x/1000) = 200/2000 e^(-y/2000)
    # -> y = 2x, x + y = 2000 -> x = 666.7, y = 1333.3
    assert held["x"] == pytest.approx(666.7, rel=0.01) and held["y"] == pytest.approx(1333.3, rel=0.01)
    capped = bounds.assign(maximum=np.where(bounds["journey"] == "move", 1500.0, bounds["maximum"]))
    within = optimise_with_journeys(items, curves, 3000.0, capped)
    assert within["z"] == pytest.approx(1500.0, rel=1e-3)
    best = float(project_allocation(within, curves)["projected_outcome"].sum())
    for z in np.linspace(0, 1500, 16):  # no split within the bounds beats it
        for x in np.linspace(0, 3000 - z, 16):
            trial = pd.Series({"x": x, "y": 3000 - z - x, "z": z})
            assert float(project_allocation(trial, curves)["projected_outcome"].sum()) <= best + 1e-6


def test_impossible_journey_bounds_are_explained() -> None:
    items = _edited({"x": 1000.0, "z": 1000.0}, {"x": "buy", "z": "move"})
    bounds = pd.DataFrame({"journey": ["buy", "move"], "minimum": [2500.0, 1000.0],
                           "maximum": [3000.0, 900.0]})
    problems = journey_problems(items, bounds, 2000.0)
    assert any("above its maximum" in p and "move" in p for p in problems)
    assert any("minimums add up" in p for p in problems)
    with pytest.raises(AllocationError):
        optimise_with_journeys(items, {"x": _curve("x", 1, 1)}, 2000.0, bounds)


def test_quadrant_points_are_labelled_without_overlap() -> None:
    frame = pd.DataFrame({"name": ["Web shop", "Hotline", "Near hotline", "Store"],
                          "attainment": [120.0, 80.0, 80.2, 95.0], "cost_per_outcome": [2.0, 9.0, 9.05, 4.0],
                          "quadrant": ["fund more", "cut back", "cut back", "fix"],
                          "actual": [900.0, 500.0, 100.0, 300.0]})
    keep = quadrant_labels(frame)
    assert keep.tolist() == [True, True, False, True]  # the small spender next to Hotline keeps a tooltip
    spec = quadrant_chart(frame, 5.0, "conversions").to_dict()
    texts = [layer for layer in spec["layer"] if layer["mark"].get("type") == "text"]
    assert texts and texts[0]["encoding"]["text"]["field"] == "label"


def _change_range_curve_by_curve(allocation: pd.Series, base: pd.Series,
                                 replicates: list[dict[str, ResponseCurve]]) -> tuple[float, float]:
    """The range as it was computed before the samples were arrays: one curve at a time."""
    spend = allocation.fillna(0.0)
    before = base.reindex(spend.index).fillna(0.0)
    changes = []
    for curves in replicates:
        total = 0.0
        for item, value in spend.items():
            curve = curves.get(str(item))
            if curve is not None and value != before[item]:
                total += float(curve.predict(value)) - float(curve.predict(before[item]))
        changes.append(total)
    low, high = np.percentile(changes, (10.0, 90.0))
    return float(low), float(high)


def test_samples_as_arrays_give_the_ranges_of_one_curve_at_a_time() -> None:
    rng = np.random.default_rng(3)
    keys = [f"tp{i}" for i in range(30)]
    replicates = [{k: ResponseCurve(k, str(rng.choice([SATURATING, LOGARITHMIC])),
                                    a=float(rng.uniform(1, 500)), b=float(rng.uniform(100, 5000)),
                                    c=float(rng.uniform(0, 50)), r_squared=0.5, n_points=24, spend_min=0.0,
                                    spend_max=1e6)
                   for k in keys if rng.random() > 0.2}  # a key missing from a resample: no spend effect
                  for _ in range(40)]
    samples = CurveSamples.of(replicates)
    base = pd.Series(rng.uniform(0, 4000, 31), index=[*keys, "no_history"])
    for _ in range(5):
        allocation = base * rng.uniform(0.5, 1.5, len(base))
        allocation.iloc[::4] = base.iloc[::4]  # some items keep today's spend
        allocation.iloc[1] = -10.0  # spend below zero projects as zero
        assert change_range(allocation, base, samples) == pytest.approx(
            _change_range_curve_by_curve(allocation, base, replicates), rel=1e-12, abs=1e-9)
