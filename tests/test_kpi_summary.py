"""The monthly KPI summary (metrics.model.KPI_SUMMARY) on DuckDB, SQLite and PostgreSQL: a KPI
statement that reads it gives the frame the fact table gives, and it is read only when that holds.

Each dialect gets a warehouse of its own: the fixture data under the fixture's physical names (schema
``sumtest`` on PostgreSQL), plus the summary built from its facts by the demo writer's one
CREATE TABLE ... AS under a physical name the mapping file names. The same warehouse is read with
the summary and without it (``without_summary``: the same engine, the fact table only).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
import yaml

from checks._summary import summary_disagreements
from connectors.access import AccessScope
from connectors.demo import write_kpi_summary, write_warehouse
from connectors.mapping import MappingError
from connectors.period_queries import kpi_periods_frame, kpi_periods_statement
from connectors.profile_queries import fact_profile
from connectors.queries import (
    date_bounds,
    kpi_frame,
    kpi_personas_frame,
    kpi_personas_statement,
    kpi_statement,
    summary_cut,
)
from connectors.warehouse import Warehouse, open_warehouse, without_summary
from metrics.model import KPI_SUMMARY, TABLES, Filters, Grain, KpiRequest, Period, Scope
from metrics.registry import DEFAULT_KPIS, default_registry
from tests.fixtures import (
    FIXTURE_MAPPING,
    QUOTED_JOURNEY_ID,
    build_fixture_warehouse,
    fixture_frames,
    mapping_document,
    sent_statements,
)

D = dt.date
KPI_IDS = tuple(k.kpi_id for k in DEFAULT_KPIS)
SUMMARY_TABLE = "wh_tp_kpi_month"
SUMMARY_COLUMNS = {"month": "kpi_month", "touchpoint_id": "tp_key", "kpi_id": "kpi_key",
                   "numerator": "num_sum", "denominator": "den_sum", "rows": "fact_rows"}
SCOPE = AccessScope(touchpoint_ids=frozenset({"tp_move_mailing", "tp_move_install", "tp_fault_hotline"}),
                    journey_ids=frozenset({QUOTED_JOURNEY_ID}), context_journey_ids=frozenset({"fault"}))
FILTERS = Filters(journey_ids=(QUOTED_JOURNEY_ID, "buy", "fault"), owners=())


def _physical(schema: str | None) -> Any:
    def physical(canonical: str) -> tuple[str | None, str, dict[str, str]]:
        if canonical == KPI_SUMMARY:
            return schema, SUMMARY_TABLE, dict(SUMMARY_COLUMNS)
        table, renamed = FIXTURE_MAPPING[canonical]
        return schema, table, {c: renamed.get(c, c) for c in TABLES[canonical]}
    return physical


def _mapping_file(path: Path, schema: str | None, summary: dict[str, Any] | None) -> Path:
    document = mapping_document(schema)
    if summary is not None:
        document["tables"][KPI_SUMMARY] = summary
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _summary_entry(schema: str | None, **columns: str) -> dict[str, Any]:
    return {"table": f"{schema}.{SUMMARY_TABLE}" if schema else SUMMARY_TABLE,
            "columns": {**SUMMARY_COLUMNS, **columns}}


@dataclasses.dataclass(frozen=True)
class Summed:
    """One dialect's warehouse read with the summary (``summed``) and without (``facts``)."""

    url: str
    schema: str | None
    folder: Path
    summed: Warehouse
    facts: Warehouse


def _build(url: str, schema: str | None, folder: Path) -> Summed:
    engine = sa.create_engine(url)
    try:
        build_fixture_warehouse(engine, schema)
        write_kpi_summary(engine, _physical(schema))
    finally:
        engine.dispose()
    wh = open_warehouse(url, _mapping_file(folder / "mapping.yaml", schema, _summary_entry(schema)))
    assert wh.has_summary and wh.summary_end is None  # not read yet: nothing uses it
    assert date_bounds(wh) is not None
    return Summed(url, schema, folder, wh, without_summary(wh))


