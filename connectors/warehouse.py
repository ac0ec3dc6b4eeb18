"""A read-only warehouse seen through the canonical model.

``Warehouse`` holds an engine and SQLAlchemy ``Table`` objects whose columns carry physical names
but canonical keys, so query code writes ``wh.table("touchpoints").c.moment_of_truth`` and the SQL
says whatever the mapping says. Identifiers are quoted by SQLAlchemy; values are bound parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from connectors._spark_sql import SPARK_DIALECTS, raise_connect_errors_as_dbapi
from connectors.db_errors import database_reason
from connectors.mapping import Mapping, MappingError, check_against, fit_optional_columns, load_mapping
from metrics.i18n import tr
from metrics.model import COLUMN_KINDS, KPI_SUMMARY, OPTIONAL_TABLES, TABLES

__all__ = ["build_tables", "EmbeddedLimits", "open_warehouse", "reads_on_driver", "Warehouse",
           "WarehouseError", "without_summary"]

_TYPES: dict[str, type[sa.types.TypeEngine]] = {
    "str": sa.String,
    "int": sa.Integer,
    "float": sa.Float,
    "bool": sa.Boolean,
    "date": sa.Date,
}


class WarehouseError(RuntimeError):
    """The warehouse cannot be reached or read; the message says what to do."""


@dataclass
class Warehouse:
    engine: sa.Engine
    mapping: Mapping
    metadata: sa.MetaData
    #: Where the mapping does not fit the warehouse. Always empty from ``open_warehouse`` (it
    #: refuses such a mapping); the checks open a warehouse as it is (connectors.runtime) and
    #: report these as failed schema checks.
    mapping_problems: tuple[str, ...] = ()
    #: The first day after the last month of the monthly KPI summary (metrics.model.KPI_SUMMARY), as
    #: last read with the date bounds (connectors.queries.date_bounds); None: no summary in use, or
    #: not read yet. The KPI readers take whole months before it from the summary.
    summary_end: dt.date | None = None

    @property
    def has_summary(self) -> bool:
        """Whether the monthly KPI summary is in use (present and not switched off)."""
        return self.mapping.has(KPI_SUMMARY)

    def table(self, canonical: str) -> sa.Table:
        return self.metadata.tables[_key(self.mapping, canonical)]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


def _key(mapping: Mapping, canonical: str) -> str:
    tm = mapping.table(canonical)
    return f"{tm.schema}.{tm.name}" if tm.schema else tm.name


def build_tables(mapping: Mapping) -> sa.MetaData:
    """SQLAlchemy tables for the mapping: physical names, canonical column keys."""
    metadata = sa.MetaData()
    in_use = {name: columns for name, columns in OPTIONAL_TABLES.items() if mapping.has(name)}
    for canonical, columns in {**TABLES, **in_use}.items():
        tm = mapping.table(canonical)
        sa.Table(
            tm.name,
            metadata,
            *(
                sa.Column(tm.columns[c], _TYPES[COLUMN_KINDS[canonical][c]](), key=c)
                for c in columns
                if c not in tm.absent  # an optional column the warehouse lacks reads as its default
            ),
            schema=tm.schema,
        )
    return metadata


@dataclass(frozen=True)
class EmbeddedLimits:
    """What an embedded DuckDB warehouse may take of this process (MOT_DUCKDB_MEMORY_LIMIT,
    MOT_DUCKDB_THREADS). DuckDB's own defaults are 80% of the machine's memory and a thread per
    core: its buffer keeps table blocks it has read until that limit, so an app reading a large file
    grows towards it, and a check run's grouped full scan can take gigabytes. Bounded, DuckDB evicts
    cached blocks and spills large aggregations to disk (``<file>.tmp``) instead."""

    memory_limit: str = "256MB"
    threads: int = 2


def create_read_engine(url: str, limits: EmbeddedLimits | None = None) -> sa.Engine:
    """An engine for reading; the embedded DuckDB file is opened read-only, within ``limits``
    (default: EmbeddedLimits())."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise WarehouseError(
            tr("MOT_WAREHOUSE_URL {value} is not a SQLAlchemy URL. "
               "Use e.g. postgresql+psycopg://user@host/db or duckdb:///path/to/file.duckdb.").format(value=repr(url))
        ) from None
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "duckdb" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).exists():
            raise WarehouseError(
                tr("The DuckDB warehouse file {path} does not exist. Check the path in MOT_WAREHOUSE_URL "
                   "(unset, the app uses its generated demo).").format(path=repr(parsed.database))
            )
        connect_args["read_only"] = True
    try:
        # An embedded DuckDB has no network connection that could go stale: no ping per checkout.
        embedded = parsed.get_backend_name() == "duckdb"
        engine = sa.create_engine(url, connect_args=connect_args, pool_pre_ping=not embedded)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise WarehouseError(
            tr("Cannot use warehouse URL for dialect {dialect}: {reason}. Install that dialect's SQLAlchemy "
               "driver or check the URL.").format(dialect=repr(parsed.get_backend_name()), reason=exc)
        ) from None
    if embedded:
        _read_in_autocommit_with_cache(engine)
        limits = limits or EmbeddedLimits()

        def _configure(dbapi_connection: Any, _record: Any) -> None:
            _configure_duckdb(dbapi_connection, limits)

        sa.event.listen(engine, "connect", _configure)  # once, here: never per query or check run
    if parsed.get_backend_name() in SPARK_DIALECTS:
        raise_connect_errors_as_dbapi(engine)
    return engine


