"""The SQL that kpi_statement generates, per dialect, compared with reviewed files in tests/snapshots/.

A change to the generated SQL shows up as a diff of these files. After checking that the new SQL is
right, rewrite them with ``MOT_UPDATE_SNAPSHOTS=1 pytest tests/test_sql_snapshots.py``.

Snowflake and BigQuery are compiled only when their SQLAlchemy dialect packages are installed (they
are not project dependencies). MySQL and SQL Server are left out on purpose: period_start compiles
there to date_trunc, which neither has (SQL Server's is DATETRUNC), so their SQL would be wrong.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from connectors.mapping import load_mapping
from connectors.queries import kpi_statement
from connectors.warehouse import Warehouse, build_tables
from metrics.model import Filters, Grain, KpiRequest, Scope
from tests.fixtures import FIXTURE_MAPPING_FILE, QUOTED_JOURNEY_ID

SNAPSHOTS = Path(__file__).with_name("snapshots")
UPDATE = os.environ.get("MOT_UPDATE_SNAPSHOTS") == "1"

REQUESTS: dict[str, KpiRequest] = {
    "kpi_month_by_touchpoint_filtered": KpiRequest(
        ("csat", "nps"),
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
        grain=Grain.MONTH,
        by=Scope.TOUCHPOINT,
        filters=Filters(
            journey_ids=(QUOTED_JOURNEY_ID, "buy"),
            channels=("web",),
            owners=("Priya Nair",),
            moment_of_truth=True,
        ),
    ),
    "kpi_week_by_journey": KpiRequest(
        ("csat",), dt.date(2026, 1, 1), dt.date(2026, 3, 31), grain=Grain.WEEK, by=Scope.JOURNEY
    ),
    "kpi_quarter_by_channel_not_mot": KpiRequest(
        ("reach",),
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        grain=Grain.QUARTER,
        by=Scope.CHANNEL,
        filters=Filters(moment_of_truth=False),
    ),
    "kpi_year_all": KpiRequest(("nps",), dt.date(2025, 1, 1), dt.date(2026, 12, 31), grain=Grain.YEAR),
    "kpi_day_by_stage": KpiRequest(
        ("ces",),
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 7),
        grain=Grain.DAY,
        by=Scope.STAGE,
        filters=Filters(stage_ids=("buy.purchase",)),
    ),
    "kpi_period_all": KpiRequest(("csat", "reach"), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
}


def _engine_dialect(url: str) -> Callable[[], sa.Dialect]:
    """The dialect as an engine for ``url`` has it: with its driver, so the SQL carries the
    placeholders the database receives (DuckDB's driver takes ``$1``, not ``%(name)s``).
    Creating an engine does not connect."""
    return lambda: sa.create_engine(url).dialect


def _dialect(module: str, attribute: str) -> Callable[[], sa.Dialect]:
    """A dialect without its driver, for dialects whose engines would want credentials."""

    def make() -> sa.Dialect:
        try:
            found = importlib.import_module(module)
        except ImportError:
            pytest.skip(f"{module} is not installed; its SQL snapshots are not checked")
        return getattr(found, attribute)()  # type: ignore[no-any-return]

    return make


DIALECTS: dict[str, Callable[[], sa.Dialect]] = {
    "duckdb": _engine_dialect("duckdb://"),
    "postgresql": _engine_dialect("postgresql+psycopg://"),
    "sqlite": _engine_dialect("sqlite://"),
    "snowflake": _dialect("snowflake.sqlalchemy.snowdialect", "SnowflakeDialect"),
    "bigquery": _dialect("sqlalchemy_bigquery", "BigQueryDialect"),
}


def _fixture_warehouse_without_connection() -> Warehouse:
    mapping = load_mapping(FIXTURE_MAPPING_FILE)
    # Compiling needs no connection; the engine is never used.
    return Warehouse(engine=sa.create_engine("sqlite://"), mapping=mapping, metadata=build_tables(mapping))


def render(statement: sa.Select[object], dialect: sa.Dialect) -> str:
    """The SQL as the dialect sends it, followed by the bound values as comments."""
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    lines = [str(compiled).strip(), ""]
    lines += [f"-- {name} = {value!r}" for name, value in sorted(compiled.params.items())]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("request_name", list(REQUESTS))
@pytest.mark.parametrize("dialect_name", list(DIALECTS))
def test_kpi_statement_snapshot(dialect_name: str, request_name: str) -> None:
    dialect = DIALECTS[dialect_name]()
    sql = render(kpi_statement(_fixture_warehouse_without_connection(), REQUESTS[request_name]), dialect)
    path = SNAPSHOTS / dialect_name / f"{request_name}.sql"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; create it with MOT_UPDATE_SNAPSHOTS=1"
    assert sql == path.read_text(encoding="utf-8"), (
        f"{dialect_name} SQL for {request_name} changed; if intended, rerun with MOT_UPDATE_SNAPSHOTS=1"
    )


def test_snapshots_quote_physical_names_and_bind_values() -> None:
    """Read the committed snapshots themselves: physical names quoted, filter values only as comments."""
    text = (SNAPSHOTS / "postgresql" / "kpi_month_by_touchpoint_filtered.sql").read_text(encoding="utf-8")
    sql, _, params = text.partition("\n\n")
    assert 'mart.wh_touchpoint."tp owner"' in sql
    assert "date_trunc('month'" in sql
    assert "Priya" not in sql and "kündigung" not in sql
    assert "Priya Nair" in params and "kündigung" in params


def test_no_unexpected_snapshot_files() -> None:
    expected = {f"{d}/{r}.sql" for d in DIALECTS for r in REQUESTS}
    found = {p.relative_to(SNAPSHOTS).as_posix() for p in SNAPSHOTS.glob("*/*.sql")}
    assert found <= expected, f"stale snapshots: {sorted(found - expected)}"
