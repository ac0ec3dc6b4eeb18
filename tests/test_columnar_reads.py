"""What the embedded DuckDB read path skips for speed (#19: ours against the floor), checked on real
engines: compiled statements are reused, a failed read leaves no transaction behind, a read run on the
driver's cursor sends exactly SQLAlchemy's SQL and values, DuckDB's columns are typed as its own
``fetchdf`` types them, and the sort order equals ``DataFrame.sort_values``.

The frames themselves are compared across DuckDB, SQLite and PostgreSQL in
tests/test_connectors_queries.py, tests/test_period_queries.py and tests/test_persona_queries.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from connectors import queries
from connectors.queries import _column, _sort_order, kpi_frame, read_columns, read_frame
from connectors.warehouse import WarehouseError, open_warehouse, reads_on_driver
from metrics.model import Grain, KpiRequest, Scope
from metrics.registry import DEFAULT_KPIS
from tests.fixtures import FIXTURE_MAPPING_FILE, FixtureWarehouse, build_duckdb_file, sent_statements
from tests.sql_cases import CASES

REQUEST = KpiRequest(tuple(k.kpi_id for k in DEFAULT_KPIS), dt.date(2026, 1, 1), dt.date(2026, 3, 31),
                     Grain.MONTH, Scope.TOUCHPOINT)


def test_repeated_reads_reuse_the_compiled_statement_and_survive_a_failed_one(tmp_path: Path) -> None:
    wh = open_warehouse(build_duckdb_file(tmp_path / "w.duckdb"), FIXTURE_MAPPING_FILE)
    hits: list[bool] = []

    def remember(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        hits.append(context.cache_hit == context.dialect.CACHE_HIT)

    try:
        # With a listener the reads go through SQLAlchemy (without one, on the driver: below).
        sa.event.listen(wh.engine, "before_cursor_execute", remember)
        first = kpi_frame(wh, REQUEST)
        with pytest.raises(WarehouseError):
            read_frame(wh, sa.select(sa.column("x")).select_from(sa.table("no_such_table")), columnar=True)
        again = kpi_frame(wh, REQUEST)
    finally:
        wh.engine.dispose()
    assert hits[-1], "the same statement shape is compiled once per engine"
    pd.testing.assert_frame_equal(first, again, check_exact=True)


def test_reads_on_the_driver_send_sqlalchemys_sql_and_values(
    fixture_warehouse_duckdb: FixtureWarehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every statement case the fixture warehouse runs: without a listener the readers run it on the
    driver's cursor, and what they hand the driver is what SQLAlchemy hands it (which the snapshot
    tests hold to the snapshots), value for value and of the same types."""
    wh = fixture_warehouse_duckdb.warehouse
    direct: list[tuple[str, Any]] = []
    driver_sql = queries._DriverPlan.sql

    def remember_direct(plan: queries._DriverPlan, values: Any) -> tuple[str, Any] | None:
        found = driver_sql(plan, values)
        if found is not None:
            direct.append(found)
        return found

    monkeypatch.setattr(queries._DriverPlan, "sql", remember_direct)
    ran = 0
    for name, case in CASES.items():
        if case.summary:  # no summary table here: tests/test_kpi_summary.py runs these
            continue
        direct.clear()
        assert reads_on_driver(wh.engine)
        case.run(wh)
        if not direct:  # not a shape's read (dimension tables, date bounds, profiles)
            continue
        with sent_statements(wh.engine) as listened:
            assert not reads_on_driver(wh.engine), "a listener sees every statement"
            taken = len(direct)
            case.run(wh)
            assert len(direct) == taken, "with a listener, the reads go through SQLAlchemy"
        sent = [(s.sql, s.parameters) for s in listened]
        assert [s for s, _ in direct] == [s for s, _ in sent], name
        for (_, mine), (_, theirs) in zip(direct, sent, strict=True):
            assert type(mine) is type(theirs) and list(map(type, mine)) == list(map(type, theirs)), name
            assert list(mine) == list(theirs), name
        ran += 1
    assert ran >= 15, "the KPI (every grain), period, persona, funnel and budget cases run on the driver"


def test_a_failed_read_on_the_driver_is_a_warehouse_error(tmp_path: Path) -> None:
    wh = open_warehouse(build_duckdb_file(tmp_path / "w.duckdb"), FIXTURE_MAPPING_FILE)
    try:
        assert reads_on_driver(wh.engine)
        bad: sa.Select[Any] = sa.select(sa.column("x").label("x")).select_from(sa.table("no_such_table"))
        with pytest.raises(WarehouseError, match="no_such_table"):
            read_columns(wh, bad, {})
        first = kpi_frame(wh, REQUEST)
        assert len(first) > 0
    finally:
        wh.engine.dispose()


def test_only_the_embedded_reader_without_listeners_reads_on_the_driver(tmp_path: Path) -> None:
    url = build_duckdb_file(tmp_path / "w.duckdb")
    plain = sa.create_engine(url)  # a DuckDB engine that is not the read-only reader
    wh = open_warehouse(url, FIXTURE_MAPPING_FILE)
    echoing = open_warehouse(url, FIXTURE_MAPPING_FILE, engine=None)
    try:
        assert not reads_on_driver(plain)
        assert reads_on_driver(wh.engine)
        echoing.engine.echo = True
        assert not reads_on_driver(echoing.engine)
        pd.testing.assert_frame_equal(kpi_frame(echoing, REQUEST), kpi_frame(wh, REQUEST), check_exact=True)
    finally:
        for engine in (plain, wh.engine, echoing.engine):
            engine.dispose()


QUERY = """select * from (values
  ('a', NULL::varchar, 1.5::double, NULL::double, 3::bigint, NULL::bigint, date '2024-01-01', NULL::date,
   5::hugeint, 1.25::decimal(18,3), true, NULL::boolean, NULL::decimal(18,2), NULL::hugeint),
  ('b', 'x', 2.5, 1, 4, 2, date '2024-02-01', date '2024-01-01', 6, 2.5, false, true, 2.5, 7)
) t(s, sn, d, dn, i, i_n, dt, dtn, h, dec, b, bn, decn, hn)"""  # i18n: not shown (SQL)


def test_columns_are_typed_as_duckdb_fetchdf_types_them() -> None:
    con = duckdb.connect()
    expected = con.execute(QUERY).fetchdf()
    for name in [c for c, d in expected.dtypes.items() if d.kind == "M"]:
        expected[name] = expected[name].astype("datetime64[s]")
    got = pd.DataFrame({c: _column(a) for c, a in con.execute(QUERY).fetchnumpy().items()})
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_sort_order_is_sort_values_order_with_missing_values_last() -> None:
    frame = pd.DataFrame({
        "month": pd.to_datetime(["2026-02-01", "2026-01-01", None, "2026-01-01", "2026-02-01", "2026-01-01"]),
        "channel": pd.array(["web", None, "app", "app", "Web", "web"], dtype="str"),
        "kpi_id": ["b", "a", "a", "c", "a", "a"],
        "rank": np.array([1, 0, 1, 0, 1, 0]),
    })
    for keys in (["kpi_id"], ["channel", "kpi_id"], ["month", "channel", "kpi_id"],
                 ["rank", "channel", "kpi_id"]):
        order = _sort_order([frame[k] for k in keys])
        assert order.tolist() == frame.sort_values(keys).index.tolist(), keys
        # As DuckDB's fetchnumpy hands text over: Python strings in an object array, missing as None.
        fetched = [frame[k].astype(object).where(frame[k].notna(), None).to_numpy() for k in keys]
        assert _sort_order(fetched).tolist() == order.tolist(), keys