def _read_in_autocommit_with_cache(engine: sa.Engine) -> None:
    """Let the embedded DuckDB engine (only ever read, opened read-only) skip two per-call costs of
    duckdb-engine 0.17 that the driver's own cursor does not pay (#19: ours against the floor):

    - **No compiled cache**: its dialect sets ``supports_statement_cache = False``, so SQLAlchemy
      compiles every select anew (about 1 ms for a KPI statement). Its compiler is PostgreSQL's,
      which SQLAlchemy caches; our statements keep every value a bound parameter (IN lists are
      expanding parameters, rendered per execution), so one compiled form serves every call of the
      same shape (tests/test_sql_snapshots.py checks the SQL sent is the snapshot's).
    - **An explicit transaction per call**: its ``do_begin`` sends ``BEGIN`` and the pool's reset
      then a ``ROLLBACK`` (raising "no transaction is active" when there was none). A read-only
      file has nothing to roll back: each select runs in DuckDB's own autocommit, as on the
      driver's cursor.

    Only this engine's dialect changes (a subclass, same name and behaviour otherwise): engines
    that write DuckDB (the demo builder, tests) keep duckdb-engine's transactions.
    """
    base = type(engine.dialect)
    if base not in _READERS:
        _READERS[base] = _autocommit_reader(base)
    engine.dialect.__class__ = _READERS[base]


#: One reader subclass per dialect class, so every engine of a kind shares it.
_READERS: dict[type[sa.engine.Dialect], type[sa.engine.Dialect]] = {}


def _autocommit_reader(base: type[sa.engine.Dialect]) -> type[sa.engine.Dialect]:
    class AutocommitReader(base):  # type: ignore[valid-type,misc]
        supports_statement_cache = True

        def do_begin(self, dbapi_connection: Any) -> None:
            """Autocommit: DuckDB runs each statement in a transaction of its own."""

        def do_rollback(self, dbapi_connection: Any) -> None:
            """Nothing was begun, nothing is rolled back."""

        def do_commit(self, dbapi_connection: Any) -> None:
            """Nothing was begun, nothing is committed."""

    AutocommitReader.__name__ = AutocommitReader.__qualname__ = f"AutocommitReader{base.__name__}"
    return AutocommitReader


#: Engine events that see each statement: an engine with a listener for one of them reads through
#: SQLAlchemy (``reads_on_driver``), so what listens sees every statement.
_STATEMENT_EVENTS = ("before_execute", "after_execute", "before_cursor_execute", "after_cursor_execute")


def reads_on_driver(engine: sa.Engine) -> bool:
    """Whether connectors.queries may run a read's compiled SQL on the driver's cursor itself: the
    engine is the embedded DuckDB reader (no transaction, no network connection to lose, the same
    SQL as SQLAlchemy's) and nothing listens to or logs its statements (the benchmarks', tests' and
    any instrumentation's listeners get SQLAlchemy's path, and with it every statement)."""
    if type(engine.dialect) not in _READERS.values() or engine.echo:
        return False
    dispatch = engine.dispatch
    return not any(getattr(dispatch, event) for event in _STATEMENT_EVENTS)


def _configure_duckdb(dbapi_connection: Any, limits: EmbeddedLimits) -> None:
    """No progress bar (DuckDB draws one on the terminal for long reads, a check run's full scans),
    the memory and thread limits, and the allocator's background threads. Set with SET on each new
    connection rather than as connect options: a process that opens the same file twice with
    different options gets an error.

    DuckDB's own allocator (jemalloc) keeps the memory a statement freed until later allocations
    purge it; its background threads hand it back to the system while the app waits for the next
    request, as DuckDB documents for long-running processes. On the 100 M-row warehouse the app's
    RSS after each page was 10-25 MB lower and the Overview's, Review's and Budget's first runs
    peaked 5-50 MB lower (three interleaved server runs each; #19: memory)."""
    dbapi_connection.execute("SET enable_progress_bar = false")
    dbapi_connection.execute(f"SET memory_limit = '{limits.memory_limit}'")  # checked by settings
    dbapi_connection.execute(f"SET threads = {int(limits.threads)}")
    dbapi_connection.execute("SET allocator_background_threads = true")


def open_warehouse(
    url: str, mapping_path: Path | None, engine: sa.Engine | None = None,
    limits: EmbeddedLimits | None = None, *, kpi_summary: bool = True,
) -> Warehouse:
    """Connect, load the mapping and check it against the live warehouse. ``kpi_summary=False``
    (MOT_KPI_SUMMARY=off) leaves the monthly KPI summary unused even where the warehouse has it.

    Raises WarehouseError when the warehouse cannot be reached and MappingError when the mapping
    does not fit it; both carry messages meant for the person configuring the app.
    """
    mapping = load_mapping(mapping_path)
    engine = engine or create_read_engine(url, limits)
    try:
        problems = check_against(engine, mapping)
    except sa.exc.SQLAlchemyError as exc:
        reason = database_reason(exc)
        raise WarehouseError(
            tr("Cannot reach the warehouse at {url}: {reason}. Check that it is running, that "
               "MOT_WAREHOUSE_URL is right and that this machine may connect to it.").format(
                url=redact_url(url), reason=reason)
        ) from None
    if problems:
        raise MappingError(problems)
    mapping = fit_optional_columns(engine, mapping)
    if not kpi_summary:
        mapping = mapping.without_optional()
    return Warehouse(engine=engine, mapping=mapping, metadata=build_tables(mapping))


def without_summary(wh: Warehouse) -> Warehouse:
    """The same warehouse (engine shared) read without the monthly KPI summary: every KPI statement
    from the fact table (benchmarks compare the two)."""
    mapping = wh.mapping.without_optional()
    return replace(wh, mapping=mapping, metadata=build_tables(mapping), summary_end=None)


def redact_url(url: str) -> str:
    """The URL as it may be shown: without its password."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return tr("<invalid URL>")
