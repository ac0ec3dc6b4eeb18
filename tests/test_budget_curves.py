"""Response curves: fitted where the history supports it, refused (with a reason) where it does not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.response_curves import (
    LOGARITHMIC,
    SATURATING,
    ResponseCurve,
    curve_points,
    curve_summary,
    fit_response_curve,
    fit_response_curves,
)


def _history(months: int, seed: int = 1, season: float = 0.0, noise: float = 0.03) -> pd.DataFrame:
    """Outcome = (100 + 400 * (1 - exp(-spend / 20,000))) * season * noise, spend varying a lot."""
    rng = np.random.default_rng(seed)
    month = pd.date_range("2023-01-01", periods=months, freq="MS")
    spend = rng.uniform(2_000, 80_000, months)
    seasonal = 1 + season * np.cos(2 * np.pi * (month.month - 1) / 12)
    outcome = (100 + 400 * (1 - np.exp(-spend / 20_000))) * seasonal * rng.lognormal(0, noise, months)
    return pd.DataFrame({"touchpoint_id": "tp", "month": month, "spend": spend, "outcome": outcome})


def test_recovers_a_known_saturating_curve() -> None:
    history = _history(12)
    fit = fit_response_curve("tp", history["spend"].to_numpy(), history["outcome"].to_numpy())
    curve = fit.curve
    assert curve is not None, fit.reason
    assert curve.form == SATURATING
    assert curve.r_squared > 0.9
    assert not curve.seasonal  # 12 months: too few to also fit a season
    # the true curve gives 100 + 400 * (1 - e^-1) = 352.8 at 20,000
    assert float(curve.predict(20_000)) == pytest.approx(352.8, rel=0.05)
    assert curve.spend_min == pytest.approx(history["spend"].min())
    assert curve.spend_max == pytest.approx(history["spend"].max())


def test_separates_season_from_spend_with_enough_history() -> None:
    history = _history(36, seed=3, season=0.25)
    fit = fit_response_curves(history, "touchpoint_id")["tp"]
    curve = fit.curve
    assert curve is not None, fit.reason
    assert curve.seasonal
    assert curve.r_squared > 0.9 and curve.spend_r_squared > 0.8
    # season-neutral prediction stays close to the true curve: 352.8 at 20,000
    assert float(curve.predict(20_000)) == pytest.approx(352.8, rel=0.07)


@pytest.mark.parametrize(
    ("spend", "outcome", "reason"),
    [
        ([1.0, 2, 3, 4, 5], [1.0, 2, 3, 4, 5], "at least 6"),
        ([1000.0] * 8, [5.0, 6, 5, 7, 6, 5, 6, 7], "hardly varied"),
        ([0.0, 100, 200, 300, 400, 500, 600], [0.0] * 7, "zero or constant"),
        ([np.nan, 0.0, -10, 100, 200, 300, 400], [1.0, np.nan, 5, 6, 7, 8, 9], "only 4"),
    ],
)
def test_refuses_short_flat_or_empty_history(spend: list[float], outcome: list[float], reason: str) -> None:
    fit = fit_response_curve("tp", np.array(spend), np.array(outcome))
    assert fit.curve is None
    assert reason in fit.reason


def test_refuses_when_spend_does_not_explain_the_outcome() -> None:
    rng = np.random.default_rng(5)
    fit = fit_response_curve("tp", rng.uniform(1_000, 50_000, 24), rng.uniform(90, 110, 24))
    assert fit.curve is None
    assert "explains too little" in fit.reason


def test_curve_slope_and_inverse_slope_agree() -> None:
    for form in (SATURATING, LOGARITHMIC):
        curve = ResponseCurve("tp", form, a=400.0, b=20_000.0, c=100.0, r_squared=0.9, n_points=12,
                              spend_min=1_000.0, spend_max=60_000.0)
        slope = float(curve.marginal(30_000.0))
        assert curve.spend_at_marginal(slope) == pytest.approx(30_000.0)
        assert curve.spend_at_marginal(1.0) == 0.0  # slope above the curve's start: spend nothing
        assert curve.is_beyond_observed(70_000.0) and not curve.is_beyond_observed(30_000.0)


def test_summary_and_points() -> None:
    history = pd.concat([_history(12), _history(4).assign(touchpoint_id="short")])
    fits = fit_response_curves(history, "touchpoint_id")
    summary = curve_summary(fits).set_index("key")
    assert summary.loc["tp", "status"] == "fitted"
    assert summary.loc["short", "status"] == "refused"
    assert "at least 6" in summary.loc["short", "reason"]
    points = curve_points(fits["tp"].curve, upto=100_000.0, steps=11)  # type: ignore[arg-type]
    assert len(points) == 11 and points["outcome"].is_monotonic_increasing
    assert not points["observed"].iloc[-1]  # 100,000 is beyond the observed spend
