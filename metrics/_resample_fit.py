"""Refitting response curves on bootstrap resamples, all resamples of many keys at once.

A resample of a key's months (pairs bootstrap) is its months with integer weights: how often each
was drawn. Fitting it is weighted least squares on the key's own months, so the 40 resamples of a
key share their months and differ by weights only.

Each resample's fit starts at the full sample's fit of the same form and takes damped Gauss-Newton
(Levenberg-Marquardt) steps with the analytic Jacobian of the form (metrics.response_curves), at
most MAX_STEPS, on arrays of (key, resample) rows: the k-step bootstrap (Andrews 2002,
"Higher-order improvements of a computationally attractive k-step bootstrap for extremum
estimators", Econometrica 70(1)), which starts each resample's optimisation at the original
estimate instead of from scratch. The steps are taken in log b (the ridge along which the
logarithmic form's c and b trade off, c - a log b, is straight there; in b a third of those
resamples were still crawling after 30 steps). A step is taken only when it lowers the resample's
weighted sum of squares; a row stops when a step lowered it, or Gauss-Newton predicts the next
would lower it, by less than TOL of itself, or after MAX_STEPS. Bounds are those of the full fit:
a parameter at a bound that the gradient pushes outward is held there for the step, and every
step is clipped to the bounds (a = 0 is a resample where spend shows no effect).

Private to metrics.curve_uncertainty.
"""

from __future__ import annotations

import numpy as np

#: Most Levenberg-Marquardt steps per resample; rows stop earlier when converged.
MAX_STEPS = 100
#: A step that lowers the weighted sum of squares by less than this share of it ends the row.
TOL = 1e-7
_LAMBDA_START, _LAMBDA_MAX = 1e-3, 1e12

