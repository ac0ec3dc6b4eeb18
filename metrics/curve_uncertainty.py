"""How sure a response-curve projection is: a bootstrap range, and which curves explain too little.

Method (README "Budget"): for every item with a fitted curve, its months are resampled with
replacement BOOTSTRAP_REPLICATES times (pairs bootstrap: a month's spend, outcome and calendar
month stay together) and each resample is fitted again with both forms, the better one kept, as
metrics.response_curves fits a key but with the R² floors off, so a resample that finds little
effect still counts. A resample where spend shows no effect at all (a = 0, or its spend hardly
varied) counts as "moving money there changes nothing". The range of a suggestion is the 10th to
90th percentile, over the resamples, of its projected change against today: an 80 % range.

Each resample's fit starts at its key's full fit of the same form and takes at most
metrics._resample_fit.MAX_STEPS damped Gauss-Newton steps (the k-step bootstrap), on all
resamples of KEYS_AT_ONCE keys at once: 1,447 touchpoints (869 curves) take about 3 s instead of
90 s from scratch with the full fit's solver, and the ranges stay within about 2 % of their width
of those (README "Performance", tests/test_budget_uncertainty.py). As always, a resample's curve
is at the trend's level in the latest month it drew.

A curve whose spend R² (what spend explains beyond season and trend) is below the floor the
setting MOT_MIN_CURVE_R2 sets is *weak*: an allocation that moves money between weak curves
gets no single number, only the range, and the page names the weak curves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics._resample_fit import refit
from metrics.curve_fitting import (
    FORMS,
    MIN_SPEND_CV,
    Batch,
    Months,
    Prepared,
    fit_batch,
    limits,
    prepare,
    usable,
)
from metrics.response_curves import FormParameters, ResponseCurve

__all__ = ["BOOTSTRAP_REPLICATES", "bootstrap_curves", "change_range", "CurveSamples", "RANGE_PERCENTILES",
    "weak_curves"]

BOOTSTRAP_REPLICATES = 40
#: The range shown: 80 % of the resamples' projected changes lie inside it.
RANGE_PERCENTILES = (10.0, 90.0)
#: Keys whose resamples are fitted together: each holds replicates x months x parameters floats per form.
KEYS_AT_ONCE = 100


@dataclass(frozen=True, eq=False)
class CurveSamples:
    """Each resample's curves, as arrays (resample, key) over ``keys``: the form's position in
    metrics.response_curves.FORMS, or -1 where that resample showed no spend effect, and a, b, c.

    Arrays, not a curve object per resample and key (57,880 at 1,447 touchpoints): they are copied
    out of the app's cache on every page run, and a projection reads them all at once."""

    keys: tuple[str, ...]
    form: np.ndarray  # int8 (resamples, keys)
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray

    @classmethod
    def of(cls, replicates: Sequence[dict[str, ResponseCurve]]) -> CurveSamples:
        """From each resample's curves by key (a key missing from a resample: no spend effect there)."""
        keys = tuple(sorted({k for curves in replicates for k in curves}))
        shape = (len(replicates), len(keys))
        out = cls(keys, np.full(shape, -1, dtype=np.int8), *(np.zeros(shape) for _ in range(3)))
        column = {k: j for j, k in enumerate(keys)}
        for row, curves in enumerate(replicates):
            for k, curve in curves.items():
                j = column[k]
                out.form[row, j] = _FORM_CODES.index(curve.form)
                out.a[row, j], out.b[row, j], out.c[row, j] = curve.a, curve.b, curve.c
        return out

    @classmethod
    def none(cls) -> CurveSamples:
        return cls.of(())

    @property
    def count(self) -> int:
        """How many resamples."""
        return int(self.form.shape[0])


#: The forms in the order of their codes in CurveSamples.form.
_FORM_CODES = tuple(FORMS)


