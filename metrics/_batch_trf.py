"""scipy's trust-region reflective least squares (``least_squares(method="trf")`` with bounds, as
``curve_fit`` runs it) on many small problems at once, in numpy.

Fitting one response curve per touchpoint with ``curve_fit`` costs about 4 ms of solver overhead
per call, 13 s for the 10 M-row demo's 2,600 fits. Here every problem takes the steps scipy takes
(same start handling, Coleman-Li scaling, trust radius and Levenberg-Marquardt parameter updates,
reflective step selection, stopping rules, forward-difference Jacobian), on arrays with one row
per problem; each problem follows its own path and stops on its own. Problems it cannot finish
are reported so that the caller fits them with scipy itself.

The code follows scipy 1.17's ``optimize/_lsq/trf.py`` and ``common.py``; from 1.13 to 1.17
these differ only by the ``callback`` hook added in 1.16. tests/test_budget_curves.py and
tests/test_budget_curve_agreement.py compare the results with ``curve_fit`` key by key under the
scipy installed, and the latter records which releases passed; requirements.txt admits those only
(a new release is tried with ``python -m tests.scipy_versions``). scipy's public API has no way to
run many small problems at once, and one ``least_squares`` per key (what ``curve_fit`` does) is
what this replaces: on 4,400 demo keys, 5 s here against 2 minutes one by one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: residuals(P, rows) -> (len(rows), n) residuals of the problems ``rows`` at parameters P.
Residuals = Callable[[np.ndarray, np.ndarray], np.ndarray]

EPS = float(np.finfo(float).eps)
TOL = 1e-8  # least_squares' default ftol, xtol and gtol
MAX_TRIALS = 1_000


def forward_jacobian(residuals: Residuals, P: np.ndarray, f0: np.ndarray, rows: np.ndarray,
                     low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Forward differences (k, months, p) as scipy's approx_derivative takes them within bounds."""
    h = EPS**0.5 * np.where(P >= 0, 1.0, -1.0) * np.maximum(1.0, np.abs(P))
    below, above = P - low, high - P
    fitting = np.abs(h) <= np.maximum(below, above)
    outside = ((P + h) < low) | ((P + h) > high)
    h = np.where(outside & fitting, -h, h)
    h = np.where(~fitting, np.where(above >= below, above, -below), h)
    jac = np.empty((*f0.shape, P.shape[1]))
    for j in range(P.shape[1]):
        moved = P.copy()
        moved[:, j] = P[:, j] + h[:, j]
        dx = (P[:, j] + h[:, j]) - P[:, j]
        jac[..., j] = (residuals(moved, rows) - f0) / dx[:, None]
    return jac


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ki,ki->k", a, b)


def _norm(a: np.ndarray) -> np.ndarray:
    return np.sqrt(_dot(a, a))


