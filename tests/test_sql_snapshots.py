"""Every warehouse statement the app sends, per dialect, compared with reviewed files in tests/snapshots/.

The statements are the cases of tests/sql_cases.py: KPI, funnel, budget, date bounds and dimension
reads (connectors/queries.py; several periods at once: connectors/period_queries.py) and every
data-quality profile (connectors/profile_queries.py). A change to the generated SQL shows up as a
diff of these files. After checking that the new SQL is right, rewrite them with
``MOT_UPDATE_SNAPSHOTS=1 pytest tests/test_sql_snapshots.py``.

The snapshots are compiled without a database, then held against what runs: on the DuckDB, SQLite,
PostgreSQL and Spark SQL (``hive``) fixture warehouses the app's own functions must send exactly the
snapshot's SQL, the same statement and values as the builder's, and the builder compiled for the
live connection must give the snapshot file. The fixture mapping qualifies tables with schema
``mart``; on SQLite the fixture file is attached under that name, so one snapshot is what runs there
too.

Snowflake, BigQuery, Databricks and Trino are compiled with their SQLAlchemy dialect packages
(requirements-dev.txt) and never connected: their snapshots are reviewed SQL, not run. MySQL and
SQL Server are left out on purpose: period_start compiles there to date_trunc, which neither has
(SQL Server's is DATETRUNC), so their SQL would be wrong.
"""

from __future__ import annotations

import importlib
import inspect
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

# private: tested directly because the snapshot test pins each profile rule to its check
from checks._scoping import FACT_RULE_CHECKS
from connectors import period_queries, profile_queries, queries, summary_queries
from connectors.mapping import load_mapping
from connectors.warehouse import Warehouse, build_tables, open_warehouse
from tests.fixtures import FIXTURE_MAPPING_FILE, FIXTURE_SCHEMA, WAREHOUSE_FIXTURES, FixtureWarehouse
from tests.sql_cases import CASES

SNAPSHOTS = Path(__file__).with_name("snapshots")
UPDATE = os.environ.get("MOT_UPDATE_SNAPSHOTS") == "1"


def _engine_dialect(url: str) -> Callable[[], sa.Dialect]:
    """The dialect as an engine for ``url`` has it: with its driver, so the SQL carries the
    placeholders the database receives (DuckDB's driver takes ``$1``, not ``%(name)s``).
    Creating an engine does not connect."""
    return lambda: sa.create_engine(url).dialect


def _dialect(module: str, attribute: str) -> Callable[[], sa.Dialect]:
    """A dialect without its driver, for dialects whose engines would want credentials. The
    packages are development requirements: a missing one fails rather than skips its snapshots."""

    def make() -> sa.Dialect:
        found = importlib.import_module(module)
        return getattr(found, attribute)()  # type: ignore[no-any-return]

    return make


DIALECTS: dict[str, Callable[[], sa.Dialect]] = {
    "duckdb": _engine_dialect("duckdb://"),
    "postgresql": _engine_dialect("postgresql+psycopg://"),
    "sqlite": _engine_dialect("sqlite://"),
    "hive": _engine_dialect("hive://"),  # Spark SQL through PyHive
    "snowflake": _dialect("snowflake.sqlalchemy.snowdialect", "SnowflakeDialect"),
    "bigquery": _dialect("sqlalchemy_bigquery", "BigQueryDialect"),
    "databricks": _dialect("databricks.sqlalchemy", "DatabricksDialect"),
    "trino": _dialect("trino.sqlalchemy.dialect", "TrinoDialect"),
}


def _fixture_warehouse_without_connection(dialect_name: str = "sqlite") -> Warehouse:
    """The fixture mapping's tables on an engine that never connects: DuckDB's own for the DuckDB
    snapshots (a builder may write DuckDB-only SQL), SQLite's for every other dialect."""
    mapping = load_mapping(FIXTURE_MAPPING_FILE)
    # Compiling needs no connection; the engine is never used.
    url = "duckdb://" if dialect_name == "duckdb" else "sqlite://"
    return Warehouse(engine=sa.create_engine(url), mapping=mapping, metadata=build_tables(mapping))


def render(statement: sa.Select[Any], dialect: sa.Dialect) -> str:
    """The SQL as the dialect sends it, followed by the bound values as comments."""
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    lines = [str(compiled).strip(), ""]
    lines += [f"-- {name} = {value!r}" for name, value in sorted(compiled.params.items())]
    return "\n".join(lines) + "\n"


def _snapshot(dialect_name: str, case_name: str) -> Path:
    return SNAPSHOTS / dialect_name / f"{case_name}.sql"


