"""Fitting concave response-curve forms to the monthly (spend, outcome) pairs of many keys at once:
the forms, a key's months prepared for fitting (or why they cannot carry a curve), the padded batch
of many keys, the bounds and starts of the parameters, and the batched least-squares fit.

metrics.response_curves fits and judges the curves with these (the method is described there);
metrics.curve_uncertainty refits them on bootstrap resamples.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from metrics._batch_trf import MAX_TRIALS, trf_batch
from metrics.i18n import tr

__all__ = ["BASELINE", "Batch", "CurveForm", "fit_batch", "FORMS", "limits", "LOGARITHMIC", "MAX_B_RATIO",
    "MIN_POINTS", "MIN_SPEND_CV", "Months", "prepare", "Prepared", "Refusal", "SATURATING",
    "SEASONAL_MIN_POINTS", "start_values", "usable"]

MIN_POINTS = 6
MIN_SPEND_CV = 0.05

SEASONAL_MIN_POINTS = 18
#: Largest b (in multiples of mean spend) the fit may use; beyond it the curve is a straight line.
MAX_B_RATIO = 100.0

SATURATING = "saturating"
LOGARITHMIC = "logarithmic"

@dataclass(frozen=True)
class CurveForm:
    """One concave, increasing form, written once: its value, its slope and the inverse of its slope.

    Fitting (one key or many at once), prediction and the reallocation's marginal returns all read
    the form from here. Every function works elementwise on floats and numpy arrays alike.
    """

    #: outcome at spend x: value(x, a, b, c)
    value: Callable[..., np.ndarray]
    #: extra outcome per extra euro at spend x: slope(x, a, b)
    slope: Callable[..., np.ndarray]
    #: the spend at which the slope equals s, for 0 < s < a / b: spend_at_slope(s, a, b)
    spend_at_slope: Callable[..., np.ndarray]


FORMS: dict[str, CurveForm] = {
    SATURATING: CurveForm(
        value=lambda x, a, b, c: c + a * (1.0 - np.exp(-x / b)),
        slope=lambda x, a, b: a / b * np.exp(-x / b),
        spend_at_slope=lambda s, a, b: b * np.log(a / (b * s)),
    ),
    LOGARITHMIC: CurveForm(
        value=lambda x, a, b, c: c + a * np.log1p(x / b),
        slope=lambda x, a, b: a / (b + x),
        spend_at_slope=lambda s, a, b: a / s - b,
    ),
}


def _season_angle(month: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cosine and sine of the month of year (0-11) on the yearly circle, the season's two regressors."""
    angle = 2.0 * np.pi * month / 12.0
    return np.cos(angle), np.sin(angle)


def _season_and_trend(cos: np.ndarray, sin: np.ndarray, t: np.ndarray, u: float, v: float, g: float
                     ) -> np.ndarray:
    """Multiplicative yearly season (one harmonic) and exponential trend; 1 when u = v = g = 0."""
    return (1.0 + u * cos + v * sin) * np.exp(g * t)



#: Months of one key (n,) or of many keys (k, n): spend / mean spend, cosine and sine of the month
#: of year (_season_angle), years before the latest month.
Months = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
BASELINE = "baseline"

def _model_values(kind: str, seasonal: bool, X: Months, params: Sequence[Any]) -> np.ndarray:
    """The model on months X: a curve form with parameters a, b, c (times season and trend with
    u, v, g when ``seasonal``), or the BASELINE c, u, v, g (season and trend alone).

    Parameters are floats for one key (as curve_fit passes them) or columns (k, 1) for many keys
    against months (k, n) (the batch); both evaluate the same expressions.
    """
    x, cos, sin, t = X
    if kind == BASELINE:
        c, u, v, g = params
        return c * _season_and_trend(cos, sin, t, u, v, g)
    value = FORMS[kind].value(x, *params[:3])
    return value * _season_and_trend(cos, sin, t, *params[3:]) if seasonal else value


def _model(kind: str, seasonal: bool) -> Callable[..., np.ndarray]:
    """The model as curve_fit calls it: model(X, *params)."""
    return lambda X, *params: _model_values(kind, seasonal, X, params)