def bootstrap_curves(history: pd.DataFrame, key: str, keys: list[str],
                     replicates: int = BOOTSTRAP_REPLICATES, seed: int = 0,
                     keys_at_once: int = KEYS_AT_ONCE, starts: FormParameters | None = None) -> CurveSamples:
    """Refit the curves of ``keys`` on resampled months. history: [key, month, spend, outcome].

    The resamples are drawn item by item in key order (one generator), each a weight per month
    (how often it was drawn), and fitted ``keys_at_once`` keys (times ``replicates``) at a time,
    each resample from its key's full fit (metrics._resample_fit): the result does not depend on
    the batch size (up to rounding), while the peak memory does. ``starts``: the full fits'
    parameters from metrics.response_curves.fit_response_curves_with_starts on the same history;
    without them (or for a key they lack) the full sample is fitted here first.
    """
    rows = history[history[key].astype(str).isin(keys)].dropna(subset=["spend", "outcome"])
    if rows.empty or replicates <= 0:
        return CurveSamples.none()
    drawn = _draw(rows, key, replicates, seed)
    names = tuple(sorted(str(item.key) for item, _ in drawn))
    column = {name: j for j, name in enumerate(names)}
    shape = (replicates, len(names))
    out = CurveSamples(names, np.full(shape, -1, dtype=np.int8), *(np.zeros(shape) for _ in range(3)))
    for seasonal in (False, True):
        group = [entry for entry in drawn if entry[0].seasonal is seasonal]
        for first in range(0, len(group), keys_at_once):
            part = group[first:first + keys_at_once]
            _refit_part(part, seasonal, out, [column[item.key] for item, _ in part],
                        starts or FormParameters())
    return out


def _draw(rows: pd.DataFrame, key: str, replicates: int, seed: int) -> list[tuple[Prepared, np.ndarray]]:
    """Per key (in key order): its usable months prepared for fitting, and each resample's weights
    (replicates, months): how often the resample drew each month."""
    rng = np.random.default_rng(seed)
    drawn: list[tuple[Prepared, np.ndarray]] = []
    codes, names = pd.factorize(rows[key], sort=True)  # the groups of groupby(key, sort=True)
    month = pd.to_datetime(rows["month"])
    months_all = (month.dt.year * 12 + month.dt.month - 1).to_numpy(dtype="float64")
    spend_all, outcome_all = (rows[c].to_numpy(dtype="float64") for c in ("spend", "outcome"))
    order = np.argsort(codes, kind="stable")  # each key's rows in their order in the frame
    order = order[codes[order] >= 0]
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    resample = np.arange(replicates)[:, None]
    for code, item in enumerate(names):
        at = order[bounds[code]:bounds[code + 1]]
        n = len(at)
        picks = rng.integers(0, n, size=(replicates, n))
        spend, outcome, months = spend_all[at], outcome_all[at], months_all[at]
        prepared = prepare(str(item), spend, outcome, months)
        if not isinstance(prepared, Prepared):
            continue  # no curve on the full sample: none on its resamples
        # how often each resample drew each month
        counts = np.bincount((resample * n + picks).ravel(), minlength=replicates * n)
        counts = counts.reshape(replicates, n).astype("float64")
        drawn.append((prepared, counts[:, usable(spend, outcome, months)]))
    return drawn


def _refit_part(part: list[tuple[Prepared, np.ndarray]], seasonal: bool, out: CurveSamples,
                columns: list[int], starts: FormParameters) -> None:
    """Fit every resample of the keys in ``part`` with both forms, keep the better form per
    resample (the lower weighted sum of squares: the higher R²) and write the curves into ``out``."""
    items = [item for item, _ in part]
    replicates = part[0][1].shape[0]
    batch = Batch.of(items)
    drawn = np.zeros((len(items), replicates, batch.y.shape[1]))
    for row, (item, counts) in enumerate(part):
        drawn[row, :, :len(item.y)] = counts
    X, y, weights = _drawn_only(batch.X, batch.y, drawn.reshape(-1, batch.y.shape[1]), replicates)
    missing = [row for row, item in enumerate(items) if item.key not in starts]
    fitted = []
    for form in _FORM_CODES:
        size = 6 if seasonal else 3
        known = [starts.get(item.key, form, size) if item.key in starts else None for item in items]
        if missing:  # the full sample's fit of this form, for keys without one given
            rest = [items[row] for row in missing]
            for row, fit in zip(missing, fit_batch(form, seasonal, Batch.of(rest), rest), strict=True):
                known[row] = None if fit is None else fit[0]
        start = np.array([np.full(size, np.nan) if params is None else params for params in known])
        low, high = (np.array(limit) for limit in limits(form, seasonal))
        fitted.append(refit(form, seasonal, X, y, weights, np.repeat(start, replicates, axis=0), low, high))
    costs = np.stack([cost for _, cost in fitted])
    best = np.argmin(costs, axis=0)  # ties: the first form, as the full fit chooses
    params = np.where((best == 0)[:, None], fitted[0][0][:, :3], fitted[1][0][:, :3])
    if seasonal:  # the curve at the trend's level in the latest month the resample drew, as always
        trend = np.where(best == 0, fitted[0][0][:, 5], fitted[1][0][:, 5])
        latest = np.where(weights > 0, X[3], -np.inf).max(axis=1)
        params = params * np.exp(trend * latest)[:, None] ** np.array([1.0, 0.0, 1.0])
    shown = (np.isfinite(costs.min(axis=0)) & np.all(np.isfinite(params), axis=1) & (params[:, 0] > 0)
             & _varied(X[0], y, weights))
    mean_spend = np.repeat([item.mean_spend for item in items], replicates)
    mean_outcome = np.repeat([item.mean_outcome for item in items], replicates)
    target = (np.tile(np.arange(replicates), len(items)), np.repeat(columns, replicates))
    out.form[target] = np.where(shown, best, -1)
    out.a[target] = np.where(shown, params[:, 0] * mean_outcome, 0.0)
    out.b[target] = np.where(shown, params[:, 1] * mean_spend, 0.0)
    out.c[target] = np.where(shown, params[:, 2] * mean_outcome, 0.0)