@pytest.fixture(scope="module",
                params=["duckdb", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def summed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Summed]:
    folder = tmp_path_factory.mktemp(f"summary-{request.param}")
    if request.param == "postgresql":
        url, schema = request.getfixturevalue("postgres_url"), "sumtest"
    else:
        name = "warehouse.duckdb" if request.param == "duckdb" else "warehouse.sqlite"
        url, schema = sa.URL.create(request.param, database=str(folder / name)).render_as_string(), None
    built = _build(url, schema, folder)
    yield built
    built.summed.engine.dispose()


def _reads_summary(wh: Warehouse, statement: sa.Select[Any]) -> bool:
    return SUMMARY_TABLE in str(statement.compile(dialect=wh.engine.dialect))


def _same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert not expected.empty
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


REQUESTS = {
    "month_by_touchpoint": KpiRequest(KPI_IDS, D(2025, 1, 1), D(2026, 10, 31), Grain.MONTH, Scope.TOUCHPOINT),
    "quarter_by_journey_filtered": KpiRequest(KPI_IDS, D(2025, 1, 1), D(2026, 9, 30), Grain.QUARTER,
                                              Scope.JOURNEY, FILTERS),
    "year_all": KpiRequest(KPI_IDS, D(2025, 1, 1), D(2025, 12, 31), Grain.YEAR),
    "period_by_channel": KpiRequest(KPI_IDS, D(2026, 4, 1), D(2026, 6, 30), Grain.PERIOD, Scope.CHANNEL),
    "month_by_stage_not_mot": KpiRequest(("csat", "reach"), D(2026, 1, 1), D(2026, 3, 31), Grain.MONTH,
                                         Scope.STAGE, Filters(moment_of_truth=False)),
}


@pytest.mark.parametrize("scope", [None, SCOPE], ids=["everything", "scoped"])
@pytest.mark.parametrize("name", list(REQUESTS))
def test_whole_months_read_the_summary_and_give_the_same_frame(summed: Summed, name: str,
                                                               scope: AccessScope | None) -> None:
    request = REQUESTS[name]
    assert _reads_summary(summed.summed, kpi_statement(summed.summed, request, scope))
    assert not _reads_summary(summed.facts, kpi_statement(summed.facts, request, scope))
    _same(kpi_frame(summed.summed, request, scope), kpi_frame(summed.facts, request, scope))


PERIODS = {
    "review_quarters": {"current": Period(D(2026, 1, 1), D(2026, 3, 31)),
                        "previous": Period(D(2025, 10, 1), D(2025, 12, 31)),
                        "last_year": Period(D(2025, 1, 1), D(2025, 3, 31))},
    "window_and_last_year": {"current": Period(D(2025, 6, 1), D(2026, 4, 30)),
                             "last_year": Period(D(2024, 6, 1), D(2025, 4, 30))},
}


@pytest.mark.parametrize("scope", [None, SCOPE], ids=["everything", "scoped"])
@pytest.mark.parametrize("grain, by", [(Grain.PERIOD, Scope.JOURNEY), (Grain.MONTH, Scope.TOUCHPOINT)])
@pytest.mark.parametrize("periods_name", list(PERIODS))
def test_period_sets_of_whole_months_read_the_summary(summed: Summed, periods_name: str, grain: Grain,
                                                      by: Scope, scope: AccessScope | None) -> None:
    periods = PERIODS[periods_name]
    first = next(iter(periods.values()))
    request = KpiRequest(KPI_IDS, first.start, first.end, grain, by, FILTERS if scope else Filters())
    assert _reads_summary(summed.summed, kpi_periods_statement(summed.summed, request, periods, scope))
    _same(kpi_periods_frame(summed.summed, request, periods, scope),
          kpi_periods_frame(summed.facts, request, periods, scope))


@pytest.mark.parametrize("grain", [Grain.PERIOD, Grain.MONTH])
def test_personas_read_the_summary(summed: Summed, grain: Grain) -> None:
    personas = {"Movers & 'Quotes'": (QUOTED_JOURNEY_ID,), "Buyers": ("buy", "fault")}
    request = KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 6, 30), grain, Scope.TOUCHPOINT)
    assert _reads_summary(summed.summed, kpi_personas_statement(summed.summed, request, personas, SCOPE))
    _same(kpi_personas_frame(summed.summed, request, personas, SCOPE),
          kpi_personas_frame(summed.facts, request, personas, SCOPE))