def _least_squares(model: Callable[..., np.ndarray], X: Months, y: np.ndarray,
                   start: list[float], low: list[float], high: list[float]) -> np.ndarray | None:
    """One fit with scipy's curve_fit: for a key the batch did not finish (metrics._batch_trf)."""
    from scipy.optimize import OptimizeWarning, curve_fit  # rarely needed; importing it takes 0.4 s

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)
        try:
            params, _ = curve_fit(model, X, y, p0=start, bounds=(low, high), maxfev=20_000)
        except (RuntimeError, ValueError):
            return None
    return params if np.all(np.isfinite(params)) else None


# --- fitting many keys at once -----------------------------------------------------------------
#
# One curve_fit per key and form costs about 4 ms, nearly all of it solver overhead on 60 points
# (1,447 touchpoints: 15-20 s). The keys are fitted together instead by metrics._batch_trf, the
# method curve_fit uses here carried out on arrays of keys, so the same status, reason, form and
# curve as curve_fit gives (parameters the same up to rounding where the data pin them down; a b
# that many values fit almost equally well may end elsewhere, with the same curve over the observed
# spend). A key the batch cannot finish (scipy would raise, or it needs more than MAX_TRIALS steps)
# is handed to curve_fit itself. The same model functions serve both (_model_values).

_CURVE_LOW, _CURVE_HIGH = [0.0, 1e-3, 0.0], [np.inf, MAX_B_RATIO, np.inf]
_CONTEXT_LOW, _CONTEXT_HIGH = [-0.9, -0.9, -1.0], [0.9, 0.9, 1.0]


def limits(kind: str, seasonal: bool) -> tuple[list[float], list[float]]:
    """Bounds of the parameters of a curve form (a, b, c[, u, v, g]) or of the baseline (c, u, v, g)."""
    if kind == BASELINE:
        return [0.0, *_CONTEXT_LOW], [np.inf, *_CONTEXT_HIGH]
    if seasonal:
        return _CURVE_LOW + _CONTEXT_LOW, _CURVE_HIGH + _CONTEXT_HIGH
    return list(_CURVE_LOW), list(_CURVE_HIGH)


def start_values(kind: str, seasonal: bool, y: np.ndarray) -> list[float]:
    """Where a fit starts on scaled data: no season, no trend; the baseline at the mean outcome."""
    if kind == BASELINE:
        return [float(y.mean()), 0.0, 0.0, 0.0]
    span = max(float(y.max() - y.min()), 1e-6)
    start = [2.0 * span, 1.0, max(float(y.min()) - 0.5 * span, 0.0)]
    return start + [0.0, 0.0, 0.0] if seasonal else start


@dataclass(frozen=True)
class Prepared:
    """The usable months of one key, scaled by their means and ready to fit."""

    key: str
    spend: np.ndarray  # usable monthly spend in EUR
    mean_spend: float
    mean_outcome: float
    X: Months
    y: np.ndarray  # outcome / mean
    seasonal: bool


@dataclass(frozen=True)
class Batch:
    """Scaled months of many keys padded to one width: one row per key, ``real`` marks its months."""

    X: Months
    y: np.ndarray
    real: np.ndarray
    count: np.ndarray  # months per key

    @classmethod
    def of(cls, items: list[Prepared]) -> Batch:
        width = max(len(item.y) for item in items)
        x, cos, sin, t, y = (np.zeros((len(items), width)) for _ in range(5))
        x[:] = 1.0  # padding: any finite spend; it never enters a residual
        real = np.zeros((len(items), width), dtype=bool)
        for row, item in enumerate(items):
            n = len(item.y)
            x[row, :n], cos[row, :n], sin[row, :n], t[row, :n] = item.X
            y[row, :n], real[row, :n] = item.y, True
        return cls((x, cos, sin, t), y, real, real.sum(axis=1))


