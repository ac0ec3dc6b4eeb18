"""The fixture warehouse: a small demo company stored under non-canonical physical names.

Like datasette's fixtures module, one place builds the data every connector, page and browser test
reads. The data is ``connectors.demo.generate`` (12 touchpoints, 2 years, no injected faults) with
one journey renamed to an id and name holding quotes, an ampersand and umlauts, so that every test
also proves such values travel as plain data. The tables are written under the physical names of
FIXTURE_MAPPING (prefixed tables in a schema ``mart``, renamed columns, one column name with a space)
and read back through the same mapping (tests/fixture_mapping.yaml).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
import yaml

from connectors.demo import PhysicalNames, generate, write_warehouse
from connectors.warehouse import Warehouse, open_warehouse
from metrics.model import TABLES

#: The last day of the demo data built for tests: fixed, so figures and snapshots are reproducible.
DEMO_END = dt.date(2026, 11, 22)

FIXTURE_MAPPING_FILE = Path(__file__).with_name("fixture_mapping.yaml")
FIXTURE_SCHEMA = "mart"

#: The journey whose id and name carry quotes, an ampersand and umlauts (was the demo's "move").
QUOTED_JOURNEY_ID = 'kündigung_"sofort"_o\'brien'
QUOTED_JOURNEY_NAME = "Kündigung \"sofort\" & O'Brien's Umzug"
_RENAMED_JOURNEY = "move"

#: canonical table -> (physical table without schema, {canonical column: physical column}).
FIXTURE_MAPPING: dict[str, tuple[str, dict[str, str]]] = {
    "journeys": ("wh_journey", {"journey_id": "journey_key", "name": "journey_name"}),
    "stages": ("wh_stage", {"stage_id": "stage_key", "journey_id": "journey_key", "position": "stage_order"}),
    "touchpoints": (
        "wh_touchpoint",
        {
            "touchpoint_id": "tp_key",
            "journey_id": "journey_key",
            "stage_id": "stage_key",
            "moment_of_truth": "is_mot",
            "channel": "channel_name",
            "owner": "tp owner",
        },
    ),
    "kpis": ("wh_kpi", {"kpi_id": "kpi_key", "scale": "kpi_scale"}),
    "touchpoint_kpis": (
        "wh_fact_touchpoint_kpi",
        {
            "date": "event_date",
            "touchpoint_id": "tp_key",
            "kpi_id": "kpi_key",
            "numerator": "num_value",
            "denominator": "den_value",
        },
    ),
    "targets": ("wh_target", {"kpi_id": "kpi_key", "target": "target_value", "valid_to": "valid_until"}),
    "budget": ("wh_budget", {"month": "budget_month", "journey_id": "journey_key", "planned": "planned_eur"}),
    "funnel": (
        "wh_funnel",
        {"date": "event_date", "journey_id": "journey_key", "customers": "customer_count"},
    ),
}


def mapping_document(schema: str | None) -> dict[str, Any]:
    """FIXTURE_MAPPING as a mapping file (docs/design.md format), tables qualified by ``schema``."""
    tables: dict[str, Any] = {}
    for canonical, (table, columns) in FIXTURE_MAPPING.items():
        tables[canonical] = {
            "table": f"{schema}.{table}" if schema else table,
            "columns": dict(columns),
        }
    return {"tables": tables}


def write_mapping_file(path: Path, schema: str | None) -> Path:
    path.write_text(
        yaml.safe_dump(mapping_document(schema), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return path


def physical_names(schema: str | None) -> PhysicalNames:
    """The demo writer's ``physical`` function for FIXTURE_MAPPING."""

    def physical(canonical: str) -> tuple[str | None, str, dict[str, str]]:
        table, renamed = FIXTURE_MAPPING[canonical]
        return schema, table, {c: renamed.get(c, c) for c in TABLES[canonical]}

    return physical


@functools.cache
def _generated() -> dict[str, pd.DataFrame]:
    frames = generate(touchpoints=12, years=2, seed=3, end=DEMO_END, faults=False)
    journeys = frames["journeys"].copy()
    renamed = journeys["journey_id"] == _RENAMED_JOURNEY
    journeys.loc[renamed, "name"] = QUOTED_JOURNEY_NAME
    frames["journeys"] = journeys
    for table in ("journeys", "stages", "touchpoints", "budget", "funnel"):
        frame = frames[table].copy()
        frame["journey_id"] = frame["journey_id"].replace(_RENAMED_JOURNEY, QUOTED_JOURNEY_ID)
        frames[table] = frame
    targets = frames["targets"].copy()
    by_journey = (targets["scope"] == "journey") & (targets["scope_id"] == _RENAMED_JOURNEY)
    targets.loc[by_journey, "scope_id"] = QUOTED_JOURNEY_ID
    frames["targets"] = targets
    return frames


def fixture_frames() -> dict[str, pd.DataFrame]:
    """The fixture data in canonical names (fresh copies; callers may change them)."""
    return {name: frame.copy() for name, frame in _generated().items()}


def build_fixture_warehouse(
    engine: sa.Engine, schema: str | None, frames: dict[str, pd.DataFrame] | None = None
) -> None:
    """Write the fixture data (or ``frames``) under the physical names of FIXTURE_MAPPING."""
    write_warehouse(engine, frames if frames is not None else fixture_frames(), physical_names(schema))


