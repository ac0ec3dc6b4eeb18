"""The bootstrap's refits (metrics._resample_fit: every resample starts at its key's full fit and
takes damped Gauss-Newton steps) against fitting every resample from scratch with the full fit's
solver, as the bootstrap did before, on the same resamples of a demo warehouse's touchpoints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from connectors.demo import generate
from connectors.queries import budget_frame, date_bounds, kpi_frame
from connectors.warehouse import Warehouse, open_warehouse
from metrics.budget import CONVERSION_KPI
from metrics.curve_uncertainty import BOOTSTRAP_REPLICATES, CurveSamples, bootstrap_curves, change_range
from metrics.model import Grain, KpiRequest, Scope
from metrics.response_curves import (
    ResponseCurve,
    fit_response_curves,
    fit_response_curves_with_starts,
    response_history,
)
from tests.fixtures import DEMO_END, FIXTURE_MAPPING_FILE, build_duckdb_file

KEY = "touchpoint_id"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """A demo company of 40 touchpoints over 4 years in a DuckDB warehouse."""
    frames = generate(touchpoints=40, years=4, seed=11, end=DEMO_END, faults=False)
    url = build_duckdb_file(Path(tmp_path_factory.mktemp("bootstrap")) / "demo.duckdb", frames)
    wh = open_warehouse(url, FIXTURE_MAPPING_FILE)
    yield wh
    wh.engine.dispose()


@pytest.fixture(scope="module")
def history(demo: Warehouse) -> pd.DataFrame:
    """Monthly spend and conversions per touchpoint, aggregated in the warehouse as the What-if asks."""
    bounds = date_bounds(demo)
    assert bounds is not None
    first, as_of = bounds[0].replace(day=1), bounds[1]
    spend = budget_frame(demo, first, as_of, ("month", KEY))
    request = KpiRequest(kpi_ids=(CONVERSION_KPI,), start=first, end=as_of, grain=Grain.MONTH,
                         by=Scope.TOUCHPOINT)
    outcome = kpi_frame(demo, request)
    return response_history(spend.dropna(subset=[KEY]), outcome, KEY, pd.Timestamp(as_of.replace(day=1)))


def _from_scratch(history: pd.DataFrame, keys: list[str], replicates: int, seed: int) -> CurveSamples:
    """The bootstrap as it was: each resample's months as rows, fitted from scratch by
    fit_response_curves with the R² floors off (the same generator draws the same months)."""
    rows = history[history[KEY].astype(str).isin(keys)].dropna(subset=["spend", "outcome"])
    rng = np.random.default_rng(seed)
    parts = []
    for item, group in rows.groupby(KEY, sort=True):
        picks = rng.integers(0, len(group), size=(replicates, len(group))).ravel()
        sample = group.iloc[picks]
        names = np.repeat([f"{item}\x1f{b}" for b in range(replicates)], len(group))
        columns = {c: sample[c].to_numpy() for c in ("month", "spend", "outcome")}
        parts.append(pd.DataFrame({KEY: names, **columns}))
    fits = fit_response_curves(pd.concat(parts, ignore_index=True), KEY, min_r_squared=-np.inf,
                               min_spend_r_squared=-np.inf)
    out: list[dict[str, ResponseCurve]] = [{} for _ in range(replicates)]
    for name, fit in fits.items():
        item, _, number = name.rpartition("\x1f")
        if fit.curve is not None:
            out[int(number)][item] = fit.curve
    return CurveSamples.of(out)


def _curved(history: pd.DataFrame) -> list[str]:
    return sorted(k for k, f in fit_response_curves(history, KEY).items() if f.curve is not None)


def test_refits_give_the_ranges_of_fits_from_scratch(history: pd.DataFrame) -> None:
    keys = _curved(history)
    assert len(keys) >= 15
    fits, starts = fit_response_curves_with_starts(history, KEY)
    fast = bootstrap_curves(history, KEY, keys, starts=starts)
    slow = _from_scratch(history, keys, BOOTSTRAP_REPLICATES, seed=0)
    assert fast.count == slow.count == BOOTSTRAP_REPLICATES
    today = pd.Series({k: fits[k].curve.spend_max * 0.6 for k in keys})  # type: ignore[union-attr]
    rng = np.random.default_rng(2)
    moved = []
    for _ in range(6):  # whole allocations, every item moved, as the optimiser moves them
        plan = today * rng.uniform(0.5, 1.5, len(today))
        low, high = change_range(plan, today, slow)
        new_low, new_high = change_range(plan, today, fast)
        moved.append(max(abs(new_low - low), abs(new_high - high)) / (high - low))
    assert max(moved) < 0.05, moved
    each = []
    for k in keys:  # one item at a time
        plan = today.copy()
        plan[k] *= 1.4
        low, high = change_range(plan, today, slow)
        new_low, new_high = change_range(plan, today, fast)
        each.append(max(abs(new_low - low), abs(new_high - high)) / max(high - low, 1e-9))
    assert np.median(each) < 0.02 and np.mean(np.array(each) < 0.1) >= 0.9, sorted(each)


def test_batch_size_and_given_starts_do_not_change_the_samples(history: pd.DataFrame) -> None:
    keys = _curved(history)
    _, starts = fit_response_curves_with_starts(history, KEY)
    together = bootstrap_curves(history, KEY, keys, starts=starts)
    for other in (bootstrap_curves(history, KEY, keys, starts=starts, keys_at_once=3),
                  bootstrap_curves(history, KEY, keys)):  # starts fitted here, in batches of keys
        assert other.keys == together.keys
        assert np.array_equal(other.form, together.form)
        for name in ("a", "b", "c"):
            assert getattr(other, name) == pytest.approx(getattr(together, name), rel=1e-6, abs=1e-9)


def test_a_resample_without_varied_spend_shows_no_effect() -> None:
    months = pd.date_range("2022-01-01", periods=24, freq="MS")
    spend = np.r_[np.full(23, 1000.0), 5000.0]  # varied only through one month
    outcome = 50 + 0.02 * spend + np.random.default_rng(1).normal(0, 1, 24)
    history = pd.DataFrame({KEY: "tp", "month": months, "spend": spend, "outcome": outcome})
    samples = bootstrap_curves(history, KEY, ["tp"], replicates=60, seed=4)
    drew_it = samples.form[:, 0] >= 0
    assert 0 < drew_it.sum() < samples.count  # about a third of the resamples miss the one month
    low, high = change_range(pd.Series({"tp": 3000.0}), pd.Series({"tp": 1000.0}), samples)
    assert low == pytest.approx(0.0) and high > 0


def test_no_rows_no_samples() -> None:
    empty = pd.DataFrame({KEY: [], "month": [], "spend": [], "outcome": []})
    assert bootstrap_curves(empty, KEY, ["tp"]).count == 0