def _drawn_only(X: Months, y: np.ndarray, weights: np.ndarray, replicates: int
                ) -> tuple[Months, np.ndarray, np.ndarray]:
    """The keys' months X and outcomes y (keys, months) as rows (key, resample) with each row's
    drawn months first, cut to the most any row drew: a resample draws about 63 % of the months,
    and the fit's work grows with the months it evaluates."""
    order = np.argsort(weights == 0, axis=1, kind="stable")
    order = order[:, :max(int(np.count_nonzero(weights, axis=1).max()), 1)]

    def drawn(values: np.ndarray) -> np.ndarray:
        return np.take_along_axis(np.repeat(values, replicates, axis=0), order, axis=1)

    x, cos, sin, t = X
    return (drawn(x), drawn(cos), drawn(sin), drawn(t)), drawn(y), np.take_along_axis(weights, order, axis=1)


def _varied(x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per resample: whether its spend varied (coefficient of variation at least MIN_SPEND_CV) and
    its outcome was not constant, as the full fit requires of a key's months."""
    total = weights.sum(axis=1)

    def mean_and_spread(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mean = np.einsum("kn,kn->k", weights, values) / total
        deviation = values - mean[:, None]
        return mean, np.sqrt(np.einsum("kn,kn,kn->k", weights, deviation, deviation) / total)

    spend_mean, spend_spread = mean_and_spread(x)
    outcome_mean, outcome_spread = mean_and_spread(y)
    return ((spend_mean > 0) & (spend_spread >= MIN_SPEND_CV * spend_mean) & (outcome_mean > 0)
            & (outcome_spread > 0))


def change_range(allocation: pd.Series, base: pd.Series, samples: CurveSamples
                 ) -> tuple[float, float]:
    """The 80 % range of the projected change in outcome from ``base`` to ``allocation`` (per
    month), over the resamples; (NaN, NaN) without resamples. Items without a curve in a resample
    change nothing there.

    Each resample's change is summed item by item in the allocation's order, as one curve at a
    time would; the items' projections are computed for all resamples at once."""
    if not samples.count:
        return float("nan"), float("nan")
    spend = pd.to_numeric(allocation, errors="coerce").fillna(0.0)
    before = pd.to_numeric(base, errors="coerce").reindex(spend.index).fillna(0.0)
    column = {k: j for j, k in enumerate(samples.keys)}
    columns = np.array([column.get(str(item), -1) for item in spend.index], dtype=np.int64)
    new, old = spend.to_numpy(dtype="float64"), before.to_numpy(dtype="float64")
    moved = (columns >= 0) & (new != old)
    columns, new, old = columns[moved], np.clip(new[moved], 0.0, None), np.clip(old[moved], 0.0, None)
    form = samples.form[:, columns]
    a, b, c = samples.a[:, columns], samples.b[:, columns], samples.c[:, columns]
    change = np.zeros(form.shape)
    after, now = np.broadcast_to(new, form.shape), np.broadcast_to(old, form.shape)
    for code, name in enumerate(_FORM_CODES):
        has = form == code
        if has.any():
            value = FORMS[name].value
            change[has] = (value(after[has], a[has], b[has], c[has])
                           - value(now[has], a[has], b[has], c[has]))
    totals = np.zeros(samples.count)
    for j in range(int(columns.size)):  # in the allocation's order, as the sums were always taken
        totals += change[:, j]
    low, high = np.percentile(totals, RANGE_PERCENTILES)
    return float(low), float(high)


def weak_curves(curves: dict[str, ResponseCurve], keys: list[str], min_spend_r2: float) -> list[str]:
    """Keys among ``keys`` whose curve's spend R² is below ``min_spend_r2`` (unknown counts as weak)."""
    return [k for k in keys if k in curves and not curves[k].spend_r_squared >= min_spend_r2]
