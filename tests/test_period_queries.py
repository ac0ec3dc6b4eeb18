"""connectors.period_queries on DuckDB, SQLite, PostgreSQL (and Spark SQL when it runs): several
periods in one statement give, period by period, exactly the frames of the separate readers.

The separate readers are checked against hand-written SQL and pandas in
tests/test_connectors_queries.py, so equality here carries those checks over. Periods are chosen
disjoint (a quarter, the one before, the same one last year), overlapping (quarter and year to
date; a window and the same window last year at month grain) and empty (no data at all).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from connectors.access import AccessScope
from connectors.period_queries import budget_periods_frame, kpi_periods_frame
from connectors.queries import budget_frame, kpi_frame
from metrics.model import Filters, Grain, KpiRequest, Period, Scope
from metrics.registry import DEFAULT_KPIS
from tests.fixtures import QUOTED_JOURNEY_ID, FixtureWarehouse

KPI_IDS = tuple(k.kpi_id for k in DEFAULT_KPIS)
D = dt.date
PERIODS: dict[str, dict[str, Period]] = {
    "review_quarters": {"current": Period(D(2026, 1, 1), D(2026, 3, 31)),
                        "previous": Period(D(2025, 10, 1), D(2025, 12, 31)),
                        "last_year": Period(D(2025, 1, 1), D(2025, 3, 31))},
    "to_date_overlapping": {"QTD": Period(D(2026, 4, 1), D(2026, 5, 10)),
                            "YTD": Period(D(2026, 1, 1), D(2026, 5, 10))},
    "window_and_last_year": {"current": Period(D(2025, 6, 1), D(2026, 4, 30)),
                             "last_year": Period(D(2024, 6, 1), D(2025, 4, 30))},
    "with_an_empty_period": {"empty": Period(D(2010, 1, 1), D(2010, 3, 31)),
                             "current": Period(D(2026, 1, 1), D(2026, 3, 31))},
}
REQUESTS = {
    "journey": (Grain.PERIOD, Scope.JOURNEY, Filters()),
    "mot_by_touchpoint": (Grain.PERIOD, Scope.TOUCHPOINT, Filters(moment_of_truth=True)),
    "month_all": (Grain.MONTH, Scope.ALL, Filters()),
    "week_by_channel_filtered": (Grain.WEEK, Scope.CHANNEL, Filters(journey_ids=(QUOTED_JOURNEY_ID, "buy"))),
}
SCOPE = AccessScope(touchpoint_ids=frozenset({"tp_move_mailing", "tp_move_install", "tp_fault_hotline"}),
                    journey_ids=frozenset({QUOTED_JOURNEY_ID}), context_journey_ids=frozenset({"fault"}))


def _part(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return frame[frame["period"] == label].drop(columns="period").reset_index(drop=True)


def _same(got: pd.DataFrame, expected: pd.DataFrame, what: str) -> None:
    assert list(got.columns) == list(expected.columns), what
    if expected.empty:
        assert got.empty, what
        return
    pd.testing.assert_frame_equal(got, expected, check_exact=False, obj=what)


def _statements(fx: FixtureWarehouse, run: Any) -> tuple[Any, int]:
    sent: list[str] = []

    def remember(*args: Any) -> None:
        sent.append(args[2])

    sa.event.listen(fx.warehouse.engine, "before_cursor_execute", remember)
    try:
        result = run()
    finally:
        sa.event.remove(fx.warehouse.engine, "before_cursor_execute", remember)
    return result, len(sent)


@pytest.mark.parametrize("scope", [None, SCOPE], ids=["everything", "scoped"])
@pytest.mark.parametrize("periods_name", list(PERIODS))
@pytest.mark.parametrize("request_name", list(REQUESTS))
def test_kpi_periods_frame_equals_one_kpi_frame_per_period(
    warehouse: FixtureWarehouse, request_name: str, periods_name: str, scope: AccessScope | None
) -> None:
    grain, by, filters = REQUESTS[request_name]
    periods = PERIODS[periods_name]
    first = next(iter(periods.values()))
    request = KpiRequest(KPI_IDS, first.start, first.end, grain, by, filters)
    combined, statements = _statements(warehouse, lambda: kpi_periods_frame(warehouse.warehouse, request,
                                                                            periods, scope))
    assert statements == 1
    assert list(combined["period"].unique()) == [k for k in periods if (combined["period"] == k).any()]
    for label, period in periods.items():
        alone_request = KpiRequest(KPI_IDS, period.start, period.end, grain, by, filters)
        alone = kpi_frame(warehouse.warehouse, alone_request, scope)
        _same(_part(combined, label), alone, f"{request_name} {periods_name} {label}")
    assert _part(combined, "empty").empty if "empty" in periods else True


def test_the_scope_limits_the_combined_query(warehouse: FixtureWarehouse) -> None:
    periods = PERIODS["review_quarters"]
    request = KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 3, 31), by=Scope.TOUCHPOINT)
    everyone = kpi_periods_frame(warehouse.warehouse, request, periods)
    scoped = kpi_periods_frame(warehouse.warehouse, request, periods, SCOPE)
    assert set(scoped["touchpoint_id"]) <= SCOPE.touchpoint_ids
    assert not scoped.empty and len(scoped) < len(everyone)


@pytest.mark.parametrize("scope", [None, SCOPE], ids=["everything", "scoped"])
@pytest.mark.parametrize("by", [("journey_id",), ("month", "touchpoint_id", "channel")], ids=str)
@pytest.mark.parametrize("periods_name", ["review_quarters", "to_date_overlapping", "with_an_empty_period"])
def test_budget_periods_frame_equals_one_budget_frame_per_period(
    warehouse: FixtureWarehouse, periods_name: str, by: tuple[str, ...], scope: AccessScope | None
) -> None:
    periods = PERIODS[periods_name]
    combined, statements = _statements(warehouse, lambda: budget_periods_frame(warehouse.warehouse, periods,
                                                                               by, scope))
    assert statements == 1
    order = list(by)
    for label, period in periods.items():
        alone = budget_frame(warehouse.warehouse, period.start, period.end, by, scope)
        _same(_part(combined, label).sort_values(order, ignore_index=True),
              alone.sort_values(order, ignore_index=True), f"budget {periods_name} {label}")


def test_periods_readers_refuse_what_they_cannot_answer(warehouse: FixtureWarehouse) -> None:
    request = KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 3, 31))
    with pytest.raises(ValueError, match="at least one period"):
        kpi_periods_frame(warehouse.warehouse, request, {})
    with pytest.raises(ValueError, match="at least one KPI"):
        kpi_periods_frame(warehouse.warehouse, KpiRequest((), D(2026, 1, 1), D(2026, 3, 31)),
                          PERIODS["review_quarters"])
    with pytest.raises(ValueError, match="cannot be grouped"):
        budget_periods_frame(warehouse.warehouse, PERIODS["review_quarters"], ("month", "planned"))
