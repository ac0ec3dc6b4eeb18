"""Response curves: how an outcome responds to spend, with diminishing returns.

Method (README "Budget"): for each touchpoint (or channel), the monthly pairs (actual spend,
outcome) are fitted by least squares (the trust-region reflective method with bounds of
``scipy.optimize.curve_fit``, run on all keys at once: see metrics.curve_fitting) to two
concave, increasing forms with a non-negative baseline ``c`` (the outcome with no spend, e.g.
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

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from metrics._batch_trf import MAX_TRIALS
from metrics.curve_fitting import (
    BASELINE,
    FORMS,
    LOGARITHMIC,
    SATURATING,
    Batch,
    Prepared,
    Refusal,
    fit_batch,
    prepare,
)
from metrics.formatting import number_text
from metrics.i18n import N_, tr

__all__ = ["curve_points", "curve_summary", "CurveFit", "FIT_STATUS_TEXT", "fit_response_curve",
    "fit_response_curves", "fit_response_curves_with_starts", "FORM_TEXT", "FormParameters",
    "LOGARITHMIC", "response_history", "ResponseCurve", "SATURATING"]

MIN_R_SQUARED = 0.3
MIN_SPEND_R_SQUARED = 0.1

#: The forms and a fit's status (curve_summary) in words: shown with ``tr``.
FORM_TEXT = {SATURATING: N_("saturating"), LOGARITHMIC: N_("logarithmic")}
FIT_STATUS_TEXT = {"fitted": N_("fitted"), "refused": N_("refused")}


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
        return FORMS[self.form].value(x, self.a, self.b, self.c)

    def marginal(self, spend: float | np.ndarray) -> np.ndarray:
        """Extra outcome per extra euro at ``spend`` (the curve's slope)."""
        x = np.clip(np.asarray(spend, dtype="float64"), 0.0, None)
        return FORMS[self.form].slope(x, self.a, self.b)

    @cached_property
    def initial_slope(self) -> float:
        """The slope at zero spend, the steepest the curve gets (kept: the optimiser asks often)."""
        return float(FORMS[self.form].slope(0.0, self.a, self.b))

    def spend_at_marginal(self, slope: float) -> float:
        """The spend at which the slope falls to ``slope`` (0 when it is already below at zero)."""
        if slope <= 0:
            return float("inf")
        if slope >= self.initial_slope:
            return 0.0
        return float(FORMS[self.form].spend_at_slope(slope, self.a, self.b))

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


_Found = dict[str, dict[str, "np.ndarray | None"]]  # per key and form: parameters, None where the fit failed


@dataclass(frozen=True)
class FormParameters:
    """Per key, each form's fitted parameters (a, b, c[, u, v, g] on months scaled by their means).

    One array per form (keys x 6, NaN where the fit failed or has no season), not a small array
    per key: it is cached with the fits and copied out of the cache on every page run."""

    keys: tuple[str, ...] = ()
    params: dict[str, np.ndarray] | None = None

    @classmethod
    def of(cls, found: _Found) -> FormParameters:
        keys = tuple(found)
        params = {form: np.full((len(keys), 6), np.nan) for form in FORMS}
        for row, key in enumerate(keys):
            for form, values in found[key].items():
                if values is not None:
                    params[form][row, :len(values)] = values
        return cls(keys, params)

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {key: row for row, key in enumerate(self.keys)}

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def get(self, key: str, form: str, size: int) -> np.ndarray | None:
        """The first ``size`` parameters of ``key``'s fit of ``form``, None where it failed."""
        values = None if self.params is None else self.params[form][self._rows[key], :size]
        return None if values is None or not np.all(np.isfinite(values)) else values.copy()


def _refuse(key: str, reason: str, n: int, spend: np.ndarray) -> CurveFit:
    low = float(spend.min()) if len(spend) else float("nan")
    high = float(spend.max()) if len(spend) else float("nan")
    return CurveFit(key, None, reason, n, low, high)


def _finish(item: Prepared, fits: dict[str, tuple[np.ndarray, float] | None],
            baseline_residual: float | None, min_r_squared: float,
            min_spend_r_squared: float = MIN_SPEND_R_SQUARED) -> CurveFit:
    """The curve of the better-fitting form, or the refusal when none converged or it explains too little."""
    n, y = len(item.y), item.y
    total = float(np.sum((y - y.mean()) ** 2))
    r_squared = {form: 1.0 - fit[1] / total for form, fit in fits.items() if fit is not None}
    converged = {form: (fits[form][0], r2) for form, r2 in r_squared.items()  # type: ignore[index]
                 if np.isfinite(r2)}
    if not converged:
        return _refuse(item.key, tr("the curve fit did not converge"), n, item.spend)
    form, (params, r2) = max(converged.items(), key=lambda entry: entry[1][1])
    spend_r2 = r2  # without season and trend, spend is all there is to explain the outcome
    if item.seasonal and baseline_residual is not None:
        # partial R²: the share of what season and trend alone leave unexplained that spend explains
        spend_r2 = float("nan") if baseline_residual <= 0 else 1.0 - (1.0 - r2) * total / baseline_residual
    if r2 < min_r_squared or not spend_r2 >= min_spend_r_squared or params[0] <= 0:
        reason = tr("spend explains too little of the outcome (R² {r2}, of which spend {spend_r2})").format(
            r2=number_text(r2, 2), spend_r2=number_text(max(spend_r2, 0.0), 2))
        return _refuse(item.key, reason, n, item.spend)
    a, b, c = params[:3]
    curve = ResponseCurve(
        key=item.key, form=form, a=float(a * item.mean_outcome), b=float(b * item.mean_spend),
        c=float(c * item.mean_outcome), r_squared=float(r2), n_points=n, spend_min=float(item.spend.min()),
        spend_max=float(item.spend.max()), spend_r_squared=float(spend_r2), seasonal=item.seasonal,
    )
    return CurveFit(item.key, curve, "", n, curve.spend_min, curve.spend_max)


def _fit_prepared(items: list[Prepared], min_r_squared: float, max_trials: int = MAX_TRIALS,
                  min_spend_r_squared: float = MIN_SPEND_R_SQUARED, starts: _Found | None = None
                  ) -> dict[str, CurveFit]:
    """Fit both forms (and, with a season, the baseline of season and trend alone) for all items at
    once; each form's parameters go into ``starts`` when given."""
    out: dict[str, CurveFit] = {}
    for seasonal in (False, True):
        group = [item for item in items if item.seasonal is seasonal]
        if not group:
            continue
        batch = Batch.of(group)
        fits = {form: fit_batch(form, seasonal, batch, group, max_trials) for form in FORMS}
        baseline = fit_batch(BASELINE, True, batch, group, max_trials) if seasonal else [None] * len(group)
        for row, item in enumerate(group):
            left = baseline[row]
            out[item.key] = _finish(item, {form: fits[form][row] for form in FORMS},
                                    None if left is None else left[1], min_r_squared, min_spend_r_squared)
            if starts is not None:
                starts[item.key] = {form: None if fits[form][row] is None else fits[form][row][0]  # type: ignore[index]
                                    for form in FORMS}
    return out


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
    prepared = prepare(key, spend, outcome, months)
    if isinstance(prepared, Refusal):
        return _refuse(prepared.key, prepared.reason, prepared.n, prepared.spend)
    return _fit_prepared([prepared], min_r_squared)[key]


def fit_response_curves(
    history: pd.DataFrame, key: str, min_r_squared: float = MIN_R_SQUARED, max_trials: int = MAX_TRIALS,
    min_spend_r_squared: float = MIN_SPEND_R_SQUARED,
) -> dict[str, CurveFit]:
    """Fit one curve per ``key`` from a history frame with [key, month, spend, outcome], one row a month.

    Give complete months only, with the outcome per month as observed (see module docstring). The
    result is ordered by key; all keys are fitted together (same result as one fit_response_curve
    per key, in a fraction of the time). A key not finished within ``max_trials`` solver steps is
    fitted by scipy's curve_fit alone; ``max_trials=0`` fits every key that way (slow: the
    reference the batch is checked against). The bootstrap (metrics.curve_uncertainty) lowers the
    two R² floors so that a resample whose curve explains little still says what it projects.
    """
    return _fit_history(history, key, min_r_squared, max_trials, min_spend_r_squared, None)


def fit_response_curves_with_starts(history: pd.DataFrame, key: str
                                    ) -> tuple[dict[str, CurveFit], FormParameters]:
    """``fit_response_curves`` with the default floors, and both forms' fitted parameters per key
    (on months scaled by their means, as fitted): where the bootstrap's refits start
    (metrics.curve_uncertainty), so it does not fit the full sample again."""
    starts: _Found = {}
    fits = _fit_history(history, key, MIN_R_SQUARED, MAX_TRIALS, MIN_SPEND_R_SQUARED, starts)
    return fits, FormParameters.of(starts)


def _fit_history(history: pd.DataFrame, key: str, min_r_squared: float, max_trials: int,
                 min_spend_r_squared: float, starts: _Found | None) -> dict[str, CurveFit]:
    codes, keys = pd.factorize(history[key], sort=True)
    month = pd.to_datetime(history["month"])
    months = (month.dt.year * 12 + month.dt.month - 1).to_numpy(dtype="float64")
    spend = history["spend"].to_numpy(dtype="float64")
    outcome = history["outcome"].to_numpy(dtype="float64")
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]  # rows without a key belong to no curve
    bounds = np.searchsorted(codes[order], np.arange(len(keys) + 1))
    prepared: dict[str, Prepared | Refusal] = {}
    for code, item in enumerate(keys):
        rows = order[bounds[code]:bounds[code + 1]]
        prepared[str(item)] = prepare(str(item), spend[rows], outcome[rows], months[rows])
    fitted = _fit_prepared([p for p in prepared.values() if isinstance(p, Prepared)], min_r_squared,
                           max_trials, min_spend_r_squared, starts)
    return {name: fitted[name] if isinstance(p, Prepared) else _refuse(p.key, p.reason, p.n, p.spend)
            for name, p in prepared.items()}


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