class _Residuals:
    """Model minus observed on real months of batch ``rows`` at parameters P (len(rows), p); 0 on padding.

    The months of the rows last asked for are kept: the solver asks for the same rows once per
    parameter in a row (the forward-difference Jacobian), and gathering them again each time cost
    about as much as the model."""

    def __init__(self, kind: str, seasonal: bool, batch: Batch) -> None:
        self.kind, self.seasonal, self.batch = kind, seasonal, batch
        self._rows: np.ndarray | None = None
        self._months: tuple[Months, np.ndarray, np.ndarray] | None = None

    def _gathered(self, rows: np.ndarray) -> tuple[Months, np.ndarray, np.ndarray]:
        if self._months is None or rows is not self._rows:
            x, cos, sin, t = self.batch.X
            months = (x[rows], cos[rows], sin[rows], t[rows])
            self._rows, self._months = rows, (months, self.batch.real[rows], self.batch.y[rows])
        return self._months

    def __call__(self, P: np.ndarray, rows: np.ndarray) -> np.ndarray:
        months, real, y = self._gathered(rows)
        with np.errstate(all="ignore"):
            params = [P[:, j:j + 1] for j in range(P.shape[1])]
            value = _model_values(self.kind, self.seasonal, months, params)
        return np.where(real, value - y, 0.0)


def fit_batch(kind: str, seasonal: bool, batch: Batch, items: list[Prepared], max_trials: int = MAX_TRIALS
               ) -> list[tuple[np.ndarray, float] | None]:
    """Per item: the fitted parameters and the sum of squared residuals, or None when the fit fails.

    Items the batch does not finish within ``max_trials`` steps are fitted by curve_fit one by one.
    """
    starts = [start_values(kind, seasonal, item.y) for item in items]
    low, high = (np.array(limit) for limit in limits(kind, seasonal))

    residuals = _Residuals(kind, seasonal, batch)
    m = batch.count.astype("float64")
    params, finished = trf_batch(residuals, np.array(starts), low, high, m, max_trials)
    residual = residuals(params, np.arange(len(items)))
    squares = np.einsum("kn,kn->k", residual, residual)
    model = _model(kind, seasonal)
    out: list[tuple[np.ndarray, float] | None] = []
    for row, item in enumerate(items):
        if finished[row]:
            out.append((params[row], float(squares[row])))
            continue
        found = _least_squares(model, item.X, item.y, starts[row], list(low), list(high))
        out.append(None if found is None else (found, float(np.sum((item.y - model(item.X, *found)) ** 2))))
    return out



def usable(spend: np.ndarray, outcome: np.ndarray, month: np.ndarray) -> np.ndarray:
    return np.isfinite(spend) & np.isfinite(outcome) & (spend >= 0) & (outcome >= 0) & np.isfinite(month)


def prepare(key: str, spend: np.ndarray, outcome: np.ndarray, months: np.ndarray) -> Prepared | Refusal:
    """The usable months of a key scaled for fitting, or the refusal when they cannot carry a curve."""
    ok = usable(spend, outcome, months)
    x_all, y_all, m_all = spend[ok], outcome[ok], months[ok]
    n = len(x_all)
    if n < MIN_POINTS:
        return Refusal(key, tr("only {n} month(s) with both spend and outcome; at least {needed} are needed")
                       .format(n=n, needed=MIN_POINTS), n, x_all)
    mean_spend = float(x_all.mean())
    if mean_spend <= 0 or float(x_all.std()) / mean_spend < MIN_SPEND_CV:
        return Refusal(key, tr("spend hardly varied, so its effect cannot be told apart"), n, x_all)
    mean_outcome = float(y_all.mean())
    if mean_outcome <= 0 or float(y_all.std()) <= 0:
        return Refusal(key, tr("the outcome is zero or constant"), n, x_all)
    t = (m_all - m_all.max()) / 12.0  # years before the latest month: the trend is 1 there
    X = (x_all / mean_spend, *_season_angle(np.mod(m_all, 12.0)), t)
    return Prepared(key, x_all, mean_spend, mean_outcome, X, y_all / mean_outcome, n >= SEASONAL_MIN_POINTS)


@dataclass(frozen=True)
class Refusal:
    """Why a key's months cannot carry a curve: the reason (in the current language), the usable
    months counted and their spend."""

    key: str
    reason: str
    n: int
    spend: np.ndarray