FACT_ONLY = {
    "week_grain": KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 3, 31), Grain.WEEK, Scope.JOURNEY),
    "day_grain": KpiRequest(KPI_IDS, D(2026, 3, 1), D(2026, 3, 31), Grain.DAY),
    "starts_mid_month": KpiRequest(KPI_IDS, D(2026, 1, 2), D(2026, 3, 31), Grain.MONTH, Scope.TOUCHPOINT),
    "ends_in_its_first_month": KpiRequest(KPI_IDS, D(2026, 3, 1), D(2026, 3, 30), Grain.QUARTER),
}


def _reads_facts(wh: Warehouse, statement: sa.Select[Any]) -> bool:
    return f"{wh.table('touchpoint_kpis').name} " in str(statement.compile(dialect=wh.engine.dialect))


@pytest.mark.parametrize("name", list(FACT_ONLY))
def test_anything_else_reads_the_fact_table(summed: Summed, name: str) -> None:
    request = FACT_ONLY[name]
    assert summed.summed.summary_end == D(2026, 12, 1)  # the fixture's data ends on 2026-11-22
    assert not _reads_summary(summed.summed, kpi_statement(summed.summed, request))
    year = dt.timedelta(days=365)
    periods = {"one": Period(request.start, request.end), "a year before": Period(request.start - year,
                                                                                   request.end - year)}
    assert not _reads_summary(summed.summed, kpi_periods_statement(summed.summed, request, periods))
    pd.testing.assert_frame_equal(kpi_frame(summed.summed, request), kpi_frame(summed.facts, request))
    pd.testing.assert_frame_equal(kpi_periods_frame(summed.summed, request, periods),
                                  kpi_periods_frame(summed.facts, request, periods))


#: Ranges whose last month the summary cannot answer: its months before that month, the facts after.
SUMMARY_AND_FACTS = {
    "ends_mid_month": KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 3, 30), Grain.QUARTER),
    "past_the_summary": KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 12, 31), Grain.MONTH, Scope.TOUCHPOINT),
    "year_to_date": KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 11, 20), Grain.PERIOD, Scope.JOURNEY, FILTERS),
    "months_to_date": KpiRequest(("csat", "reach"), D(2025, 11, 1), D(2026, 11, 20), Grain.MONTH, Scope.STAGE,
                                 Filters(moment_of_truth=False)),
}


@pytest.mark.parametrize("scope", [None, SCOPE], ids=["everything", "scoped"])
@pytest.mark.parametrize("name", list(SUMMARY_AND_FACTS))
def test_a_range_ending_mid_month_reads_the_summary_then_the_facts(summed: Summed, name: str,
                                                                    scope: AccessScope | None) -> None:
    request = SUMMARY_AND_FACTS[name]
    statement = kpi_statement(summed.summed, request, scope)
    assert _reads_summary(summed.summed, statement) and _reads_facts(summed.summed, statement)
    _same(kpi_frame(summed.summed, request, scope), kpi_frame(summed.facts, request, scope))


TO_DATE = {"quarter": Period(D(2026, 10, 1), D(2026, 11, 20)), "year": Period(D(2026, 1, 1), D(2026, 11, 20)),
           "last year": Period(D(2025, 1, 1), D(2025, 11, 20))}


@pytest.mark.parametrize("scope", [None, SCOPE], ids=["everything", "scoped"])
@pytest.mark.parametrize("grain, by", [(Grain.PERIOD, Scope.ALL), (Grain.MONTH, Scope.TOUCHPOINT)])
def test_periods_to_date_read_the_summary_then_the_facts(summed: Summed, grain: Grain, by: Scope,
                                                         scope: AccessScope | None) -> None:
    """The Trends pacing: quarter and year to date; last year's to-date ends mid-month a year before,
    so the summary answers only the months before that month and the facts the rest."""
    request = KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 11, 20), grain, by, FILTERS if scope else Filters())
    for periods in (dict(list(TO_DATE.items())[:2]), TO_DATE):
        statement = kpi_periods_statement(summed.summed, request, periods, scope)
        assert _reads_summary(summed.summed, statement) and _reads_facts(summed.summed, statement)
        _same(kpi_periods_frame(summed.summed, request, periods, scope),
              kpi_periods_frame(summed.facts, request, periods, scope))


