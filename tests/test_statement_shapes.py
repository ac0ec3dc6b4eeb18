"""Statement shapes (connectors/_shapes.py): a reader builds its select once per warehouse and shape and
binds each request's values at execution. Checked on every dialect: a second request of the same
shape builds nothing, sends the same SQL with its own values, and reads what a warehouse that never
saw the first request reads; a request that differs in shape gets a select of its own."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from connectors.access import AccessScope
from connectors.period_queries import budget_periods_frame, kpi_periods_frame
from connectors.queries import budget_frame, funnel_frame, kpi_frame, kpi_personas_frame
from connectors.warehouse import Warehouse, open_warehouse
from metrics.model import Filters, Grain, KpiRequest, Period, Scope
from tests.fixtures import QUOTED_JOURNEY_ID, FixtureWarehouse, sent_statements

D = dt.date
SCOPE = AccessScope(touchpoint_ids=frozenset({"tp_move_mailing", "tp_fault_hotline"}),
                    journey_ids=frozenset({QUOTED_JOURNEY_ID}), context_journey_ids=frozenset())
FIRST = KpiRequest(("csat", "nps"), D(2025, 1, 1), D(2025, 3, 31), Grain.MONTH, Scope.TOUCHPOINT,
                   Filters(journey_ids=(QUOTED_JOURNEY_ID, "fault")))
#: FIRST's shape (grain, breakdown, filters set) with other values, lists of other lengths included.
SECOND = KpiRequest(("csat", "nps", "reach"), D(2025, 7, 1), D(2025, 12, 31), Grain.MONTH, Scope.TOUCHPOINT,
                    Filters(journey_ids=("fault",)))
QUARTERS = {"q1": Period(D(2025, 1, 1), D(2025, 3, 31)), "q2": Period(D(2025, 4, 1), D(2025, 6, 30))}
LATER = {"q3": Period(D(2025, 7, 1), D(2025, 9, 30)), "q4": Period(D(2025, 10, 1), D(2025, 12, 31))}


def _reads(wh: Warehouse, request: KpiRequest, periods: dict[str, Period]) -> list[pd.DataFrame]:
    journeys = request.filters.journey_ids
    return [
        kpi_frame(wh, request),
        kpi_frame(wh, request, SCOPE),
        kpi_periods_frame(wh, request, periods),
        kpi_personas_frame(wh, request, {"Alle": journeys, "Eine": journeys[:1]}),
        funnel_frame(wh, request.start, request.end, journeys, Grain.MONTH, SCOPE),
        budget_frame(wh, request.start, request.end, ("month", "touchpoint_id"), SCOPE),
        budget_periods_frame(wh, periods, ("journey_id",)),
    ]


#: Which of ``_reads``' frames have no row order of their own: the funnel and both budget readers.
_UNORDERED = frozenset({4, 5, 6})


def _in_key_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's rows sorted by every column (a frame whose row order is not part of the reader's)."""
    return frame.sort_values(list(frame.columns), key=lambda c: c.astype(str)).reset_index(drop=True)


def _shapes(wh: Warehouse) -> dict[object, object]:
    return dict(wh.metadata.info.get("statement_shapes", {}))


def test_a_shape_is_built_once_and_bound_per_request(warehouse: FixtureWarehouse) -> None:
    wh = open_warehouse(warehouse.url, warehouse.mapping_path)  # shapes of its own
    fresh = open_warehouse(warehouse.url, warehouse.mapping_path)
    try:
        with sent_statements(wh.engine) as first_sent:
            _reads(wh, FIRST, QUARTERS)
        built = _shapes(wh)
        with sent_statements(wh.engine) as second_sent:
            second = _reads(wh, SECOND, LATER)
        assert _shapes(wh) == built, "the same shapes, not built again"
        expected = _reads(fresh, SECOND, LATER)
    finally:
        wh.engine.dispose()
        fresh.engine.dispose()
    assert len(built) == len(first_sent) == len(second_sent) == 7
    assert any(len(f) for f in second)
    for i, (got, want) in enumerate(zip(second, expected, strict=True)):
        if i in _UNORDERED:  # rows in DuckDB's GROUP BY order, which its threads may change run to run
            got, want = _in_key_order(got), _in_key_order(want)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert [s.parameters for s in first_sent] != [s.parameters for s in second_sent]


def test_another_shape_gets_a_select_of_its_own(fixture_warehouse_duckdb: FixtureWarehouse) -> None:
    fx = fixture_warehouse_duckdb
    wh = open_warehouse(fx.url, fx.mapping_path)
    try:
        kpi_frame(wh, FIRST)
        for request in (
            KpiRequest(FIRST.kpi_ids, FIRST.start, FIRST.end, Grain.QUARTER, Scope.TOUCHPOINT, FIRST.filters),
            KpiRequest(FIRST.kpi_ids, FIRST.start, FIRST.end, Grain.MONTH, Scope.STAGE, FIRST.filters),
            KpiRequest(FIRST.kpi_ids, FIRST.start, FIRST.end, Grain.MONTH, Scope.TOUCHPOINT,
                       Filters(journey_ids=("fault",), moment_of_truth=False)),
            KpiRequest(FIRST.kpi_ids, FIRST.start, FIRST.end, Grain.MONTH, Scope.TOUCHPOINT, Filters()),
        ):
            before = len(_shapes(wh))
            kpi_frame(wh, request)
            assert len(_shapes(wh)) == before + 1, request
    finally:
        wh.engine.dispose()