@dataclass(frozen=True)
class FixtureWarehouse:
    """A built fixture warehouse: how the app reaches it and an open ``Warehouse`` for queries."""

    dialect: str
    url: str
    mapping_path: Path
    schema: str | None
    warehouse: Warehouse

    def physical(self, canonical: str) -> str:
        """The physical table name for hand-written SQL, schema-qualified where there is one."""
        table = FIXTURE_MAPPING[canonical][0]
        return f"{self.schema}.{table}" if self.schema else table

    def sql(self, text: str) -> str:
        """Hand-written SQL with ``{touchpoint_kpis}``-style placeholders for physical tables.

        Only table names from FIXTURE_MAPPING are substituted; values stay bound parameters.
        """
        return text.format(**{name: self.physical(name) for name in FIXTURE_MAPPING})


def build_duckdb_file(path: Path, frames: dict[str, pd.DataFrame] | None = None) -> str:
    """A DuckDB fixture warehouse file (schema ``mart``); returns its URL. The writer is closed."""
    url = sa.URL.create("duckdb", database=str(path)).render_as_string()
    engine = sa.create_engine(url)
    try:
        build_fixture_warehouse(engine, FIXTURE_SCHEMA, frames)
    finally:
        engine.dispose()
    return url


def _opened(dialect: str, url: str, mapping_path: Path, schema: str | None) -> Iterator[FixtureWarehouse]:
    wh = open_warehouse(url, mapping_path)
    try:
        yield FixtureWarehouse(dialect, url, mapping_path, schema, wh)
    finally:
        wh.engine.dispose()


@pytest.fixture(scope="session")
def fixture_warehouse_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureWarehouse]:
    folder = tmp_path_factory.mktemp("fixture-duckdb")
    url = build_duckdb_file(folder / "warehouse.duckdb")
    yield from _opened("duckdb", url, FIXTURE_MAPPING_FILE, FIXTURE_SCHEMA)


@pytest.fixture(scope="session")
def fixture_warehouse_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureWarehouse]:
    folder = tmp_path_factory.mktemp("fixture-sqlite")
    url = sa.URL.create("sqlite", database=str(folder / "warehouse.sqlite")).render_as_string()
    engine = sa.create_engine(url)
    try:
        build_fixture_warehouse(engine, None)
    finally:
        engine.dispose()
    mapping_path = write_mapping_file(folder / "mapping.yaml", None)
    yield from _opened("sqlite", url, mapping_path, None)


@pytest.fixture(scope="session")
def fixture_warehouse_postgres(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FixtureWarehouse]:
    engine = sa.create_engine(postgres_url)
    try:
        build_fixture_warehouse(engine, FIXTURE_SCHEMA)
    finally:
        engine.dispose()
    yield from _opened("postgresql", postgres_url, FIXTURE_MAPPING_FILE, FIXTURE_SCHEMA)


@pytest.fixture(scope="session")
def fixture_warehouse_spark(
    spark_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FixtureWarehouse]:
    """The fixture warehouse on Spark SQL: Parquet files registered as tables in database ``mart``."""
    from tests.spark import load_parquet_tables  # pyarrow and the server helpers only when needed

    physical = physical_names(FIXTURE_SCHEMA)
    engine = sa.create_engine(spark_url)
    try:
        with engine.connect() as connection:
            folder = tmp_path_factory.mktemp("fixture-spark")
            names = {t: physical(t) for t in TABLES}
            load_parquet_tables(connection.connection.cursor(), folder, fixture_frames(), names)
    finally:
        engine.dispose()
    yield from _opened("hive", spark_url, FIXTURE_MAPPING_FILE, FIXTURE_SCHEMA)


#: The ``warehouse`` fixture's dialects and the fixture that builds each (``hive`` is Spark SQL).
WAREHOUSE_FIXTURES = {
    "duckdb": "fixture_warehouse_duckdb",
    "sqlite": "fixture_warehouse_sqlite",
    "postgresql": "fixture_warehouse_postgres",
    "hive": "fixture_warehouse_spark",
}


@pytest.fixture(
    scope="session",
    params=[
        "duckdb",
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("hive", marks=pytest.mark.spark),
    ],
)
def warehouse(request: pytest.FixtureRequest) -> FixtureWarehouse:
    """The fixture warehouse on each dialect in turn."""
    return request.getfixturevalue(WAREHOUSE_FIXTURES[request.param])


@pytest.fixture(scope="session")
def frames() -> dict[str, pd.DataFrame]:
    """The fixture data in canonical names, for pandas reference figures (do not modify)."""
    return _generated()


@dataclass(frozen=True)
class SentStatement:
    """One statement an engine handed its driver."""

    sql: str
    parameters: Any
    #: The sending engine's URL database (to tell engines apart when listening on all of them).
    database: str | None
    #: What ``note()`` returned as the statement was sent (None without a ``note``).
    note: Any = None


@contextmanager
def sent_statements(
    engine: sa.Engine | type[sa.Engine], note: Callable[[], Any] | None = None
) -> Iterator[list[SentStatement]]:
    """Every statement ``engine`` hands its driver inside the block, in order (SQLAlchemy's
    ``before_cursor_execute``); given the ``sa.Engine`` class, those of every engine. The list may be
    cleared inside the block. ``note`` is called as each statement is sent (e.g. to read the stack)."""
    sent: list[SentStatement] = []

    def remember(conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append(SentStatement(statement, parameters, conn.engine.url.database,
                                  note() if note is not None else None))

    sa.event.listen(engine, "before_cursor_execute", remember)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", remember)
