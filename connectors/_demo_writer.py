"""Write canonical frames into a warehouse: DuckDB, SQLite or PostgreSQL, through SQLAlchemy Core.

Tables are defined as SQLAlchemy ``Table`` objects, so every identifier is quoted by the dialect and
every value is a bound parameter (or, on DuckDB, comes from a registered DataFrame). The names used
in the warehouse come from a ``physical`` function, which lets tests store the same data under
non-canonical table and column names and then read it back through a mapping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd
import sqlalchemy as sa

from connectors._sql_periods import period_start
from metrics.model import (
    COLUMN_KINDS,
    FACT_TABLES,
    KPI_SUMMARY,
    OPTIONAL_COLUMNS,
    OPTIONAL_TABLES,
    TABLES,
    Grain,
)

#: canonical table -> (schema or None, physical table, {canonical column: physical column}).
PhysicalNames = Callable[[str], tuple[str | None, str, dict[str, str]]]

#: Rows per executemany batch on dialects without a bulk DataFrame path.
INSERT_CHUNK_ROWS = 20_000

_SQL_TYPES: dict[str, Callable[[], sa.types.TypeEngine]] = {
    "str": sa.Text,
    "int": sa.BigInteger,
    "float": sa.Double,
    "bool": sa.Boolean,
    "date": sa.Date,
}

# DuckDB sees a registered DataFrame as a view; the name only lives for one insert.
_DUCKDB_VIEW = "mot_demo_frame"


def canonical_physical(table: str) -> tuple[str | None, str, dict[str, str]]:
    """The default physical names: the canonical ones, no schema."""
    return None, table, {column: column for column in TABLES.get(table) or OPTIONAL_TABLES[table]}


def write_warehouse(
    engine: sa.Engine,
    frames: dict[str, pd.DataFrame],
    physical: PhysicalNames | None = None,
) -> None:
    """Create (dropping any existing table of the same name) and fill one table per frame.

    ``frames`` maps canonical table names to frames with exactly the canonical columns, in order;
    optional columns (metrics.model.OPTIONAL_COLUMNS) may be left out, and the table then lacks them.
    """
    names = physical or canonical_physical
    unknown = sorted(set(frames) - set(TABLES))
    if unknown:
        raise ValueError(  # i18n: not shown (a developer error)
            f"not canonical tables: {', '.join(unknown)}; known: {', '.join(TABLES)}")
    metadata = sa.MetaData()
    with engine.begin() as conn:
        for canonical, frame in frames.items():
            _check_columns(canonical, frame)
            schema, table_name, columns = names(canonical)
            table = _table(metadata, canonical, schema, table_name, columns, tuple(frame.columns))
            if schema is not None and conn.dialect.name != "sqlite":
                # SQLite "schemas" are attached databases; they cannot be created here.
                conn.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
            table.drop(conn, checkfirst=True)
            table.create(conn)
            if conn.dialect.name == "duckdb":
                _fill_duckdb(conn, table, frame, order_by_date=canonical in FACT_TABLES)
            else:
                _fill_executemany(conn, table, frame)


def _check_columns(canonical: str, frame: pd.DataFrame) -> None:
    optional = OPTIONAL_COLUMNS.get(canonical, {})
    expected = [c for c in TABLES[canonical] if c in frame.columns or c not in optional]
    if list(frame.columns) != expected:
        raise ValueError(
            f"frame for {canonical!r} has columns {list(frame.columns)}; expected {expected}"
        )  # i18n: not shown (a developer error)


def _table(
    metadata: sa.MetaData,
    canonical: str,
    schema: str | None,
    table_name: str,
    columns: dict[str, str],
    present: tuple[str, ...],
) -> sa.Table:
    """A Table whose columns carry the physical name and the canonical name as key."""
    kinds = COLUMN_KINDS[canonical]
    return sa.Table(
        table_name,
        metadata,
        *(
            sa.Column(columns.get(column, column), _SQL_TYPES[kinds[column]](), key=column)
            for column in TABLES[canonical]
            if column in present
        ),
        schema=schema,
    )


def _fill_duckdb(
    conn: sa.Connection, table: sa.Table, frame: pd.DataFrame, order_by_date: bool
) -> None:
    """Bulk insert by scanning the DataFrame inside DuckDB: no Python row loop.

    Fact tables are stored sorted by date so DuckDB's zone maps skip row groups for date filters;
    that is the cheap "index" for the queries the dashboard runs.
    """
    raw = conn.connection.driver_connection
    if raw is None:
        raise RuntimeError("the DuckDB connection is closed")
    raw.register(_DUCKDB_VIEW, frame)
    try:
        source = sa.table(_DUCKDB_VIEW, *(sa.column(column) for column in frame.columns))
        select = sa.select(
            *(sa.cast(source.c[column], table.c[column].type) for column in frame.columns)
        )
        if order_by_date and "date" in frame.columns:
            select = select.order_by(source.c["date"])
        conn.execute(table.insert().from_select(list(table.c), select))
    finally:
        raw.unregister(_DUCKDB_VIEW)


def _fill_executemany(conn: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> None:
    keys = list(frame.columns)
    for batch in _python_rows(frame, INSERT_CHUNK_ROWS):
        conn.execute(table.insert(), [dict(zip(keys, row, strict=True)) for row in batch])


def _python_rows(frame: pd.DataFrame, chunk: int) -> Iterator[list[tuple[object, ...]]]:
    """Rows as plain Python values (date, str, float, bool, None) that every DBAPI accepts."""
    columns = []
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            values = series.dt.date.astype(object)
        else:
            values = series.astype(object)
        columns.append(values.where(series.notna(), None).tolist())
    rows = list(zip(*columns, strict=True))
    for start in range(0, len(rows), chunk):
        yield rows[start : start + chunk]


def kpi_summary_select(fact: sa.FromClause, names: dict[str, str]) -> sa.Select[tuple[object, ...]]:
    """The monthly KPI summary of the fact table ``fact`` (canonical column names) as a select
    whose columns carry ``names`` (the summary's physical column names): per month, touchpoint and
    KPI the sums and the count of fact rows, ordered by month (zone maps, as the facts)."""
    month = period_start(Grain.MONTH, fact.c.date)
    keys = [fact.c.touchpoint_id, fact.c.kpi_id]
    return (
        sa.select(
            month.label(names["month"]),
            *(key.label(names[key.key]) for key in keys),
            sa.func.sum(fact.c.numerator).label(names["numerator"]),
            sa.func.sum(fact.c.denominator).label(names["denominator"]),
            sa.cast(sa.func.count(), sa.BigInteger).label(names["rows"]),
        )
        .group_by(month, *keys)
        .order_by(month)
    )


def write_kpi_summary(engine: sa.Engine, physical: PhysicalNames | None = None) -> None:
    """Create (replacing one of the same name) the monthly KPI summary table from the warehouse's
    fact table by one CREATE TABLE ... AS SELECT ... GROUP BY in the warehouse, as a data team's
    aggregate model would: built from the facts as they are (faults included)."""
    names = physical or canonical_physical
    fact_schema, fact_name, fact_columns = names("touchpoint_kpis")
    schema, name, columns = names(KPI_SUMMARY)
    fact = sa.table(fact_name, *(sa.column(fact_columns[c]) for c in TABLES["touchpoint_kpis"]),
                    schema=fact_schema)
    # The fact table's physical columns under their canonical names.
    aliased = sa.select(*(fact.c[fact_columns[c]].label(c) for c in TABLES["touchpoint_kpis"])).subquery("f")
    with engine.begin() as conn:
        select = kpi_summary_select(aliased, columns)
        sql = select.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        target = sa.table(name, schema=schema)
        quoted = conn.dialect.identifier_preparer.format_table(target)
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {quoted}")
        conn.exec_driver_sql(f"CREATE TABLE {quoted} AS {sql}")