@pytest.mark.parametrize("case_name", list(CASES))
@pytest.mark.parametrize("dialect_name", list(DIALECTS))
def test_statement_snapshot(dialect_name: str, case_name: str) -> None:
    dialect = DIALECTS[dialect_name]()
    sql = render(CASES[case_name].statement(_fixture_warehouse_without_connection(dialect_name)), dialect)
    path = _snapshot(dialect_name, case_name)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; create it with MOT_UPDATE_SNAPSHOTS=1"
    assert sql == path.read_text(encoding="utf-8"), (
        f"{dialect_name} SQL for {case_name} changed; if intended, rerun with MOT_UPDATE_SNAPSHOTS=1"
    )


# --- what runs: the same SQL on the real fixture warehouses --------------------------------------


@contextmanager
def _sent(engine: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    """(SQL, parameters) of every statement the engine hands its driver inside the block."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement.strip(), parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@contextmanager
def _sqlite_as_mart(database: str) -> Iterator[Warehouse]:
    """The SQLite fixture file attached as schema ``mart``, read through the snapshots' mapping."""
    assert FIXTURE_SCHEMA == "mart"
    engine = sa.create_engine("sqlite://")

    @sa.event.listens_for(engine, "connect")
    def _attach(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("ATTACH DATABASE ? AS mart", (database,))  # FIXTURE_SCHEMA

    try:
        yield open_warehouse("sqlite://", FIXTURE_MAPPING_FILE, engine=engine)
    finally:
        engine.dispose()


@pytest.fixture(
    scope="module",
    params=[
        "duckdb",
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("hive", marks=pytest.mark.spark),
    ],
)
def live(request: pytest.FixtureRequest) -> Iterator[Warehouse]:
    """A fixture warehouse whose mapping is the snapshots' own (tables in schema ``mart``)."""
    fixture: FixtureWarehouse = request.getfixturevalue(WAREHOUSE_FIXTURES[request.param])
    if fixture.dialect != "sqlite":
        assert fixture.mapping_path == FIXTURE_MAPPING_FILE
        yield fixture.warehouse
        return
    database = sa.make_url(fixture.url).database
    assert database
    with _sqlite_as_mart(database) as wh:
        yield wh


@pytest.mark.parametrize("case_name", list(CASES))
def test_the_app_sends_the_snapshot(live: Warehouse, case_name: str) -> None:
    case = CASES[case_name]
    if case.summary:
        pytest.skip("the fixture warehouses have no monthly summary: tests/test_kpi_summary.py runs these")
    snapshot = _snapshot(live.dialect, case_name).read_text(encoding="utf-8")
    assert render(case.statement(live), live.engine.dialect) == snapshot, "compiles otherwise when connected"

    with _sent(live.engine) as built, live.engine.connect() as connection:
        connection.execute(case.statement(live)).fetchall()
    with _sent(live.engine) as ran:
        case.run(live)

    sql, _, _ = snapshot.partition("\n\n")
    assert [s for s, _ in built] == [sql]
    assert ran, "the app's functions sent nothing"
    assert all(sent == built[0] for sent in ran), f"the app sent other SQL or values: {ran}"


# --- the case list itself --------------------------------------------------------------------------


def test_every_statement_builder_is_snapshotted() -> None:
    """A new ``*_statement`` in connectors/ must get a case (and so snapshots) here."""
    builders = {
        f"{module.__name__}.{name}"
        for module in (queries, period_queries, profile_queries, summary_queries)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.endswith("_statement") and function.__module__ == module.__name__
    }
    covered = {f"{case.builder.__module__}.{case.builder.__name__}" for case in CASES.values()}
    assert builders - covered == set()


def test_every_fact_rule_has_a_check_and_a_failing_rows_snapshot() -> None:
    assert set(FACT_RULE_CHECKS) == set(profile_queries.FACT_RULES)
    assert {"profile_failing_" + rule for rule in profile_queries.FACT_RULES} <= set(CASES)


def test_snapshots_quote_physical_names_and_bind_values() -> None:
    """Read the committed snapshots themselves: physical names quoted, filter values only as comments."""
    text = (SNAPSHOTS / "postgresql" / "kpi_month_by_touchpoint_filtered.sql").read_text(encoding="utf-8")
    sql, _, params = text.partition("\n\n")
    assert 'mart.wh_touchpoint."tp owner"' in sql
    assert "date_trunc('month'" in sql
    assert "Priya" not in sql and "kündigung" not in sql
    assert "Priya Nair" in params and "kündigung" in params


def test_no_unexpected_snapshot_files() -> None:
    expected = {f"{d}/{c}.sql" for d in DIALECTS for c in CASES}
    found = {p.relative_to(SNAPSHOTS).as_posix() for p in SNAPSHOTS.glob("*/*.sql")}
    assert found <= expected, f"stale snapshots: {sorted(found - expected)}"