def test_personas_to_date_read_the_summary_then_the_facts(summed: Summed) -> None:
    personas = {"Movers & 'Quotes'": (QUOTED_JOURNEY_ID,), "Buyers": ("buy", "fault")}
    request = KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 11, 20), Grain.MONTH, Scope.TOUCHPOINT)
    statement = kpi_personas_statement(summed.summed, request, personas, SCOPE)
    assert _reads_summary(summed.summed, statement) and _reads_facts(summed.summed, statement)
    _same(kpi_personas_frame(summed.summed, request, personas, SCOPE),
          kpi_personas_frame(summed.facts, request, personas, SCOPE))


@pytest.mark.parametrize("spans, cut", [
    ([(D(2026, 1, 1), D(2026, 11, 20))], D(2026, 11, 1)),  # year to date
    ([(D(2026, 10, 1), D(2026, 11, 20)), (D(2026, 1, 1), D(2026, 11, 20))], D(2026, 11, 1)),
    ([(D(2026, 1, 1), D(2026, 11, 20)), (D(2025, 1, 1), D(2025, 11, 20))], D(2025, 11, 1)),
    ([(D(2026, 1, 1), D(2026, 12, 31))], D(2026, 12, 1)),  # past the summary's end
    ([(D(2026, 1, 1), D(2027, 3, 31))], D(2026, 12, 1)),
    ([(D(2026, 1, 1), D(2026, 3, 31)), (D(2026, 2, 10), D(2026, 3, 31))], D(2026, 2, 1)),  # a start mid-month
    ([(D(2026, 1, 2), D(2026, 11, 20))], None),  # the first month is already partial: facts only
    ([(D(2026, 11, 1), D(2026, 11, 20))], None),
    ([(D(2026, 1, 1), D(2026, 3, 31))], None),  # whole months: the summary alone (summary_answers)
])
def test_summary_cut_is_the_first_month_the_summary_cannot_answer(summed: Summed, spans: list[Any],
                                                                   cut: D | None) -> None:
    assert summed.summed.summary_end == D(2026, 12, 1)
    assert summary_cut(summed.summed, Grain.MONTH, spans) == cut
    assert summary_cut(summed.summed, Grain.WEEK, spans) is None
    assert summary_cut(summed.facts, Grain.MONTH, spans) is None


def test_a_summary_ending_earlier_covers_only_its_months(summed: Summed) -> None:
    early = dataclasses.replace(summed.summed, summary_end=D(2026, 3, 1))
    covered = KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 2, 28), Grain.MONTH)
    beyond = KpiRequest(KPI_IDS, D(2026, 1, 1), D(2026, 3, 31), Grain.MONTH)
    assert _reads_summary(early, kpi_statement(early, covered))
    assert not _reads_facts(early, kpi_statement(early, covered))
    assert summary_cut(early, Grain.MONTH, [(beyond.start, beyond.end)]) == D(2026, 3, 1)
    assert _reads_facts(early, kpi_statement(early, beyond))
    _same(kpi_frame(early, beyond), kpi_frame(summed.facts, beyond))


def test_no_summary_is_used_before_its_last_month_is_read(summed: Summed) -> None:
    unread = dataclasses.replace(summed.summed, summary_end=None)
    assert not _reads_summary(unread, kpi_statement(unread, REQUESTS["year_all"]))


def test_the_setting_off_reads_the_fact_table(summed: Summed) -> None:
    wh = open_warehouse(summed.url, summed.folder / "mapping.yaml", kpi_summary=False)
    try:
        assert not wh.has_summary
        date_bounds(wh)
        assert wh.summary_end is None
        assert not _reads_summary(wh, kpi_statement(wh, REQUESTS["year_all"]))
    finally:
        if wh.engine is not summed.summed.engine:
            wh.engine.dispose()