def _scaling(
    x: np.ndarray, g: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Coleman-Li scaling vector v and its derivative dv (scipy's CL_scaling_vector)."""
    up = (g < 0) & np.isfinite(high)
    down = (g > 0) & np.isfinite(low)
    v = np.where(down, x - low, np.where(up, high - x, 1.0))
    dv = np.where(down, 1.0, np.where(up, -1.0, 0.0))
    return v, dv


def _to_bound(
    x: np.ndarray, s: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Smallest step along s to a bound, and which parameters hit it (scipy's step_size_to_bound)."""
    with np.errstate(all="ignore"):
        steps = np.where(s != 0, np.maximum((low - x) / s, (high - x) / s), np.inf)
    least = steps.min(axis=1)
    return least, (steps == least[:, None]) * np.sign(s)


def _quadratic(J: np.ndarray, g: np.ndarray, s: np.ndarray, diag: np.ndarray) -> np.ndarray:
    """0.5 s'(J'J + diag)s + g's (scipy's evaluate_quadratic)."""
    Js = np.einsum("knp,kp->kn", J, s)
    return 0.5 * (_dot(Js, Js) + _dot(s * diag, s)) + _dot(s, g)


def _quadratic_1d(J: np.ndarray, g: np.ndarray, s: np.ndarray, diag: np.ndarray, s0: np.ndarray | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients of the quadratic along s0 + t s (scipy's build_quadratic_1d)."""
    v = np.einsum("knp,kp->kn", J, s)
    a = 0.5 * (_dot(v, v) + _dot(s * diag, s))
    b = _dot(g, s)
    if s0 is None:
        return a, b, np.zeros_like(a)
    u = np.einsum("knp,kp->kn", J, s0)
    b = b + _dot(u, v)
    c = 0.5 * _dot(u, u) + _dot(g, s0)
    return a, b + _dot(s0 * diag, s), c + 0.5 * _dot(s0 * diag, s0)


def _minimise_1d(a: np.ndarray, b: np.ndarray, low: np.ndarray, high: np.ndarray, c: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Minimum of a t² + b t + c on [low, high] (scipy's minimize_quadratic_1d)."""
    with np.errstate(all="ignore"):
        turn = -0.5 * b / a
        t = np.stack([low, high, turn], axis=1)
        y = t * (a[:, None] * t + b[:, None]) + c[:, None]
    y[:, 2] = np.where((a != 0) & (low < turn) & (turn < high), y[:, 2], np.inf)
    pick = np.argmin(y, axis=1)[:, None]
    return np.take_along_axis(t, pick, 1)[:, 0], np.take_along_axis(y, pick, 1)[:, 0]


def _trust_region_step(m: np.ndarray, uf: np.ndarray, s: np.ndarray, V: np.ndarray, delta: np.ndarray,
                       alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Step within radius delta and the Levenberg-Marquardt parameter (scipy's solve_lsq_trust_region)."""
    n = s.shape[1]
    with np.errstate(all="ignore"):
        suf = s * uf
        full_rank = (m >= n) & (s[:, -1] > EPS * m * s[:, 0])
        newton = -np.einsum("kij,kj->ki", V, uf / s)
        inside = full_rank & (_norm(newton) <= delta)

        def phi(alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            denom = s**2 + alpha[:, None]
            p_norm = _norm(suf / denom)
            return p_norm - delta, -np.sum(suf**2 / denom**3, axis=1) / p_norm

        upper = _norm(suf) / delta
        value, slope = phi(np.zeros_like(delta))
        lower = np.where(full_rank, -value / slope, 0.0)
        alpha = np.where(~full_rank & (alpha == 0), np.maximum(0.001 * upper, (lower * upper) ** 0.5), alpha)
        going = ~inside
        for _ in range(10):
            reset = going & ((alpha < lower) | (alpha > upper))
            alpha = np.where(reset, np.maximum(0.001 * upper, (lower * upper) ** 0.5), alpha)
            value, slope = phi(alpha)
            upper = np.where(going & (value < 0), alpha, upper)
            ratio = value / slope
            lower = np.where(going, np.maximum(lower, alpha - ratio), lower)
            alpha = np.where(going, alpha - (value + delta) * ratio / delta, alpha)
            going &= ~(np.abs(value) < 0.01 * delta)
        p = -np.einsum("kij,kj->ki", V, suf / (s**2 + alpha[:, None]))
        p *= (delta / _norm(p))[:, None]
    return np.where(inside[:, None], newton, p), np.where(inside, 0.0, alpha)


def _select_step(x: np.ndarray, J_h: np.ndarray, diag_h: np.ndarray, g_h: np.ndarray, p_h: np.ndarray,
                 d: np.ndarray, delta: np.ndarray, low: np.ndarray, high: np.ndarray, theta: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Step, scaled step, predicted reduction, and where scipy would raise (scipy's select_step):
    the trust-region step when it stays within bounds, else the best of it cut short of the bound,
    its reflection off the bound and the scaled gradient step."""
    with np.errstate(all="ignore"):
        full, full_h = d * p_h, p_h
        inside = np.all((x + full >= low) & (x + full <= high), axis=1)
        full_value = _quadratic(J_h, g_h, full_h, diag_h)
        p = full
        p_stride, hits = _to_bound(x, p, low, high)
        r_h = np.where(hits != 0, -p_h, p_h)
        r = d * r_h
        p, p_h = p * p_stride[:, None], p_h * p_stride[:, None]
        # where the reflected direction leaves the trust region (scipy's intersect_trust_region)
        a, b, c = _dot(r_h, r_h), _dot(p_h, r_h), _dot(p_h, p_h) - delta**2
        raises = ~inside & ((a == 0) | (c > 0))
        root = np.sqrt(b * b - a * c)
        q = -(b + np.copysign(root, b))
        t1, t2 = q / a, c / q
        to_tr = np.where(t1 < t2, t2, t1)
        to_bound, _ = _to_bound(x + p, r, low, high)
        r_stride = np.minimum(to_bound, to_tr)
        positive = r_stride > 0
        r_low = np.where(positive, (1 - theta) * p_stride / r_stride, 0.0)
        r_high = np.where(positive, np.where(r_stride == to_bound, theta * to_bound, to_tr), -1.0)
        qa, qb, qc = _quadratic_1d(J_h, g_h, r_h, diag_h, s0=p_h)
        r_stride, r_value = _minimise_1d(qa, qb, r_low, r_high, qc)
        r_value = np.where(r_low <= r_high, r_value, np.inf)
        r_h = r_h * r_stride[:, None] + p_h
        r = r_h * d
        p, p_h = p * theta[:, None], p_h * theta[:, None]
        p_value = _quadratic(J_h, g_h, p_h, diag_h)
        ag_h = -g_h
        ag = d * ag_h
        to_tr = delta / _norm(ag_h)
        to_bound, _ = _to_bound(x, ag, low, high)
        ag_stride = np.where(to_bound < to_tr, theta * to_bound, to_tr)
        qa, qb, qc = _quadratic_1d(J_h, g_h, ag_h, diag_h)
        ag_stride, ag_value = _minimise_1d(qa, qb, np.zeros_like(qa), ag_stride, qc)
        ag_h, ag = ag_h * ag_stride[:, None], ag * ag_stride[:, None]
    take_p = (p_value < r_value) & (p_value < ag_value)
    take_r = ~take_p & (r_value < p_value) & (r_value < ag_value)
    keep, best_p, best_r = inside[:, None], take_p[:, None], take_r[:, None]
    step = np.where(keep, full, np.where(best_p, p, np.where(best_r, r, ag)))
    step_h = np.where(keep, full_h, np.where(best_p, p_h, np.where(best_r, r_h, ag_h)))
    value = np.where(inside, full_value, np.where(take_p, p_value, np.where(take_r, r_value, ag_value)))
    return step, step_h, -value, raises


def _feasible(x: np.ndarray, low: np.ndarray, high: np.ndarray, rstep: float) -> np.ndarray:
    """x moved strictly inside the bounds (scipy's make_strictly_feasible)."""
    if rstep == 0:
        at_low, at_high = x <= low, x >= high
        moved = np.where(at_low, np.nextafter(low, high), np.where(at_high, np.nextafter(high, low), x))
    else:
        below, above = x - low, high - x
        at_low = np.isfinite(low) & (below <= np.minimum(above, rstep * np.maximum(1, np.abs(low))))
        at_high = np.isfinite(high) & (above <= np.minimum(below, rstep * np.maximum(1, np.abs(high))))
        with np.errstate(invalid="ignore"):  # inf - inf where the bound is infinite (never used)
            moved = np.where(at_low, low + rstep * np.maximum(1, np.abs(low)), x)
            moved = np.where(at_high, high - rstep * np.maximum(1, np.abs(high)), moved)
    tight = (moved < low) | (moved > high)
    return np.where(tight, 0.5 * (low + high), moved)


def trf_batch(residuals: Residuals, start: np.ndarray, low: np.ndarray, high: np.ndarray, m: np.ndarray,
              max_trials: int = MAX_TRIALS) -> tuple[np.ndarray, np.ndarray]:
    """scipy's trf_bounds on many problems at once: (parameters (k, p), finished (k,)).

    Row k of ``start`` starts problem k; ``residuals(P, rows)`` gives the residuals (len(rows), n)
    of those problems at parameters P (0 where a problem has fewer than n); ``m`` is each problem's
    number of residuals; ``low`` and ``high`` bound every parameter.

    Each row follows its own path (radius, Levenberg-Marquardt parameter, retries after a refused
    step); rows leave the batch as they converge. Rows not finished (scipy would raise, or more
    than ``max_trials`` steps) are marked False for the caller to fit one by one.
    """
    count, size = start.shape
    every = np.arange(count)
    x = _feasible(start, low, high, 1e-10)
    f = residuals(x, every)
    J = forward_jacobian(residuals, x, f, every, low, high)
    cost = 0.5 * _dot(f, f)
    g = np.einsum("knp,kn->kp", J, f)
    v, _ = _scaling(x, g, low, high)
    delta = _norm(x / v**0.5)
    delta[delta == 0] = 1.0
    alpha = np.zeros(count)
    state = np.zeros(count, dtype=np.int8)  # 0 running, 1 converged, 2 for scipy
    state[~np.all(np.isfinite(f), axis=1)] = 2  # scipy refuses a start it cannot evaluate
    fresh = np.ones(count, dtype=bool)  # at the start of an outer iteration (after a taken step)
    d, diag_h, g_h, uf, s = (np.zeros((count, size)) for _ in range(5))
    V, J_h, theta = np.zeros((count, size, size)), np.zeros_like(J), np.zeros(count)
    eye = np.eye(size)
    for _ in range(max_trials):
        new = np.flatnonzero(fresh & (state == 0))
        if new.size:
            fresh[new] = False
            v, dv = _scaling(x[new], g[new], low, high)
            g_norm = np.max(np.abs(g[new] * v), axis=1)
            state[new[g_norm < TOL]] = 1
            d[new], diag_h[new] = v**0.5, g[new] * dv
            g_h[new] = d[new] * g[new]
            J_h[new] = J[new] * d[new][:, None, :]
            theta[new] = np.maximum(0.995, 1 - g_norm)
            augmented = np.concatenate([J_h[new], eye * (diag_h[new] ** 0.5)[:, None, :]], axis=1)
            usable = np.all(np.isfinite(augmented), axis=(1, 2))
            state[new[~usable]] = 2  # scipy's svd refuses infinities: curve_fit raises for that key
            new, augmented = new[usable], augmented[usable]
            U, s[new], Vt = np.linalg.svd(augmented, full_matrices=False)
            V[new] = np.swapaxes(Vt, 1, 2)
            uf[new] = np.einsum("kri,kr->ki", U[:, :f.shape[1]], f[new])
        rows = np.flatnonzero(state == 0)
        if not rows.size:
            break
        p_h, alpha_new = _trust_region_step(m[rows], uf[rows], s[rows], V[rows], delta[rows], alpha[rows])
        step, step_h, predicted, raises = _select_step(x[rows], J_h[rows], diag_h[rows], g_h[rows], p_h,
                                                       d[rows], delta[rows], low, high, theta[rows])
        x_new = _feasible(x[rows] + step, low, high, 0.0)
        f_new = residuals(x_new, rows)
        finite = np.all(np.isfinite(f_new), axis=1)
        step_h_norm = _norm(step_h)
        with np.errstate(all="ignore"):
            cost_new = 0.5 * _dot(f_new, f_new)
            reduction = cost[rows] - cost_new
            ratio = np.where(predicted > 0, reduction / predicted,
                             np.where((predicted == 0) & (reduction == 0), 1.0, 0.0))
            old = delta[rows]
            radius = np.where(ratio < 0.25, 0.25 * step_h_norm,
                              np.where((ratio > 0.75) & (step_h_norm > 0.95 * old), old * 2.0, old))
            done = finite & (((reduction < TOL * cost[rows]) & (ratio > 0.25))
                             | (_norm(step) < TOL * (TOL + _norm(x[rows]))))
            alpha[rows] = np.where(finite & ~done, alpha_new * (old / radius), alpha_new)
        delta[rows] = np.where(finite, np.where(done, old, radius), 0.25 * step_h_norm)
        state[rows[raises]] = 2
        take = finite & (reduction > 0) & ~raises
        taken = rows[take]
        x[taken], f[taken], cost[taken] = x_new[take], f_new[take], cost_new[take]
        J[taken] = forward_jacobian(residuals, x[taken], f[taken], taken, low, high)
        g[taken] = np.einsum("knp,kn->kp", J[taken], f[taken])
        fresh[taken] = True
        state[rows[done & ~raises]] = 1
    finished = (state == 1) & np.all(np.isfinite(x), axis=1)
    return x, finished
