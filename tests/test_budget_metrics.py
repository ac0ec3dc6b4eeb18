"""metrics/budget.py on hand-sized frames; the arithmetic is in the comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from metrics.budget import (
    UNASSIGNED_STAGE,
    Quadrant,
    add_quarter,
    attach_touchpoint_dimensions,
    budget_problems,
    classify_quadrant,
    cost_per_kpi_point,
    cost_per_next_stage_customer,
    cost_per_outcome,
    efficiency_ranking,
    moment_of_truth_shares,
    plan_against_actual,
    target_attainment,
)


def _budget() -> pd.DataFrame:
    return pd.DataFrame({
        "month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-04-01", "2026-01-01", "2026-03-01"]),
        "journey_id": ["buy", "buy", "buy", "move", "move"],
        "touchpoint_id": ["tp_a", "tp_a", "tp_b", "tp_c", None],
        "channel": ["web", "web", "store", "email", "brand"],
        "planned": [100.0, 100.0, 200.0, 50.0, 0.0],
        "actual": [120.0, 90.0, 150.0, 50.0, 30.0],
    })


def _touchpoints() -> pd.DataFrame:
    return pd.DataFrame({
        "touchpoint_id": ["tp_a", "tp_b", "tp_c"],
        "stage_id": ["buy.s1", "buy.s2", "move.s1"],
        "name": ["Web shop", "Store", "Mailing"],
        "moment_of_truth": [True, False, True],
    })


def test_plan_against_actual_by_journey_and_quarter() -> None:
    frame = plan_against_actual(add_quarter(_budget()), ["journey_id", "quarter"])
    rows = {(r.journey_id, r.quarter): r for r in frame.itertuples()}
    # buy Q1: planned 100 + 100 = 200, actual 120 + 90 = 210, variance +10 = +5%
    buy_q1 = rows[("buy", "2026-Q1")]
    assert (buy_q1.planned, buy_q1.actual, buy_q1.variance) == (200.0, 210.0, 10.0)
    assert buy_q1.variance_pct == pytest.approx(5.0)
    # buy Q2: planned 200, actual 150: variance -50 = -25%
    assert rows[("buy", "2026-Q2")].variance_pct == pytest.approx(-25.0)
    # move Q1: planned 50 + 0 = 50, actual 50 + 30 = 80: +60%
    assert rows[("move", "2026-Q1")].variance_pct == pytest.approx(60.0)


def test_variance_percent_is_nan_without_a_plan() -> None:
    frame = plan_against_actual(_budget(), ["channel"]).set_index("channel")
    # brand: planned 0, actual 30 -> variance 30, no percentage (no division by zero)
    assert frame.loc["brand", "variance"] == 30.0
    assert math.isnan(frame.loc["brand", "variance_pct"])


def test_plan_against_actual_keeps_missing_as_missing() -> None:
    budget = _budget().assign(actual=[None, None, 150.0, 50.0, 30.0])
    frame = plan_against_actual(budget, ["touchpoint_id"]).set_index("touchpoint_id")
    assert math.isnan(frame.loc["tp_a", "actual"])
    assert math.isnan(frame.loc["tp_a", "variance_pct"])


def test_attach_dimensions_puts_journey_level_budget_in_its_own_stage() -> None:
    frame = attach_touchpoint_dimensions(_budget(), _touchpoints())
    assert frame["stage_id"].tolist() == ["buy.s1", "buy.s1", "buy.s2", "move.s1", UNASSIGNED_STAGE]
    assert frame["moment_of_truth"].tolist() == [True, True, False, True, False]
    by_stage = plan_against_actual(frame, ["stage_id"]).set_index("stage_id")
    assert by_stage.loc["buy.s1", "actual"] == 210.0


def test_budget_problems_name_negative_and_missing_values() -> None:
    budget = _budget().assign(planned=[100.0, -5.0, 200.0, None, 0.0])
    problems = budget_problems(budget)
    assert any("negative planned" in p for p in problems)
    assert any("no planned" in p for p in problems)
    assert budget_problems(budget.iloc[0:0])[0].startswith("No budget rows")
    assert any("No actual spend" in p for p in budget_problems(_budget().assign(actual=0.0)))


def test_cost_per_outcome_and_zero_denominators() -> None:
    spend = pd.Series([1000.0, 500.0, 300.0, 200.0, None])
    outcome = pd.Series([50.0, 0.0, None, -4.0, 10.0])
    # 1000 / 50 = 20; zero, missing or negative outcome and missing spend -> NaN, never inf or 0
    result = cost_per_outcome(spend, outcome)
    assert result.iloc[0] == 20.0
    assert result.iloc[1:].isna().all()


def test_efficiency_ranking_keeps_touchpoints_without_outcomes_last() -> None:
    spend = pd.DataFrame({"touchpoint_id": ["a", "b", "c"], "actual": [1000.0, 600.0, 400.0]})
    outcomes = pd.DataFrame({"touchpoint_id": ["a", "b"], "outcome": [100.0, 20.0]})
    ranking = efficiency_ranking(spend, outcomes, "touchpoint_id")
    # a: 1000 / 100 = 10 per conversion (rank 1); b: 600 / 20 = 30 (rank 2); c: no outcomes
    assert ranking["touchpoint_id"].tolist() == ["a", "b", "c"]
    assert ranking["cost_per_outcome"].iloc[:2].tolist() == [10.0, 30.0]
    assert ranking["rank"].iloc[:2].tolist() == [1.0, 2.0]
    assert math.isnan(ranking["cost_per_outcome"].iloc[2])


def test_cost_per_customer_reaching_the_next_stage() -> None:
    stages = pd.DataFrame({
        "stage_id": ["j.aware", "j.consider", "j.buy"], "journey_id": ["j"] * 3, "position": [1, 2, 3],
    })
    funnel = pd.DataFrame({
        "journey_id": ["j"] * 3, "stage_id": ["j.aware", "j.consider", "j.buy"],
        "customers": [10_000.0, 2_000.0, 0.0],
    })
    spend = pd.DataFrame({"journey_id": ["j", "j", "j"], "stage_id": ["j.aware", "j.consider", "j.buy"],
                          "actual": [50_000.0, 8_000.0, 3_000.0]})
    frame = cost_per_next_stage_customer(spend, funnel, stages).set_index("stage_id")
    # awareness 50,000 / 2,000 customers reaching consideration = 25
    assert frame.loc["j.aware", "cost_per_next_stage_customer"] == 25.0
    # consideration 8,000 / 0 customers reaching purchase -> NaN; last stage has no next stage -> NaN
    assert math.isnan(frame.loc["j.consider", "cost_per_next_stage_customer"])
    assert math.isnan(frame.loc["j.buy", "cost_per_next_stage_customer"])
    assert frame.loc["j.consider", "next_stage_id"] == "j.buy"


def test_cost_per_kpi_point() -> None:
    # 12,000 EUR for an NPS of 30 = 400 per point; NPS -5 or 0 -> NaN
    result = cost_per_kpi_point(pd.Series([12_000.0, 12_000.0, 500.0]), pd.Series([30.0, -5.0, 0.0]))
    assert result.iloc[0] == 400.0
    assert result.iloc[1:].isna().all()


def test_moment_of_truth_spend_share_against_impact_share() -> None:
    frame = pd.DataFrame({
        "moment_of_truth": [True, False, False],
        "actual": [300.0, 500.0, 200.0],
        "impact": [60.0, 30.0, 10.0],
    }).set_index(pd.Index(["a", "b", "c"]))
    shares = moment_of_truth_shares(frame).set_index("group")
    # spend 300 of 1000 = 30% buys 60 of 100 conversions = 60%: gap +30 points
    mot = shares.loc["Moments of truth"]
    assert (mot.spend_share, mot.impact_share, mot.share_gap) == pytest.approx((30.0, 60.0, 30.0))
    assert shares.loc["Other touchpoints", "spend_share"] == pytest.approx(70.0)


def test_moment_of_truth_shares_without_spend_are_nan() -> None:
    frame = pd.DataFrame({"moment_of_truth": [True, False], "actual": [0.0, 0.0], "impact": [1.0, 1.0]})
    shares = moment_of_truth_shares(frame)
    assert shares["spend_share"].isna().all()
    assert shares["impact_share"].tolist() == [50.0, 50.0]


def test_target_attainment_respects_direction() -> None:
    value = pd.Series([22.0, 90.0, 4.0, None])
    target = pd.Series([20.0, 120.0, 0.0, 1.0])
    direction = pd.Series(["higher_is_better", "lower_is_better", "higher_is_better", "higher_is_better"])
    result = target_attainment(value, target, direction)
    # 22 / 20 = 110%; response time 90 s against 120 s target: 120 / 90 = 133.3%; target 0 -> NaN
    assert result.iloc[0] == pytest.approx(110.0)
    assert result.iloc[1] == pytest.approx(133.333, rel=1e-4)
    assert result.iloc[2:].isna().all()


def test_quadrants() -> None:
    frame = pd.DataFrame({
        "touchpoint_id": ["a", "b", "c", "d", "e"],
        "attainment": [110.0, 105.0, 80.0, 70.0, None],
        "cost_per_outcome": [5.0, 50.0, 8.0, 40.0, 10.0],
    })
    # median cost of a..e = median(5, 50, 8, 40, 10) = 10
    result = classify_quadrant(frame)
    assert result["cost_threshold"].iloc[0] == 10.0
    assert result["quadrant"].tolist() == [
        Quadrant.FUND_MORE, Quadrant.KEEP, Quadrant.FIX, Quadrant.CUT_BACK, Quadrant.NO_DATA,
    ]
    assert frame.columns.tolist() == ["touchpoint_id", "attainment", "cost_per_outcome"]  # not mutated
