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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.response_curves import ResponseCurve, fit_response_curves

__all__ = ["BOOTSTRAP_REPLICATES", "bootstrap_curves", "change_range", "CurveSamples", "RANGE_PERCENTILES",
    "weak_curves"]

BOOTSTRAP_REPLICATES = 40
#: The range shown: 80 % of the resamples' projected changes lie inside it.
RANGE_PERCENTILES = (10.0, 90.0)
#: Resample fits per batch: 1,447 touchpoints x 40 resamples fitted in one batch peaked at 2.5 GB.
FITS_AT_ONCE = 2000
_SEPARATOR = "\x1f"  # joins key and resample number; never in a touchpoint id or channel name


@dataclass(frozen=True)
class CurveSamples:
    """Each resample's curves by key; a key missing from a resample had no spend effect there."""

    replicates: tuple[dict[str, ResponseCurve], ...]

    @classmethod
    def none(cls) -> CurveSamples:
        return cls(())


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
    return CurveSamples(tuple(out))


def change_range(allocation: pd.Series, base: pd.Series, samples: CurveSamples
                 ) -> tuple[float, float]:
    """The 80 % range of the projected change in outcome from ``base`` to ``allocation`` (per
    month), over the resamples; (NaN, NaN) without resamples. Items without a curve in a resample
    change nothing there."""
    if not samples.replicates:
        return float("nan"), float("nan")
    spend = pd.to_numeric(allocation, errors="coerce").fillna(0.0)
    before = pd.to_numeric(base, errors="coerce").reindex(spend.index).fillna(0.0)
    changes = []
    for curves in samples.replicates:
        total = 0.0
        for item, value in spend.items():
            curve = curves.get(str(item))
            if curve is not None and value != before[item]:
                total += float(curve.predict(value)) - float(curve.predict(before[item]))
        changes.append(total)
    low, high = np.percentile(changes, RANGE_PERCENTILES)
    return float(low), float(high)


def weak_curves(curves: dict[str, ResponseCurve], keys: list[str], min_spend_r2: float) -> list[str]:
    """Keys among ``keys`` whose curve's spend R² is below ``min_spend_r2`` (unknown counts as weak)."""
    return [k for k in keys if k in curves and not curves[k].spend_r_squared >= min_spend_r2]
