"""How sure a response-curve projection is: a bootstrap range, and which curves explain too little.

Method (README "Budget"): for every item with a fitted curve, its months are resampled with
replacement BOOTSTRAP_REPLICATES times (pairs bootstrap: a month's spend, outcome and calendar
month stay together) and each resample is fitted again, in batches of FITS_AT_ONCE
(metrics.response_curves.fit_response_curves with the R² floors off, so a resample that finds
little effect still counts). A resample where spend shows no effect at all (the fit refuses, a = 0)
counts as "moving money there changes nothing". The range of a suggestion is the 10th to 90th
percentile, over the resamples, of its projected change against today: an 80 % range.

A curve whose spend R² (what spend explains beyond season and trend) is below the floor the
setting MOT_MIN_CURVE_R2 sets is *weak*: an allocation that moves money between weak curves
gets no single number, only the range, and the page names the weak curves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.response_curves import FORMS, ResponseCurve, fit_response_curves

__all__ = ["BOOTSTRAP_REPLICATES", "bootstrap_curves", "change_range", "CurveSamples", "RANGE_PERCENTILES",
    "weak_curves"]

BOOTSTRAP_REPLICATES = 40
#: The range shown: 80 % of the resamples' projected changes lie inside it.
RANGE_PERCENTILES = (10.0, 90.0)
#: Resample fits per batch: 1,447 touchpoints x 40 resamples fitted in one batch peaked at 2.5 GB.
FITS_AT_ONCE = 2000
_SEPARATOR = "\x1f"  # joins key and resample number; never in a touchpoint id or channel name


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
                     fits_at_once: int = FITS_AT_ONCE) -> CurveSamples:
    """Refit the curves of ``keys`` on resampled months. history: [key, month, spend, outcome].

    The resamples are drawn item by item in key order (one generator, as before) and fitted
    ``fits_at_once`` at a time: each fit is independent of the others in its batch, so the result
    does not depend on the batch size, while the peak memory does (README "Performance").
    """
    rows = history[history[key].astype(str).isin(keys)].dropna(subset=["spend", "outcome"])
    if rows.empty or replicates <= 0:
        return CurveSamples.none()
    rng = np.random.default_rng(seed)
    out: list[dict[str, ResponseCurve]] = [{} for _ in range(replicates)]
    parts: list[pd.DataFrame] = []

    def fit_parts() -> None:
        fits = fit_response_curves(pd.concat(parts, ignore_index=True), key, min_r_squared=-np.inf,
                                   min_spend_r_squared=-np.inf)
        for name, fit in fits.items():
            item, _, number = name.rpartition(_SEPARATOR)
            if fit.curve is not None:
                out[int(number)][item] = fit.curve
        parts.clear()

    for item, group in rows.groupby(key, sort=True):
        n = len(group)
        picks = rng.integers(0, n, size=(replicates, n)).ravel()
        names = np.repeat([f"{item}{_SEPARATOR}{b}" for b in range(replicates)], n)
        sample = group.iloc[picks]
        columns = {c: sample[c].to_numpy() for c in ("month", "spend", "outcome")}
        parts.append(pd.DataFrame({key: names, **columns}))
        if len(parts) * replicates >= fits_at_once:
            fit_parts()
    if parts:
        fit_parts()
    return CurveSamples.of(out)


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