def test_a_mapping_naming_a_missing_summary_column_is_a_mapping_error(summed: Summed) -> None:
    path = _mapping_file(summed.folder / "broken.yaml", summed.schema,
                         _summary_entry(summed.schema, rows="row_count", numerator="num_total"))
    with pytest.raises(MappingError) as raised:
        open_warehouse(summed.url, path)
    text = "\n".join(raised.value.problems)
    assert "'rows'" in text and "'row_count'" in text and "'numerator'" in text and "'num_total'" in text
    assert KPI_SUMMARY in text


def test_a_mapping_naming_a_missing_summary_table_is_a_mapping_error(summed: Summed) -> None:
    entry = {**_summary_entry(summed.schema), "table": "no_such_summary"}
    path = _mapping_file(summed.folder / "absent.yaml", None, entry)
    with pytest.raises(MappingError, match="no_such_summary"):
        open_warehouse(summed.url, path)


def test_an_unnamed_summary_is_used_only_when_present(tmp_path: Path) -> None:
    """No mapping file: a summary under its canonical name is used; without one nothing changes."""
    url = sa.URL.create("duckdb", database=str(tmp_path / "plain.duckdb")).render_as_string()
    engine = sa.create_engine(url)
    try:
        write_warehouse(engine, fixture_frames())
        without = open_warehouse(url, None, engine=engine)
        assert not without.has_summary and KPI_SUMMARY not in without.metadata.tables
        date_bounds(without)
        assert without.summary_end is None
        write_kpi_summary(engine)
        assert open_warehouse(url, None, engine=engine).has_summary
    finally:
        engine.dispose()


@pytest.mark.parametrize("not_after", [None, D(2026, 11, 22), D(2026, 11, 1), D(2026, 10, 31), D(2026, 6, 15),
                                       D(2025, 2, 1), D(2030, 1, 1)])
def test_date_bounds_read_the_facts_near_the_summary_months(summed: Summed, not_after: D | None) -> None:
    """The same bounds as the whole fact table's, from the summary's months and the facts near them:
    two statements, neither the full read of the date column."""
    expected = date_bounds(summed.facts, not_after)
    with sent_statements(summed.summed.engine) as sent:
        assert date_bounds(summed.summed, not_after) == expected
    assert expected is not None and summed.summed.summary_end == D(2026, 12, 1)
    assert len(sent) == 2 and all(SUMMARY_TABLE in s.sql for s in sent[:1])
    assert " OR " in sent[1].sql and SUMMARY_TABLE not in sent[1].sql


def test_date_bounds_before_every_fact_are_none_with_the_summary(summed: Summed) -> None:
    first = date_bounds(summed.facts)
    assert first is not None
    assert date_bounds(summed.summed, first[0] - dt.timedelta(days=1)) is None


def test_date_bounds_read_the_whole_date_column_where_the_summary_misleads(tmp_path: Path) -> None:
    """A summary with months the facts do not have (one long before, one long after) finds no fact
    near them: the bounds come from the whole column, still right; its last month still sets where
    the summary ends."""
    url = sa.URL.create("duckdb", database=str(tmp_path / "misled.duckdb")).render_as_string()
    engine = sa.create_engine(url)
    try:
        write_warehouse(engine, fixture_frames())
        write_kpi_summary(engine)
        with engine.begin() as connection:
            connection.execute(sa.text(
                f"INSERT INTO {KPI_SUMMARY} VALUES (DATE '2001-01-01', 'tp_buy_web_shop', 'csat', 1, 1, 1), "
                "(DATE '2099-12-01', 'tp_buy_web_shop', 'csat', 1, 1, 1)"))
        summed = open_warehouse(url, None, engine=engine)
        facts = without_summary(summed)
        for not_after in (None, D(2026, 6, 15)):
            expected = date_bounds(facts, not_after)
            with sent_statements(engine) as sent:
                assert date_bounds(summed, not_after) == expected is not None
            assert len(sent) == 3  # the summary's months, the near ranges (no fact there), the column
        assert summed.summary_end == D(2100, 1, 1)
    finally:
        engine.dispose()


def test_the_summary_check_finds_nothing_on_a_summary_built_from_the_facts(summed: Summed) -> None:
    profile = fact_profile(summed.summed, default_registry(), D(2026, 11, 22))
    assert summary_disagreements(summed.summed, profile).empty
    assert summary_disagreements(summed.facts, profile).empty  # no summary: nothing to compare