#: Months of many rows (k, n): spend / mean spend, cosine and sine of the month of year, years before
#: the key's latest month.
Months = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _form_and_slopes(form: str, x: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The form's value at x and its derivatives by a and b (by c it is 1)."""
    if form == "saturating":
        decay = np.exp(-x / b)
        return c + a * (1.0 - decay), 1.0 - decay, -a * x * decay / (b * b)
    grown = np.log1p(x / b)
    return c + a * grown, grown, -a * x / (b * (b + x))


def value_and_jacobian(form: str, seasonal: bool, X: Months, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The model (k, n) at parameters P (k, p) and its Jacobian (k, n, p); the same model as
    metrics.curve_fitting._model_values (a form times season and trend when ``seasonal``), with
    log b in place of b: along the ridge a curve fitted to little spread of spend often has (c and
    b trading off, as c - a log b for the logarithmic form) steps in log b go much further."""
    x, cos, sin, t = X
    a, log_b, c = (P[:, j:j + 1] for j in range(3))
    J = np.empty((*x.shape, P.shape[1]))  # each column written in place: no list of arrays to stack
    with np.errstate(all="ignore"):
        b = np.exp(log_b)
        value, J[..., 0], by_b = _form_and_slopes(form, x, a, b, c)
        np.multiply(by_b, b, out=J[..., 1])
        if not seasonal:
            J[..., 2] = 1.0
            return value, J
        u, v, g = (P[:, j:j + 1] for j in range(3, 6))
        season, trend = 1.0 + u * cos + v * sin, np.exp(g * t)
        both = season * trend
        J[..., 0] *= both
        J[..., 1] *= both
        J[..., 2] = both
        np.multiply(value * cos, trend, out=J[..., 3])
        np.multiply(value * sin, trend, out=J[..., 4])
        np.multiply(value * both, t, out=J[..., 5])
        return value * both, J


def refit(form: str, seasonal: bool, X: Months, y: np.ndarray, weights: np.ndarray, start: np.ndarray,
          low: np.ndarray, high: np.ndarray, max_steps: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares from ``start`` (k, p) on rows of months X, outcomes y and weights (k, n)
    (0 on months not drawn and on padding): (parameters (k, p), weighted sum of squares (k,)).

    A row whose start cannot be evaluated keeps it, with an infinite sum of squares."""
    low, high = _log_b(low), _log_b(high)
    with np.errstate(all="ignore"):
        P = np.clip(_log_b(start), low, high)
    cost = np.full(len(P), np.inf)
    rows = _Rows(np.flatnonzero(np.all(np.isfinite(P), axis=1)), form, seasonal, X, y, weights, P)
    eye = np.eye(P.shape[1])
    for _ in range(MAX_STEPS if max_steps is None else max_steps):
        step, settled = _step(rows, low, high, eye)
        rows.live &= ~settled
        step = step[rows.compact(P, cost)]
        if not rows.index.size:
            break
        trial = np.clip(rows.P + step, low, high)
        value, J = value_and_jacobian(form, seasonal, rows.X, trial)
        residual = np.where(rows.drawn, value - rows.y, 0.0)
        trial_cost = np.einsum("kn,kn,kn->k", rows.w, residual, residual)
        better = rows.live & np.isfinite(trial_cost) & (trial_cost < rows.cost)
        gain = np.where(better, rows.cost - trial_cost, 0.0)
        # copied where better, in place (no gathered copies of the rows taken)
        np.copyto(rows.P, trial, where=better[:, None])
        np.copyto(rows.J, J, where=better[:, None, None])
        np.copyto(rows.residual, residual, where=better[:, None])
        np.copyto(rows.cost, trial_cost, where=better)
        rows.damping = np.where(better, np.maximum(rows.damping * 0.3, 1e-12), rows.damping * 10.0)
        rows.live &= ~((better & (gain <= TOL * rows.cost)) | (~better & (rows.damping > _LAMBDA_MAX)))
    rows.live[:] = False
    rows.compact(P, cost)
    P[:, 1] = np.exp(P[:, 1])
    return P, cost


def _log_b(P: np.ndarray) -> np.ndarray:
    """Parameters with b (the second) as its logarithm, as the steps are taken."""
    out = np.array(P, dtype="float64", copy=True)
    with np.errstate(all="ignore"):
        out[..., 1] = np.log(out[..., 1])
    return out


def _step(rows: _Rows, low: np.ndarray, high: np.ndarray, eye: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The damped Gauss-Newton step of every row, and which rows are settled: nothing can move,
    or the step would lower the sum of squares by less than TOL of it (Gauss-Newton's own
    prediction), or it is that small against the parameters."""
    weighted = rows.J * rows.w[:, :, None]
    A = np.matmul(np.swapaxes(weighted, 1, 2), rows.J)
    gradient = np.einsum("knp,kn->kp", weighted, rows.residual)  # half the gradient of the sum
    at_low, at_high = rows.P <= low, rows.P >= high  # noqa: SIM300 (P against its bounds)
    free = ~((at_low & (gradient > 0)) | (at_high & (gradient < 0)))
    gradient = np.where(free, gradient, 0.0)
    diagonal = np.einsum("kpp->kp", A)
    ridge = rows.damping[:, None] * diagonal + 1e-12 * (diagonal.max(axis=1, keepdims=True) + 1.0)
    A = np.where(free[:, :, None] & free[:, None, :], A + ridge[:, :, None] * eye, eye)  # held: no move
    with np.errstate(all="ignore"):
        step = -np.linalg.solve(A, gradient[:, :, None])[:, :, 0]
        predicted = -np.einsum("kp,kp->k", gradient, step)
        settled = (~np.any(free, axis=1) | ~(predicted > TOL * rows.cost)
                   | (_norm(step) <= TOL * (_norm(rows.P) + TOL)))
    return step, settled


def _norm(rows: np.ndarray) -> np.ndarray:
    return np.sqrt(np.einsum("kp,kp->k", rows, rows))


class _Rows:
    """The rows still being fitted, compacted as rows finish (each step then touches only them)."""

    def __init__(self, index: np.ndarray, form: str, seasonal: bool, X: Months, y: np.ndarray,
                 weights: np.ndarray, P: np.ndarray) -> None:
        self.index = index
        self.X = tuple(m[index] for m in X)
        self.y, self.w, self.P = y[index], weights[index], P[index]
        self.drawn = self.w > 0  # the months each row drew (the rest count nothing)
        value, self.J = value_and_jacobian(form, seasonal, self.X, self.P)
        self.residual = np.where(self.drawn, value - self.y, 0.0)
        self.cost = np.einsum("kn,kn,kn->k", self.w, self.residual, self.residual)
        self.damping = np.full(index.size, _LAMBDA_START)
        self.live = np.isfinite(self.cost)  # False: finished, its results no longer change
        self.compact(P, np.full(len(P), np.inf))

    def compact(self, P: np.ndarray, cost: np.ndarray) -> np.ndarray | slice:
        """Once an eighth of the rows (or all) have finished: write their results into P and cost
        (an infinite sum of squares stays infinite) and keep only the rest. Returns which rows
        stayed, to index the caller's arrays of the rows with."""
        done = ~self.live
        finished = np.count_nonzero(done)
        if not finished or finished * 8 < done.size:
            return slice(None)
        P[self.index[done]], cost[self.index[done]] = self.P[done], self.cost[done]
        keep = self.live
        self.index, self.X = self.index[keep], tuple(m[keep] for m in self.X)
        self.y, self.w, self.P, self.J = self.y[keep], self.w[keep], self.P[keep], self.J[keep]
        self.drawn = self.drawn[keep]
        self.residual, self.cost = self.residual[keep], self.cost[keep]
        self.damping, self.live = self.damping[keep], self.live[keep]
        return keep
