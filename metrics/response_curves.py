"""Response curves: how an outcome responds to spend, with diminishing returns.

Method (README "Budget"): for each touchpoint (or channel), the monthly pairs (actual spend,
outcome) are fitted by least squares (``scipy.optimize.curve_fit``, trust-region with bounds) to
two concave, increasing forms with a non-negative baseline ``c`` (the outcome with no spend, e.g.
organic reach):

- saturating: ``outcome = c + a * (1 - exp(-spend / b))``  (a = most that spend can add, b = the
  spend at which 63% of that is reached);
- logarithmic: ``outcome = c + a * log(1 + spend / b)``.

With SEASONAL_MIN_POINTS months or more, the curve is multiplied by a yearly season (one
harmonic, ``1 + u cos + v sin`` of the month) and a trend (``exp(g * years)``) fitted at the same
time, so a busy December is not mistaken for the effect of December's spend. The curve returned is
for a season-neutral month at the level of the latest month (the trend folded into a and c).

The form with the higher R² is kept. Fit quality is reported as R² of the whole model on the
observed months, and as the spend R² (partial R²: the share of the variation that season and trend
leave unexplained which spend explains), with the number of months and the observed spend range.
No curve is invented: a fit is refused, with a reason, when there are fewer than MIN_POINTS
months, when spend hardly varied (coefficient of variation < MIN_SPEND_CV), when the outcome is
missing or constant, when neither form converges, or when R² < MIN_R_SQUARED or the spend R² <
MIN_SPEND_R_SQUARED. Spend and outcome are scaled by their means before fitting so that euros and
counts of any size fit equally well.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeWarning, curve_fit

MIN_POINTS = 6
MIN_SPEND_CV = 0.05
MIN_R_SQUARED = 0.3
MIN_SPEND_R_SQUARED = 0.1
SEASONAL_MIN_POINTS = 18
#: Largest b (in multiples of mean spend) the fit may use; beyond it the curve is a straight line.
MAX_B_RATIO = 100.0

SATURATING = "saturating"
LOGARITHMIC = "logarithmic"


def _saturating(x: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    return c + a * (1.0 - np.exp(-x / b))


def _logarithmic(x: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    return c + a * np.log1p(x / b)


FORMS: dict[str, Callable[..., np.ndarray]] = {SATURATING: _saturating, LOGARITHMIC: _logarithmic}


@dataclass(frozen=True)
class ResponseCurve:
    """A fitted curve in original units (spend in EUR per month, outcome per month)."""

    key: str
    form: str
    a: float
    b: float
    c: float
    r_squared: float
    n_points: int
    spend_min: float
    spend_max: float
    #: Partial R²: share of what season and trend leave unexplained that spend explains.
    spend_r_squared: float = float("nan")
    #: Whether a yearly season and a trend were fitted alongside (enough months of history).
    seasonal: bool = False

    def predict(self, spend: float | np.ndarray) -> np.ndarray:
        x = np.clip(np.asarray(spend, dtype="float64"), 0.0, None)
        return FORMS[self.form](x, self.a, self.b, self.c)

    def marginal(self, spend: float | np.ndarray) -> np.ndarray:
        """Extra outcome per extra euro at ``spend`` (the curve's slope)."""
        x = np.clip(np.asarray(spend, dtype="float64"), 0.0, None)
        if self.form == SATURATING:
            return self.a / self.b * np.exp(-x / self.b)
        return self.a / (self.b + x)

    def spend_at_marginal(self, slope: float) -> float:
        """The spend at which the slope falls to ``slope`` (0 when it is already below at zero)."""
        if slope <= 0:
            return float("inf")
        if slope >= self.a / self.b:
            return 0.0
        if self.form == SATURATING:
            return float(self.b * np.log(self.a / (self.b * slope)))
        return float(self.a / slope - self.b)

    def is_beyond_observed(self, spend: float) -> bool:
        """True when ``spend`` lies outside the spend range the curve was fitted on."""
        return bool(spend > self.spend_max * 1.0001 or spend < self.spend_min * 0.9999)


@dataclass(frozen=True)
class CurveFit:
    """The outcome of fitting one key: a curve, or the reason why there is none."""

    key: str
    curve: ResponseCurve | None
    reason: str
    n_points: int
    spend_min: float
    spend_max: float


def _r_squared(y: np.ndarray, fitted: np.ndarray) -> float:
    total = float(np.sum((y - y.mean()) ** 2))
    if total <= 0:
        return float("nan")
    return 1.0 - float(np.sum((y - fitted) ** 2)) / total


def _context(month: np.ndarray, t: np.ndarray, u: float, v: float, g: float) -> np.ndarray:
    """Multiplicative yearly season (one harmonic) and exponential trend; 1 when u = v = g = 0."""
    angle = 2.0 * np.pi * month / 12.0
    return (1.0 + u * np.cos(angle) + v * np.sin(angle)) * np.exp(g * t)


def _model(form: str, seasonal: bool) -> Callable[..., np.ndarray]:
    response = FORMS[form]
    if seasonal:
        def with_context(X: tuple[np.ndarray, ...], a: float, b: float, c: float,
                         u: float, v: float, g: float) -> np.ndarray:
            return response(X[0], a, b, c) * _context(X[1], X[2], u, v, g)
        return with_context
    return lambda X, a, b, c: response(X[0], a, b, c)


def _baseline_model(X: tuple[np.ndarray, ...], c: float, u: float, v: float, g: float) -> np.ndarray:
    return c * _context(X[1], X[2], u, v, g)


def _least_squares(model: Callable[..., np.ndarray], X: tuple[np.ndarray, ...], y: np.ndarray,
                   start: list[float], low: list[float], high: list[float]) -> np.ndarray | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)
        try:
            params, _ = curve_fit(model, X, y, p0=start, bounds=(low, high), maxfev=20_000)
        except (RuntimeError, ValueError):
            return None
    return params if np.all(np.isfinite(params)) else None


