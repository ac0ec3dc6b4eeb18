"""Response curves: fitted where the history supports it, refused (with a reason) where it does not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import metrics.curve_fitting as cf

# private: tested directly because the batch least squares must agree with scipy key by key
from metrics._batch_trf import trf_batch
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


def _curve_fit_one_key(rows: pd.DataFrame) -> tuple[str, np.ndarray, float, float]:
    """Reference: the fit as it was done before batching, one scipy curve_fit per form and key.

    Returns the better form, its parameters in original units (a, b, c), R² and spend R².
    """
    from scipy.optimize import curve_fit

    month = pd.to_datetime(rows["month"])
    months = (month.dt.year * 12 + month.dt.month - 1).to_numpy(dtype="float64")
    ok = rows["outcome"].notna().to_numpy()
    spend, outcome, months = rows["spend"].to_numpy()[ok], rows["outcome"].to_numpy()[ok], months[ok]
    X = np.array([spend / spend.mean(), np.mod(months, 12.0), (months - months.max()) / 12.0])
    y = outcome / outcome.mean()
    seasonal = len(y) >= 18
    total = float(np.sum((y - y.mean()) ** 2))

    def context(X: np.ndarray, u: float, v: float, g: float) -> np.ndarray:
        angle = 2.0 * np.pi * X[1] / 12.0
        return (1.0 + u * np.cos(angle) + v * np.sin(angle)) * np.exp(g * X[2])

    shapes = {SATURATING: lambda x, b: 1.0 - np.exp(-x / b), LOGARITHMIC: lambda x, b: np.log1p(x / b)}
    span = float(y.max() - y.min())
    results = {}
    for form, shape in shapes.items():
        def model(X: np.ndarray, a: float, b: float, c: float, *uvg: float, shape=shape) -> np.ndarray:
            return (c + a * shape(X[0], b)) * (context(X, *uvg) if uvg else 1.0)
        start = [2.0 * span, 1.0, max(float(y.min()) - 0.5 * span, 0.0)] + [0.0] * 3 * seasonal
        low = [0.0, 1e-3, 0.0] + [-0.9, -0.9, -1.0] * seasonal
        high = [np.inf, 100.0, np.inf] + [0.9, 0.9, 1.0] * seasonal
        params, _ = curve_fit(model, X, y, p0=start, bounds=(low, high), maxfev=20_000)
        results[form] = (params, 1.0 - float(np.sum((y - model(X, *params)) ** 2)) / total)
    form, (params, r2) = max(results.items(), key=lambda item: item[1][1])
    spend_r2 = r2
    if seasonal:
        base, _ = curve_fit(lambda X, c, u, v, g: c * context(X, u, v, g), X, y,
                            p0=[float(y.mean()), 0, 0, 0], maxfev=20_000,
                            bounds=([0.0, -0.9, -0.9, -1.0], [np.inf, 0.9, 0.9, 1.0]))
        left = float(np.sum((y - base[0] * context(X, *base[1:])) ** 2))
        spend_r2 = 1.0 - (1.0 - r2) * total / left
    scale = np.array([outcome.mean(), spend.mean(), outcome.mean()])
    return form, params[:3] * scale, r2, spend_r2


def _mixed_history() -> pd.DataFrame:
    """Keys of different lengths and shapes in one frame: seasonal, short, logarithmic, gappy."""
    rng = np.random.default_rng(11)
    month = pd.date_range("2021-01-01", periods=48, freq="MS")
    frames = [_history(36, seed=3, season=0.25).assign(touchpoint_id="seasonal"),
              _history(12, seed=4).assign(touchpoint_id="short"),
              _history(60, seed=5, season=0.1, noise=0.08).assign(touchpoint_id="long")]
    spend = rng.uniform(1_000, 40_000, 48)
    outcome = (50 + 120 * np.log1p(spend / 5_000)) * rng.lognormal(0, 0.04, 48)
    outcome[[3, 10, 11, 30]] = np.nan  # months without an outcome leave gaps
    frames.append(pd.DataFrame({"touchpoint_id": "logarithmic", "month": month, "spend": spend,
                                "outcome": outcome}))
    return pd.concat(frames, ignore_index=True)


def test_batched_fits_match_one_curve_fit_per_key() -> None:
    history = _mixed_history()
    fits = fit_response_curves(history, "touchpoint_id")
    assert list(fits) == sorted(history["touchpoint_id"].unique())
    for key, rows in history.groupby("touchpoint_id"):
        curve = fits[str(key)].curve
        assert curve is not None, fits[str(key)].reason
        form, params, r2, spend_r2 = _curve_fit_one_key(rows)
        assert curve.form == form
        assert [curve.a, curve.b, curve.c] == pytest.approx(list(params), rel=1e-5, abs=1e-6 * curve.a)
        assert curve.r_squared == pytest.approx(r2, abs=1e-9)
        assert curve.spend_r_squared == pytest.approx(spend_r2, abs=1e-9)
        assert curve.seasonal == (rows["outcome"].notna().sum() >= 18)


def test_one_key_alone_fits_as_in_the_batch() -> None:
    history = _mixed_history()
    together = fit_response_curves(history, "touchpoint_id")
    for key, rows in history.groupby("touchpoint_id"):
        month = pd.to_datetime(rows["month"])
        alone = fit_response_curve(str(key), rows["spend"].to_numpy(), rows["outcome"].to_numpy(),
                                   (month.dt.year * 12 + month.dt.month).to_numpy())
        a, b = alone.curve, together[str(key)].curve
        assert a is not None and b is not None
        assert (a.form, a.n_points, a.seasonal) == (b.form, b.n_points, b.seasonal)
        assert [a.a, a.b, a.c, a.r_squared] == pytest.approx([b.a, b.b, b.c, b.r_squared], rel=1e-6)


def test_keys_the_batch_does_not_finish_are_fitted_by_curve_fit() -> None:
    history = _mixed_history()
    items = []
    for key, rows in history.groupby("touchpoint_id"):
        month = pd.to_datetime(rows["month"])
        prepared = cf.prepare(str(key), rows["spend"].to_numpy(dtype="float64"),
                               rows["outcome"].to_numpy(dtype="float64"),
                               (month.dt.year * 12 + month.dt.month).to_numpy(dtype="float64"))
        assert isinstance(prepared, cf.Prepared)
        if prepared.seasonal:
            items.append(prepared)
    batch = cf.Batch.of(items)
    start = np.array([cf.start_values(SATURATING, True, item.y) for item in items])
    low, high = (np.array(limit) for limit in cf.limits(SATURATING, True))

    residuals = cf._Residuals(SATURATING, True, batch)
    _, finished = trf_batch(residuals, start, low, high, batch.count.astype("float64"), max_trials=2)
    assert not finished.any()  # two steps finish no fit
    handed_over = cf.fit_batch(SATURATING, True, batch, items, max_trials=2)
    batched = cf.fit_batch(SATURATING, True, batch, items)
    for one, other in zip(handed_over, batched, strict=True):
        assert one is not None and other is not None
        assert one[0] == pytest.approx(other[0], rel=1e-5, abs=1e-9)
        assert one[1] == pytest.approx(other[1], rel=1e-9)
