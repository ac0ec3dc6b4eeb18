"""Filter values are data, never SQL: quotes, comment markers and umlauts travel as bound parameters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy.dialects import postgresql, sqlite

from connectors.queries import dimension_frame, funnel_frame, kpi_frame, kpi_statement
from metrics.model import Filters, Grain, KpiRequest, Scope
from tests.fixtures import QUOTED_JOURNEY_ID, QUOTED_JOURNEY_NAME, FixtureWarehouse

START, END = dt.date(2025, 1, 1), dt.date(2026, 6, 30)
KPIS = ("csat", "nps", "reach")
ATTACKS = ("x' OR 1=1 --", 'x" OR 1=1 --', "'; DROP TABLE wh_touchpoint; --", "web' OR 'a'='a")


@pytest.mark.parametrize("value", ATTACKS)
def test_quoted_filter_value_matches_nothing(warehouse: FixtureWarehouse, value: str) -> None:
    everything = kpi_frame(warehouse.warehouse, KpiRequest(KPIS, START, END))
    assert everything["rows"].sum() > 0
    for filters in (
        Filters(channels=(value,)),
        Filters(owners=(value,)),
        Filters(journey_ids=(value,)),
        Filters(stage_ids=(value,)),
        Filters(touchpoint_ids=(value,)),
    ):
        result = kpi_frame(
            warehouse.warehouse, KpiRequest(KPIS, START, END, by=Scope.JOURNEY, filters=filters)
        )
        assert result.empty, f"{filters} matched rows"
    assert funnel_frame(warehouse.warehouse, START, END, (value,)).empty
    # and nothing was dropped
    assert len(dimension_frame(warehouse.warehouse, "touchpoints")) == 12


def test_journey_with_quotes_and_umlauts_returns_its_rows(
    warehouse: FixtureWarehouse, frames: dict[str, pd.DataFrame]
) -> None:
    request = KpiRequest(
        KPIS,
        START,
        END,
        grain=Grain.MONTH,
        by=Scope.JOURNEY,
        filters=Filters(journey_ids=(QUOTED_JOURNEY_ID,)),
    )
    result = kpi_frame(warehouse.warehouse, request)
    assert set(result["journey_id"]) == {QUOTED_JOURNEY_ID}
    tps = frames["touchpoints"].loc[frames["touchpoints"]["journey_id"] == QUOTED_JOURNEY_ID, "touchpoint_id"]
    facts = frames["touchpoint_kpis"]
    mine = facts["touchpoint_id"].isin(tps) & facts["kpi_id"].isin(KPIS)
    mine &= facts["date"].between(pd.Timestamp(START), pd.Timestamp(END))
    assert result["rows"].sum() == mine.sum() > 0
    assert result["numerator"].sum() == pytest.approx(facts.loc[mine, "numerator"].sum())
    journeys = dimension_frame(warehouse.warehouse, "journeys")
    assert journeys.loc[journeys["journey_id"] == QUOTED_JOURNEY_ID, "name"].tolist() == [QUOTED_JOURNEY_NAME]
    funnel = funnel_frame(warehouse.warehouse, START, END, (QUOTED_JOURNEY_ID,))
    assert set(funnel["journey_id"]) == {QUOTED_JOURNEY_ID} and funnel["customers"].sum() > 0


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect()], ids=lambda d: d.name)
def test_compiled_sql_binds_every_value(fixture_warehouse_duckdb: FixtureWarehouse, dialect: object) -> None:
    filters = Filters(
        journey_ids=(QUOTED_JOURNEY_ID,),
        channels=("x' OR 1=1 --",),
        owners=("O'Brien",),
        moment_of_truth=True,
    )
    statement = kpi_statement(
        fixture_warehouse_duckdb.warehouse,
        KpiRequest(KPIS, START, END, grain=Grain.MONTH, by=Scope.STAGE, filters=filters),
    )
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})  # type: ignore[arg-type]
    sql = str(compiled)
    for value in ("1=1", "O'Brien", "kündigung", "sofort", "csat", "2025-01-01", "2026"):
        assert value not in sql, f"{value!r} is written into the SQL instead of bound"
    bound = set(map(str, compiled.params.values()))
    assert {QUOTED_JOURNEY_ID, "x' OR 1=1 --", "O'Brien", "csat", "nps", "reach"} <= bound
    assert START in compiled.params.values()