def _fit_form(form: str, X: tuple[np.ndarray, ...], y: np.ndarray, seasonal: bool
              ) -> tuple[np.ndarray, float] | None:
    """Fit one form on scaled data: (a, b, c[, u, v, g]) and R²; None when it does not converge."""
    span = max(float(y.max() - y.min()), 1e-6)
    start = [2.0 * span, 1.0, max(float(y.min()) - 0.5 * span, 0.0)]
    low, high = [0.0, 1e-3, 0.0], [np.inf, MAX_B_RATIO, np.inf]
    if seasonal:
        start, low, high = start + [0.0, 0.0, 0.0], low + [-0.9, -0.9, -1.0], high + [0.9, 0.9, 1.0]
    model = _model(form, seasonal)
    params = _least_squares(model, X, y, start, low, high)
    if params is None:
        return None
    return params, _r_squared(y, model(X, *params))


def _spend_share(X: tuple[np.ndarray, ...], y: np.ndarray, seasonal: bool, r2: float) -> float:
    """Share of the variation left after season and trend that spend explains (partial R²)."""
    if not seasonal:
        return r2
    params = _least_squares(_baseline_model, X, y, [float(y.mean()), 0.0, 0.0, 0.0],
                            [0.0, -0.9, -0.9, -1.0], [np.inf, 0.9, 0.9, 1.0])
    if params is None:
        return r2
    left = float(np.sum((y - _baseline_model(X, *params)) ** 2))
    total = float(np.sum((y - y.mean()) ** 2))
    if left <= 0 or total <= 0:
        return float("nan")
    return 1.0 - (1.0 - r2) * total / left


def _refuse(key: str, reason: str, n: int, spend: np.ndarray) -> CurveFit:
    low = float(spend.min()) if len(spend) else float("nan")
    high = float(spend.max()) if len(spend) else float("nan")
    return CurveFit(key, None, reason, n, low, high)


def _usable(spend: np.ndarray, outcome: np.ndarray, month: np.ndarray) -> np.ndarray:
    return np.isfinite(spend) & np.isfinite(outcome) & (spend >= 0) & (outcome >= 0) & np.isfinite(month)


def fit_response_curve(
    key: str, spend: np.ndarray, outcome: np.ndarray, months: np.ndarray | None = None,
    min_r_squared: float = MIN_R_SQUARED,
) -> CurveFit:
    """Fit one response curve to monthly (spend, outcome) pairs, or refuse with a reason.

    ``months`` are month numbers since any origin (e.g. year * 12 + month), one per pair; with at
    least SEASONAL_MIN_POINTS of them a yearly season and a trend are fitted alongside, and the
    curve returned is for a season-neutral month at the level of the latest month. Pairs with
    missing or negative spend or outcome are left out (and not counted).
    """
    spend = np.asarray(spend, dtype="float64")
    outcome = np.asarray(outcome, dtype="float64")
    months = np.arange(len(spend), dtype="float64") if months is None else np.asarray(months, "float64")
    ok = _usable(spend, outcome, months)
    x_all, y_all, m_all = spend[ok], outcome[ok], months[ok]
    n = len(x_all)
    if n < MIN_POINTS:
        return _refuse(key, f"only {n} month(s) with both spend and outcome; at least {MIN_POINTS} "
                            "are needed", n, x_all)
    mean_spend = float(x_all.mean())
    if mean_spend <= 0 or float(x_all.std()) / mean_spend < MIN_SPEND_CV:
        return _refuse(key, "spend hardly varied, so its effect cannot be told apart", n, x_all)
    mean_outcome = float(y_all.mean())
    if mean_outcome <= 0 or float(y_all.std()) <= 0:
        return _refuse(key, "the outcome is zero or constant", n, x_all)
    seasonal = n >= SEASONAL_MIN_POINTS
    t = (m_all - m_all.max()) / 12.0  # years before the latest month: the trend is 1 there
    X = (x_all / mean_spend, np.mod(m_all, 12.0), t)
    y = y_all / mean_outcome
    fits = {form: _fit_form(form, X, y, seasonal) for form in FORMS}
    converged = {form: fit for form, fit in fits.items() if fit is not None and np.isfinite(fit[1])}
    if not converged:
        return _refuse(key, "the curve fit did not converge", n, x_all)
    form, (params, r2) = max(converged.items(), key=lambda item: item[1][1])
    spend_r2 = _spend_share(X, y, seasonal, r2)
    if r2 < min_r_squared or not spend_r2 >= MIN_SPEND_R_SQUARED or params[0] <= 0:
        return _refuse(key, f"spend explains too little of the outcome (R² {r2:.2f}, of which spend "
                            f"{max(spend_r2, 0.0):.2f})", n, x_all)
    a, b, c = params[:3]
    curve = ResponseCurve(
        key=key, form=form, a=float(a * mean_outcome), b=float(b * mean_spend), c=float(c * mean_outcome),
        r_squared=float(r2), n_points=n, spend_min=float(x_all.min()), spend_max=float(x_all.max()),
        spend_r_squared=float(spend_r2), seasonal=seasonal,
    )
    return CurveFit(key, curve, "", n, curve.spend_min, curve.spend_max)


