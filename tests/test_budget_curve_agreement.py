"""The batch fitter (metrics.batch_trf) against scipy's curve_fit, key by key, on many varied keys.

metrics/batch_trf.py carries out scipy's trust-region reflective method (``least_squares``
method "trf" as ``curve_fit`` runs it with bounds) on arrays of keys. Here both fit the same
160 keys, under the scipy that is installed, and must reach the same status, reason, form and
season on every key, and the same curve over the observed spend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics.response_curves import CurveFit, fit_response_curves


def _varied_history(keys: int = 160, seed: int = 2) -> pd.DataFrame:
    """Keys of 4 to 47 months: saturating, logarithmic, straight or no response to spend, with and
    without season and trend, little to much noise, some months without an outcome."""
    rng = np.random.default_rng(seed)
    frames = []
    for number in range(keys):
        n = int(rng.choice([4, 6, 8, 12, 17, 18, 24, 36, 47]))
        month = pd.date_range("2022-01-01", periods=n, freq="MS")
        typical = float(rng.uniform(1e3, 1e5))
        spend = typical * rng.lognormal(0.0, float(rng.choice([0.03, 0.3, 0.3, 0.8])), n)
        shape = rng.choice(["saturating", "logarithmic", "straight", "none"])
        scaled = spend / (typical * rng.uniform(0.2, 3.0))
        response = {"saturating": 1 - np.exp(-scaled), "logarithmic": np.log1p(scaled),
                    "straight": scaled, "none": np.zeros(n)}[shape]
        peak = rng.uniform(0, 12)
        season = 1 + rng.uniform(0.0, 0.4) * np.cos(2 * np.pi * (month.month.to_numpy() - peak) / 12)
        trend = np.exp(rng.normal(0.0, 0.1) * np.arange(n) / 12)
        level = float(rng.uniform(10, 1e4))
        outcome = level * (rng.uniform(0.0, 1.0) + response) * season * trend
        outcome = outcome * rng.lognormal(0.0, float(rng.choice([0.01, 0.05, 0.2])), n)
        outcome[rng.random(n) < 0.05] = np.nan
        frames.append(pd.DataFrame({"key": f"k{number:03d}", "month": month, "spend": spend,
                                    "outcome": outcome}))
    return pd.concat(frames, ignore_index=True)


def _same_reason(one: str, other: str) -> bool:
    # An R² within 1e-11 of zero prints as 0.00 from one solver and -0.00 from the other.
    return one.replace("-0.00", "0.00") == other.replace("-0.00", "0.00")


def _agree(batched: CurveFit, alone: CurveFit) -> None:
    assert batched.curve is None if alone.curve is None else batched.curve is not None, alone.reason
    assert _same_reason(batched.reason, alone.reason)
    assert (batched.n_points, batched.spend_min, batched.spend_max) == (alone.n_points, alone.spend_min,
                                                                         alone.spend_max)
    if alone.curve is None or batched.curve is None:
        return
    b, a = batched.curve, alone.curve
    assert (b.form, b.seasonal) == (a.form, a.seasonal)
    assert b.r_squared == pytest.approx(a.r_squared, abs=1e-9)
    assert b.spend_r_squared == pytest.approx(a.spend_r_squared, abs=1e-9)
    # b can be poorly determined (several b fit almost equally well), the curve on the data is not
    spend = np.linspace(a.spend_min, a.spend_max, 25)
    assert b.predict(spend) == pytest.approx(a.predict(spend), rel=1e-5)


@pytest.mark.slow
def test_batch_agrees_with_curve_fit_on_every_key() -> None:
    history = _varied_history()
    batched = fit_response_curves(history, "key")
    alone = fit_response_curves(history, "key", max_trials=0)  # every key by curve_fit
    assert list(batched) == list(alone)
    statuses = pd.Series(["fitted" if fit.curve else "refused" for fit in alone.values()]).value_counts()
    assert statuses.get("fitted", 0) >= 30 and statuses.get("refused", 0) >= 30  # both sides exercised
    assert {fit.curve.form for fit in alone.values() if fit.curve} == {"saturating", "logarithmic"}
    assert any(fit.curve.seasonal for fit in alone.values() if fit.curve)
    for key in alone:
        _agree(batched[key], alone[key])