def fit_response_curves(
    history: pd.DataFrame, key: str, min_r_squared: float = MIN_R_SQUARED
) -> dict[str, CurveFit]:
    """Fit one curve per ``key`` from a history frame with [key, month, spend, outcome], one row a month.

    Give complete months only, with the outcome per month as observed (see module docstring).
    """
    fits: dict[str, CurveFit] = {}
    for item, rows in history.groupby(key, sort=True):
        month = pd.to_datetime(rows["month"])
        fits[str(item)] = fit_response_curve(
            str(item), rows["spend"].to_numpy(dtype="float64"), rows["outcome"].to_numpy(dtype="float64"),
            (month.dt.year * 12 + month.dt.month - 1).to_numpy(dtype="float64"), min_r_squared,
        )
    return fits


def curve_summary(fits: dict[str, CurveFit]) -> pd.DataFrame:
    """One row per key: status (fitted / refused), reason, form, R², points, observed spend range."""
    rows = []
    for fit in fits.values():
        curve = fit.curve
        rows.append({
            "key": fit.key,
            "status": "fitted" if curve else "refused",
            "reason": fit.reason,
            "form": curve.form if curve else None,
            "r_squared": curve.r_squared if curve else np.nan,
            "spend_r_squared": curve.spend_r_squared if curve else np.nan,
            "n_points": fit.n_points,
            "spend_min": fit.spend_min,
            "spend_max": fit.spend_max,
            "saturation_spend": curve.b if curve else np.nan,
        })
    columns = ["key", "status", "reason", "form", "r_squared", "spend_r_squared", "n_points", "spend_min",
               "spend_max", "saturation_spend"]
    return pd.DataFrame(rows, columns=columns)


def curve_points(curve: ResponseCurve, upto: float, steps: int = 60) -> pd.DataFrame:
    """Points along a curve from 0 to ``upto`` for charts: spend, outcome, observed (in range)."""
    spend = np.linspace(0.0, max(float(upto), curve.spend_max), steps)
    observed = (spend >= curve.spend_min) & (spend <= curve.spend_max)
    return pd.DataFrame({"key": curve.key, "spend": spend, "outcome": curve.predict(spend),
                         "observed": observed})


def response_history(
    spend: pd.DataFrame, outcome: pd.DataFrame, key: str, first_incomplete_month: pd.Timestamp
) -> pd.DataFrame:
    """Monthly (spend, outcome) pairs per ``key`` for fitting: [key, month, spend, outcome].

    ``spend``: [month, key, actual] (budget summed per month); ``outcome``: [period_start, key,
    numerator] (an outcome KPI's numerator summed per month). Months from ``first_incomplete_month``
    on are left out (a half month would look like a collapse). Months without an outcome stay, with
outcome NaN, so that an item with spend but no outcome at all is refused by name, not forgotten.
    """
    spent = spend.groupby(["month", key], as_index=False)["actual"].sum(min_count=1)
    got = outcome.rename(columns={"period_start": "month", "numerator": "outcome"})
    got = got.groupby(["month", key], as_index=False)["outcome"].sum(min_count=1)
    pairs = spent.merge(got, on=["month", key], how="left").rename(columns={"actual": "spend"})
    pairs = pairs[pd.to_datetime(pairs["month"]) < pd.Timestamp(first_incomplete_month)]
    return pairs[[key, "month", "spend", "outcome"]].sort_values([key, "month"]).reset_index(drop=True)
