"""Canonical requests in, small aggregated frames out. The only place SQL is built for pages.

Every select is SQLAlchemy Core over ``Warehouse`` tables: identifiers come from the mapping and
are quoted by SQLAlchemy, every value is a bound parameter. Aggregation happens in the warehouse;
nothing here reads a fact table row by row.

Fact rows count only when their touchpoint exists (inner join to touchpoints), so a filtered and
an unfiltered figure are built from the same rows; orphan rows are a data-quality failure (checks/).
Date ranges are inclusive and applied half-open (``date >= start AND date < end + 1 day``) so that
DATE, TIMESTAMP and SQLite text columns all behave the same.

Each reader is split into a ``*_statement`` builder, which needs no connection, and the function
that runs it: tests/test_sql_snapshots.py compiles every builder per dialect and checks that the
readers send exactly that SQL. The aggregate readers build their select once per shape and bind
each request's values at execution (connectors/_shapes.py). The data-quality profiles live beside
this in profile_queries.py.

Row-level access: the KPI, funnel and budget readers take an optional ``AccessScope``
(connectors/access.py). Unless it reads everything, its touchpoints (and, for budget and funnel,
its journeys) become an expanding IN of bound values in the statement itself, so no page, URL or
export can ask for a row outside it. None (the service identity) reads everything.

The monthly KPI summary (metrics.model.KPI_SUMMARY, optional): a KPI statement reads it instead of
the fact table when, and only when, the answer is the same: the grain is month, quarter, year or the
whole range, the range is whole months (it starts on a 1st and ends the day before a 1st), and every
month of it is before ``Warehouse.summary_end`` (the summary's last month, read with the date bounds).
Its months are then grouped like dates; ``rows`` is the sum of its ``rows`` instead of a count. The
join to touchpoints, the filters and the scope are the same clauses. Otherwise: the fact table.
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from pandas.api.internals import create_dataframe_from_blocks

from connectors._shapes import MAX_SHAPES, Bound, Values, bind, shaped
from connectors._sql_periods import period_start
from connectors.access import AccessScope
from connectors.db_errors import database_reason
from connectors.warehouse import Warehouse, WarehouseError, reads_on_driver
from metrics.i18n import tr
from metrics.model import KPI_SUMMARY, OPTIONAL_COLUMNS, TABLES, Filters, Grain, KpiRequest, Scope

__all__ = ["BREAKDOWN_COLUMN", "budget_frame", "budget_statement", "date_bounds", "date_bounds_statement",
    "dimension_frame", "dimension_statement", "fact_date", "fact_rows", "funnel_frame", "funnel_statement",
    "kpi_frame", "kpi_keys", "kpi_personas_frame", "kpi_personas_statement", "kpi_source", "kpi_statement",
    "near_date_bounds_statement", "read_columns", "read_frame", "summary_answers", "summary_bounds_statement",
    "summary_cut"]

# DuckDB warns that Arrow from a DB-API cursor copies the rows once (read_columns' arrow_texts): the
# embedded reader's direct path fetches large results through a relation instead (_relation_arrow);
# through SQLAlchemy (statement listeners, tests) the copy is of the aggregated result.
warnings.filterwarnings("ignore", category=UserWarning,
                        message="Arrow output on a DB-API result")  # i18n: not shown

#: The touchpoints column a breakdown groups by.
BREAKDOWN_COLUMN: dict[Scope, str] = {
    Scope.JOURNEY: "journey_id",
    Scope.STAGE: "stage_id",
    Scope.TOUCHPOINT: "touchpoint_id",
    Scope.CHANNEL: "channel",
}


def read_frame(wh: Warehouse, statement: sa.Select[Any], *, columnar: bool = False) -> pd.DataFrame:
    """Execute a select and return its (small) result as a DataFrame with canonical names.

    ``columnar=True`` builds it from ``read_columns`` (whole columns where the driver hands them
    over); otherwise from the fetched rows.
    """
    if columnar:
        return pd.DataFrame(read_columns(wh, statement))
    columns, rows = _execute(wh, statement, None, columnar=False)
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def read_columns(wh: Warehouse, statement: sa.Select[Any], parameters: Mapping[str, Any] | None = None,
                 *, arrow_texts: bool = False) -> dict[str, Any]:
    """Execute a select (with ``parameters`` for its named bound parameters, if given) and return its
    result as whole columns by label, for the aggregate readers below, which build each frame once
    from them (a frame built and then reshaped costs about 0.5 ms per pandas step on results of a
    few hundred rows: #19, ours against the floor).

    A driver that can hand over whole columns does (DuckDB's ``fetchnumpy``: one array per column,
    no Python object per number, dates already datetime64, typed by ``_column``); measured with
    ``python -m benchmarks``: on a monthly per-touchpoint result of 9,000 rows this takes our path
    from 1.6x to within 1.1x of the driver's own fetchall. Other drivers fetch rows, and the columns
    are those of the DataFrame pandas builds from them (as pandas arrays).

    ``arrow_texts=True`` (readers whose text columns only go to ``_texts_in_arrow``/``_taken``): DuckDB
    hands the result over as Arrow, and each text column with a value stays an Arrow array (no Python
    str per cell: on the Overview's 486,000-row trend at 100 M rows those strings were most of the
    fetch); every other column comes out exactly as without it (``_arrow_columns``). On the embedded
    DuckDB reader, whose reads go to the driver's cursor (``_driver_plan``), only a shape whose last
    result was large is fetched so (``_DriverPlan.arrow_pays``)."""
    columns, fetched = _execute(wh, statement, parameters, columnar=True, arrow=arrow_texts)
    if isinstance(fetched, _Typed):
        return dict(fetched)
    if isinstance(fetched, dict):
        # In the select's order, as the driver names them: the labels result.keys() gave.
        return {c: _column(a) for c, a in zip(columns, fetched.values(), strict=True)}
    frame = pd.DataFrame([tuple(r) for r in fetched], columns=columns)
    return {c: frame[c].array for c in columns}


def _execute(wh: Warehouse, statement: sa.Select[Any], parameters: Mapping[str, Any] | None, *,
             columnar: bool, arrow: bool = False) -> tuple[list[str], Any]:
    """The result's labels and either the driver's columns (a dict of arrays, or with ``arrow`` a
    ``_Typed`` dict of ``_arrow_columns``) or its rows.

    A shape's select with its values on the embedded DuckDB reader goes straight to the driver's
    cursor (``_driver_plan``), as the benchmark's floor does; everything else through SQLAlchemy."""
    plan = _driver_plan(wh, statement) if columnar and parameters is not None else None
    direct = plan.sql(parameters) if plan is not None and parameters is not None else None
    try:
        if plan is not None and direct is not None:
            sql, values = direct
            raw = wh.engine.raw_connection()
            try:
                cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
                if arrow and plan.arrow_pays():
                    columns, fetched = _relation_arrow(cursor, sql, values)
                else:
                    cursor.execute(sql, values)
                    columns = [d[0] for d in cursor.description]
                    fetched = _fetched(cursor, columns, False, None)
            finally:
                raw.close()
            plan.rows = len(next(iter(fetched.values()))) if isinstance(fetched, dict) and fetched else None
            return columns, fetched
        with wh.engine.connect() as connection:
            result = connection.execute(statement, parameters)
            columns = list(result.keys())
            return columns, _fetched(result.cursor, columns, arrow if columnar else None, result)
    except sa.exc.SQLAlchemyError as exc:
        reason = database_reason(exc)
    except Exception as exc:  # the driver's own error, from the direct path only
        if direct is None or not isinstance(exc, wh.engine.dialect.loaded_dbapi.Error):
            raise
        reason = database_reason(exc)
    raise WarehouseError(tr("The warehouse could not answer a query: {reason}").format(
        reason=reason)) from None


def _fetched(cursor: Any, columns: list[str], arrow: bool | None, result: sa.CursorResult[Any] | None) -> Any:
    """What ``_execute`` returns of an executed statement: with ``arrow`` None its rows (from
    ``result``), else whole columns where the driver hands them over (rows otherwise)."""
    # By name: a result whose names repeat (none of ours, they are labelled) fetches rows.
    distinct = arrow is not None and len(set(columns)) == len(columns)
    fetch_table = getattr(cursor, "to_arrow_table", None) if arrow and distinct else None
    if fetch_table is not None:
        return _Typed(zip(columns, _arrow_columns(cursor, fetch_table()), strict=True))
    fetch_arrays = getattr(cursor, "fetchnumpy", None) if distinct else None
    if fetch_arrays is not None:
        return fetch_arrays()
    return result.fetchall() if result is not None else cursor.fetchall()


def _relation_arrow(cursor: Any, sql: str, values: list[Any]) -> tuple[list[str], Any]:
    """A large result of the embedded DuckDB reader as Arrow (``_arrow_columns``), through DuckDB's
    relation (``cursor.sql``): its chunks go straight into the Arrow table. Executed as a DB-API
    statement first, DuckDB materialises the whole result and then copies it into Arrow (DuckDB 2
    warns so): on My touchpoints' 411,210-row result at 100 M fact rows that copy was 30-50 MB more
    at the statement's peak and 30-40 MB more kept by the allocators after it (#19: memory)."""
    relation = cursor.sql(sql, params=values)
    columns = list(relation.columns)
    if len(set(columns)) != len(columns):  # by name, as _fetched: fetch rows
        cursor.execute(sql, values)
        return columns, _fetched(cursor, columns, False, None)
    return columns, _Typed(zip(columns, _arrow_columns(cursor, relation.to_arrow_table()), strict=True))


#: Where a warehouse's tables keep each shape's driver SQL (``MetaData.info``, beside the shapes).
_DRIVER_KEY = "driver_sql"


class _DriverPlan:
    """A shape's select compiled once for the reader's dialect, and per length of each IN list the
    SQL text and where each positional value comes from (SQLAlchemy's own expansion, done once)."""

    def __init__(self, select: sa.Select[Any], dialect: sa.Dialect) -> None:
        self.compiled = select.compile(dialect=dialect)
        self.expanding = [b.key for b in self.compiled.post_compile_params]
        self.by_lengths: dict[tuple[int, ...], tuple[str, list[tuple[Any, ...]]]] = {}
        #: Rows of this shape's last result (None: not read yet).
        self.rows: int | None = None

    def arrow_pays(self) -> bool:
        """Whether to fetch as Arrow (``read_columns(arrow_texts=True)``): DuckDB hands a DB-API result
        over as Arrow through a second statement (about 0.4 ms of CPU), which the text columns' Python
        strings cost only from a few thousand rows on (measured on the benchmark pages at 1 M and
        10 M rows: Arrow slower up to ~3,000 rows, faster from ~4,500). Decided by the shape's last
        result, Arrow until there is one; the columns come out the same either way."""
        return self.rows is None or self.rows >= _ARROW_ROWS

    def usable(self) -> bool:
        """Positional parameters, as the DuckDB driver takes them, and IN lists; a literal rendered
        at execution (``literal_execute``: period_start's grain name) only with its value fixed in
        the shape, so that the SQL text is the same for every request of the shape."""
        c = self.compiled
        return bool(c.positional and not c.escaped_bind_names and not c.schema_translate_map
                    and all(b.expanding for b in c.post_compile_params)
                    and all(not b.required and b.value is not None for b in c.literal_execute_params))

    def sql(self, values: Mapping[str, Any]) -> tuple[str, Any] | None:
        """The SQL text and positional values for ``values``; None when a value would change the
        SQL text beyond its IN lists (SQLAlchemy's path then takes it)."""
        lengths = tuple(len(values[k]) for k in self.expanding)
        found = self.by_lengths.get(lengths)
        if found is None:
            if any(b.key in values for b in self.compiled.literal_execute_params):
                return None
            try:
                found = self.by_lengths[lengths] = self._expand(values)
            except (AttributeError, TypeError):  # SQLAlchemy's private expansion changed: its path serves
                return None
        text, sources = found
        params = [(values[key] if index is None else values[key][index]) if fixed is _NO_VALUE else fixed
                  for key, index, fixed, _ in sources]
        params = [p if process is None else process(p)
                  for p, (_, _, _, process) in zip(params, sources, strict=True)]
        return text, self.compiled.dialect.execute_sequence_format(params)

    def _expand(self, values: Mapping[str, Any]) -> tuple[str, list[tuple[Any, ...]]]:
        """SQLAlchemy's expansion for these lengths (as at execution: ``DefaultExecutionContext``)."""
        compiled = self.compiled
        params = compiled.construct_params(dict(values), escape_names=False)
        state = compiled._process_parameters_for_postcompile(params)
        element = {name: (key, i) for key, names in state.parameter_expansion.items()
                   for i, name in enumerate(names)}
        processors = {**compiled._bind_processors, **state.processors}
        sources: list[tuple[Any, ...]] = []
        for name in state.positiontup or ():
            key, index = element.get(name, (name, None))
            fixed = _NO_VALUE if key in values else params[name]
            sources.append((key, index, fixed, processors.get(name)))
        return state.statement, sources


_NO_VALUE = object()
#: From this many rows in a shape's last result, its text columns are fetched as Arrow (arrow_pays).
_ARROW_ROWS = 4000


def _driver_plan(wh: Warehouse, select: sa.Select[Any]) -> _DriverPlan | None:
    """How to hand a shape's select (connectors/_shapes.py) straight to the driver, when the engine
    is the embedded DuckDB reader and nothing listens to or logs its statements
    (connectors.warehouse.reads_on_driver); else None.

    Executing the SQL and values SQLAlchemy would send on the driver's cursor skips SQLAlchemy's
    per-execution work (execution context, IN-list expansion, result object: about 0.8 ms of CPU a
    call at 1 M rows, #19); tests/test_columnar_reads.py holds the two to the same SQL and values."""
    if not reads_on_driver(wh.engine):
        return None
    plans: dict[int, tuple[sa.Select[Any], _DriverPlan | None]] = wh.metadata.info.setdefault(_DRIVER_KEY, {})
    found = plans.get(id(select))
    if found is None or found[0] is not select:
        if len(plans) >= 4 * MAX_SHAPES:
            plans.clear()
        try:
            made: _DriverPlan | None = _DriverPlan(select, wh.engine.dialect)
            made = made if made is not None and made.usable() else None
        except AttributeError:  # a SQLAlchemy whose compiler lacks what the plan reads: its path serves
            made = None
        found = plans[id(select)] = (select, made)
    return found[1]


class _Typed(dict[str, Any]):
    """Fetched columns already typed as ``read_columns`` returns them (``_arrow_columns``)."""


def _arrow_columns(cursor: Any, table: pa.Table) -> list[Any]:
    """DuckDB's Arrow result with each text column that has a value as one Arrow array, and every
    other column exactly as ``fetchnumpy`` and ``_column`` make it (``_plain_column``); a column of
    any other type is handed back to the same DuckDB connection (a scan of the Arrow buffers) and
    fetched with ``fetchnumpy``, so DECIMAL and HUGEINT become float64 by DuckDB's own casts. An
    empty or all-NULL text column is fetched that way too (``_arrow_text`` leaves those as they are)."""
    arrays: list[Any] = [None] * table.num_columns
    rest = []
    for i, column in enumerate(table.columns):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            arrays[i] = column.combine_chunks() if column.null_count < len(column) else None
        else:
            arrays[i] = _plain_column(column)
        if arrays[i] is None:
            rest.append(i)
    if rest:
        numpy = cursor.from_arrow(table.select(rest)).fetchnumpy()
        for i, values in zip(rest, numpy.values(), strict=True):
            arrays[i] = _column(values)
    return arrays


def _plain_column(column: pa.ChunkedArray) -> Any:
    """A float64, integer, boolean or date column as ``_column`` types DuckDB's ``fetchnumpy`` of it
    (which masks a column only when it holds a NULL); None for any other type."""
    kind, nulls = column.type, column.null_count
    if kind == pa.float64():
        return column.to_numpy()  # NULL as NaN
    if pa.types.is_date32(kind):
        return column.to_numpy().astype("datetime64[s]")  # NULL as NaT
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        if not nulls:
            return column.to_numpy()
        data = column.fill_null(False if pa.types.is_boolean(kind) else 0).to_numpy()
        mask = column.is_null().to_numpy()
        if data.dtype.kind == "b":
            return pd.arrays.BooleanArray(data, mask)
        return pd.arrays.IntegerArray(data, mask)
    return None


def _column(values: np.ndarray) -> Any:
    """One fetched column as DuckDB's own ``fetchdf`` would type it, without its per-column
    masking step (a Series assignment for every column with a NULL, ~0.5 ms each): dates as
    datetime64[s] (the unit pd.to_datetime gives the date objects other drivers return), a NULL
    number as NaN (whole numbers as nullable Int64), a NULL date as NaT, a NULL text as missing."""
    if values.dtype.kind == "M":
        values = values.astype("datetime64[s]")
    if not isinstance(values, np.ma.MaskedArray):
        return values
    mask = np.ma.getmaskarray(values)
    data = values.data
    if data.dtype.kind == "b":
        return pd.arrays.BooleanArray(data, mask)
    if data.dtype.kind in "iu":
        return pd.arrays.IntegerArray(data, mask)
    kind = data.dtype.kind
    missing: Any = {"f": np.nan, "M": np.datetime64("NaT", "s"), "m": np.timedelta64("NaT")}.get(kind)
    filled = data.copy() if missing is not None or kind == "O" else data.astype(object)
    filled[mask] = missing
    return filled


#: The touchpoint filters of a request in the order of their clauses: (Filters field, column).
_FILTERS = (("journey_ids", "journey_id"), ("stage_ids", "stage_id"), ("touchpoint_ids", "touchpoint_id"),
            ("channels", "channel"), ("owners", "owner"))


def _range_values(values: Values, base: str, start: dt.date, end: dt.date) -> tuple[str, str]:
    """The parameter names of an inclusive date range's bounds: its first day and the day after
    its last (applied half-open)."""
    return values.add(base, start), values.add(base, end + dt.timedelta(days=1))


def _date_range(column: sa.ColumnElement[Any], names: tuple[str, str]) -> sa.ColumnElement[bool]:
    return sa.and_(column >= bind(names[0], column), column < bind(names[1], column))


def _filter_values(values: Values, filters: Filters) -> list[tuple[str, str]]:
    """(column, parameter name) of each id filter the request sets; its ids go into ``values``."""
    return [(column, values.add(column, list(getattr(filters, field))))
            for field, column in _FILTERS if getattr(filters, field)]


def _touchpoint_filters(tp: sa.FromClause, named: list[tuple[str, str]],
                        moment_of_truth: bool | None) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = [_in(tp.c[column], name) for column, name in named]
    if moment_of_truth is not None:
        clauses.append(
            tp.c.moment_of_truth == sa.true()
            if moment_of_truth
            else sa.or_(tp.c.moment_of_truth == sa.false(), tp.c.moment_of_truth.is_(None))
        )
    return clauses


def _in(column: sa.ColumnElement[Any], name: str) -> sa.ColumnElement[bool]:
    """``column IN (...)`` over one named expanding bound parameter."""
    return column.in_(bind(name, column, expanding=True))


def _scope_values(values: Values, scope: AccessScope | None) -> bool:
    """Whether the scope limits the touchpoints read; if so its ids go into ``values``."""
    if scope is None or scope.everything:
        return False
    values.named("scope_touchpoint_ids", sorted(scope.touchpoint_ids))
    return True


def _scope_clauses(tp: sa.Table, scoped: bool) -> list[sa.ColumnElement[bool]]:
    return [_in(tp.c.touchpoint_id, "scope_touchpoint_ids")] if scoped else []


def _kpi_filters(values: Values, request: KpiRequest, scope: AccessScope | None
                 ) -> Callable[[sa.FromClause, sa.Table], list[sa.ColumnElement[bool]]]:
    """A KPI request's KPIs, touchpoint filters and scope: their values go into ``values`` (in
    this order, after the dates); returns the clauses over the fact and touchpoint tables."""
    kpi_ids = values.add("kpi_id", list(request.kpi_ids))
    filters = _filter_values(values, request.filters)
    scoped = _scope_values(values, scope)

    def clauses(fact: sa.FromClause, tp: sa.Table) -> list[sa.ColumnElement[bool]]:
        return [_in(fact.c.kpi_id, kpi_ids),
                *_touchpoint_filters(tp, filters, request.filters.moment_of_truth),
                *_scope_clauses(tp, scoped)]
    return clauses


def kpi_keys(request: KpiRequest, fact: sa.FromClause, tp: sa.FromClause) -> list[sa.ColumnElement[Any]]:
    """The grouping columns of a KPI request: period start (unless one period), breakdown, KPI.
    ``fact`` is the fact table or the monthly summary (its ``month`` is its date)."""
    keys: list[sa.ColumnElement[Any]] = []
    if request.grain is not Grain.PERIOD:
        keys.append(period_start(request.grain, fact_date(fact)).label("period_start"))
    if request.by is not Scope.ALL:
        keys.append(tp.c[BREAKDOWN_COLUMN[request.by]].label(BREAKDOWN_COLUMN[request.by]))
    keys.append(fact.c.kpi_id.label("kpi_id"))
    return keys


#: Grains whose periods are whole months: a statement of such a grain may read the monthly summary.
_MONTHLY_GRAINS = frozenset({Grain.MONTH, Grain.QUARTER, Grain.YEAR, Grain.PERIOD})


def summary_answers(wh: Warehouse, grain: Grain, spans: list[tuple[dt.date, dt.date]]) -> bool:
    """Whether the monthly summary gives the same answer as the fact table for a KPI statement of
    ``grain`` over these inclusive date ranges: each is whole months, before the summary's end."""
    end = wh.summary_end
    if end is None or grain not in _MONTHLY_GRAINS or not wh.has_summary:
        return False
    return all(start.day == 1 and (last + dt.timedelta(days=1)).day == 1 and last < end
               for start, last in spans)


def summary_cut(wh: Warehouse, grain: Grain, spans: list[tuple[dt.date, dt.date]]) -> dt.date | None:
    """Where ``summary_answers`` does not hold for a KPI statement of a monthly ``grain`` over these
    inclusive date ranges, the first day of the month from which it reads the fact table, the
    summary answering every month before it; None when no month before it would come from the
    summary. Every range's start and the day after its end that is not a month's first day, and the
    summary's end, are on or after that day: year and quarter to date (the Trends pacing), a window
    ending today, a range past the summary's last month (#19: memory, DuckDB's buffer)."""
    end = wh.summary_end
    if end is None or grain not in _MONTHLY_GRAINS or not wh.has_summary or not spans \
            or summary_answers(wh, grain, spans):
        return None
    bounds = [start for start, _ in spans] + [last + dt.timedelta(days=1) for _, last in spans]
    cut = min([end, *(dt.date(b.year, b.month, 1) for b in bounds if b.day != 1)])
    return cut if cut > min(start for start, _ in spans) else None


def kpi_source(wh: Warehouse, summary: bool, cut: str | None = None) -> sa.FromClause:
    """What a KPI statement aggregates: the fact table, the monthly summary, or with ``cut`` (the
    parameter name of ``summary_cut``'s day) the summary's months before it and the fact rows from it
    on, as one derived table with the summary's columns (each fact row one of its ``rows``)."""
    if cut is None:
        return wh.table(KPI_SUMMARY if summary else "touchpoint_kpis")
    months, days = wh.table(KPI_SUMMARY), wh.table("touchpoint_kpis")
    measures = ("touchpoint_id", "kpi_id", "numerator", "denominator")
    return sa.union_all(
        sa.select(months.c.month.label("month"), *(months.c[c].label(c) for c in measures),
                  months.c.rows.label("rows"))
        .where(months.c.month < bind(cut, months.c.month)),
        sa.select(days.c.date.label("month"), *(days.c[c].label(c) for c in measures),
                  sa.literal_column("1", sa.BigInteger).label("rows"))
        .where(days.c.date >= bind(cut, days.c.date)),
    ).subquery("kpi_rows")  # i18n: not shown (an SQL alias)


def fact_date(fact: sa.FromClause) -> sa.ColumnElement[Any]:
    """The date column of ``kpi_source``'s table: the fact table's date, the summary's month."""
    return fact.c.month if "rows" in fact.c else fact.c.date


def fact_rows(fact: sa.FromClause,
              when: Callable[[sa.ColumnElement[Any]], sa.ColumnElement[Any]] | None = None
              ) -> sa.ColumnElement[Any]:
    """How many fact rows a group holds (only those ``when`` keeps): a count of fact rows, or the
    sum of the summary's ``rows``."""
    if "rows" in fact.c:  # a whole number as count() gives (a sum of BIGINT is HUGEINT or NUMERIC)
        return sa.cast(sa.func.sum(fact.c.rows if when is None else when(fact.c.rows)), sa.BigInteger)
    return sa.func.count() if when is None else sa.func.count(when(fact.c.date))


def _cut_value(values: Values, wh: Warehouse, summary: bool, grain: Grain,
               spans: list[tuple[dt.date, dt.date]]) -> str | None:
    """The parameter name of ``summary_cut``'s day (its value goes into ``values``), or None."""
    cut = None if summary else summary_cut(wh, grain, spans)  # summary_answers: the summary alone
    return None if cut is None else values.named("summary_cut", cut)


def kpi_statement(wh: Warehouse, request: KpiRequest, scope: AccessScope | None = None) -> sa.Select[Any]:
    """The aggregate select behind ``kpi_frame``; exposed for benchmarks and SQL snapshots."""
    return _kpi_bound(wh, request, scope).statement()


def _kpi_bound(wh: Warehouse, request: KpiRequest, scope: AccessScope | None) -> Bound:
    values = Values()
    dates = _range_values(values, "date", request.start, request.end)
    filtered = _kpi_filters(values, request, scope)
    summary = summary_answers(wh, request.grain, [(request.start, request.end)])
    cut = _cut_value(values, wh, summary, request.grain, [(request.start, request.end)])

    def build() -> sa.Select[Any]:
        fact = kpi_source(wh, summary, cut)
        tp = wh.table("touchpoints")
        keys = kpi_keys(request, fact, tp)
        return (
            sa.select(
                *keys,
                sa.func.sum(fact.c.numerator).label("numerator"),
                sa.func.sum(fact.c.denominator).label("denominator"),
                fact_rows(fact).label("rows"),
            )
            .select_from(fact.join(tp, fact.c.touchpoint_id == tp.c.touchpoint_id))
            .where(
                _date_range(fact_date(fact), dates),
                *filtered(fact, tp),
            )
            .group_by(*keys)
        )

    key = ("kpi", summary, request.grain, request.by, request.filters.moment_of_truth, *values)
    return Bound(shaped(wh.metadata, key, build), values)


def kpi_frame(wh: Warehouse, request: KpiRequest, scope: AccessScope | None = None) -> pd.DataFrame:
    """KPI numerators and denominators aggregated in the warehouse.

    Columns: period_start (datetime64; the request's start for Grain.PERIOD), the breakdown
    column if any (journey_id, stage_id, touchpoint_id or channel), kpi_id, numerator,
    denominator, rows. Values are computed by ``metrics.registry.compute_values``.
    """
    if not request.kpi_ids:
        raise ValueError("a KPI request needs at least one KPI")  # i18n: not shown (a developer error)
    bound = _kpi_bound(wh, request, scope)
    return _kpi_shape(read_columns(wh, bound.select, bound.values, arrow_texts=True), request, request.start)


def _kpi_shape(read: dict[str, Any], request: KpiRequest, start: dt.date,
               lead: tuple[str, np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """kpi_frame's columns, types and order from the warehouse's aggregate columns (read_columns),
    assembled once from whole columns taken in sorted order (no sort over a frame, no column
    inserted after).

    ``lead`` (name, rank, values) puts a first column before kpi_frame's, its rows ordered by
    ``rank`` first (kpi_personas_frame: the persona, in the mapping's order)."""
    if request.grain is not Grain.PERIOD:
        read["period_start"] = _as_datetime(read["period_start"])
    read = _texts_in_arrow(read)  # once: the keys are sorted, then every column taken
    # One constant period_start needs no sorting.
    first = "period_start" if request.grain is not Grain.PERIOD else None
    keys = [read[c] for c in (first, BREAKDOWN_COLUMN.get(request.by), "kpi_id") if c]
    order = _sort_order([lead[1], *keys] if lead is not None else keys)
    columns: dict[str, Any] = {}
    if lead is not None:
        columns[lead[0]] = lead[2][order]
    if request.grain is Grain.PERIOD:
        columns["period_start"] = pd.Timestamp(start)  # broadcast over the index below
    for name, values in read.items():
        columns[name] = _taken(values, order)
    for name in ("numerator", "denominator"):
        columns[name] = _as_float(columns[name])
    columns["rows"] = _as_int64(columns["rows"])
    return _frame(columns, len(order))


def _frame(columns: dict[str, Any], rows: int) -> pd.DataFrame:
    """The reader's frame from its columns, each a new array of its own: taken over as they are
    (no copy; a copy was a third of building the frame).

    It is the frame ``pd.DataFrame(columns, index=pd.RangeIndex(rows), copy=False)`` gives, one block
    per column as there, built from the blocks directly (pandas' ``create_dataframe_from_blocks``,
    with the column labels' Index made once per set of labels: a third of the constructor's cost on
    a reader's few hundred rows, #19). A ``pd.Timestamp`` is broadcast as datetime64 of its unit, and
    an object column of text (missing values allowed) becomes the ``str`` array the constructor
    infers for it. Any other column, or one of another length, leaves the frame to the constructor."""
    blocks: list[tuple[Any, np.ndarray]] = []
    for i, values in enumerate(columns.values()):
        if isinstance(values, pd.Timestamp):
            values = np.full(rows, values.to_datetime64())
        elif isinstance(values, np.ndarray) and values.dtype == object:
            text = _arrow_text(values)
            values = None if text is None else pd.array(text, dtype=_STR)
        if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "biufM":
            values = values.reshape(1, -1)  # a numpy block is (columns, rows): a view
        elif type(values) not in _STORED:
            return pd.DataFrame(columns, index=pd.RangeIndex(rows), copy=False)
        if values.shape[-1] != rows:
            return pd.DataFrame(columns, index=pd.RangeIndex(rows), copy=False)
        blocks.append((values, np.array([i], dtype=np.intp)))
    return create_dataframe_from_blocks(blocks, pd.RangeIndex(rows), _labels(tuple(columns)).view())


#: pandas' text dtype (``dtype="str"``), looked up once: finding it by name asks every registered dtype.
_STR = pd.api.types.pandas_dtype("str")

#: The pandas arrays a reader's columns come as, which a frame stores as they are (``_frame``).
_STORED = frozenset({pd.arrays.ArrowStringArray, pd.arrays.DatetimeArray, pd.arrays.IntegerArray,
                     pd.arrays.BooleanArray, pd.arrays.FloatingArray})


@functools.lru_cache(maxsize=256)
def _labels(names: tuple[str, ...]) -> pd.Index:
    """The column Index of these labels (each frame gets a view of it: its own name, the same
    labels), made once: inferring it as text is most of what an Index of a few labels costs."""
    return pd.Index(list(names))


def _as_datetime(values: Any) -> Any:
    """A fetched date column as datetime64 (pd.to_datetime's unit), as an array; a datetime64 numpy
    array (DuckDB's, typed by ``_column``) is one already and is returned as it is."""
    if (isinstance(values, np.ndarray) and values.dtype.kind == "M"
            and np.datetime_data(values.dtype)[0] in ("s", "ms", "us", "ns")):  # units pandas keeps
        return values
    return pd.to_datetime(values).array


def _as_int64(values: Any) -> Any:
    """A fetched count column as int64; an int64 numpy array is returned as it is."""
    if isinstance(values, np.ndarray) and values.dtype == "int64":
        return values
    return pd.to_numeric(values).astype("int64")


def _sort_order(keys: list[Any]) -> np.ndarray:
    """Row positions that sort by ``keys`` (columns of equal length, the first the primary),
    each ascending with missing values last: the order ``DataFrame.sort_values`` gives (its
    multi-key sort also ranks each key by its sorted distinct values), from one stable sort of
    integer codes instead of a sort over a frame. Stable for equal keys."""
    codes, sizes = [], []
    for values in keys:
        code, distinct = _sorted_codes(values)
        codes.append(np.where(code < 0, distinct, code))
        sizes.append(distinct + 1)
    if not codes:
        return np.arange(0)
    if np.prod(np.array(sizes, dtype=float)) >= 2.0**62:  # too many for one int64 code per row
        return np.lexsort(codes[::-1])  # np.lexsort's primary key is its last
    combined = np.zeros(len(codes[0]), dtype=np.int64)
    for code, size in zip(codes, sizes, strict=True):
        combined = combined * size + code
    return _stable_argsort(combined, float(np.prod(np.array(sizes, dtype=float))))


def _stable_argsort(codes: np.ndarray, bound: float) -> np.ndarray:
    """``np.argsort(codes, kind="stable")`` for codes from 0 to below ``bound``: under 2**48, as
    16 bits at a time from the lowest (NumPy sorts 16-bit integers stably by radix: on 486,000
    monthly rows two passes take a quarter of one stable sort of int64)."""
    if bound >= 2.0**48:
        return np.argsort(codes, kind="stable")
    order = np.arange(len(codes))
    shift = 0
    while shift == 0 or bound > 2.0**shift:
        digit = ((codes[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def _sorted_codes(values: Any) -> tuple[np.ndarray, int]:
    """Each value's rank among the sorted distinct values (-1 for missing) and how many there are."""
    text = values if isinstance(values, pa.Array) else _arrow_text(values)
    if text is not None:
        # Text by code point, as Python sorts it: Arrow encodes the column (a fifth of pd.factorize's
        # time on Python strings), Python sorts the few distinct values.
        encoded = text if isinstance(text, pa.DictionaryArray) else text.dictionary_encode()
        distinct = encoded.dictionary.to_pylist()
        rank = np.empty(len(distinct), dtype=np.int64)
        rank[sorted(range(len(distinct)), key=distinct.__getitem__)] = np.arange(len(distinct))
        if not encoded.indices.null_count:  # no missing value: the indices as they are
            return rank[encoded.indices.to_numpy()], len(distinct)
        missing = np.asarray(encoded.indices.is_null())
        code = rank[np.asarray(encoded.indices.fill_null(0)).astype(np.int64)]
        return np.where(missing, -1, code), len(distinct)
    if not isinstance(values, np.ndarray) and values.dtype.kind not in "biufcmM":
        # Text as Python strings: sorting them is a fifth of sorting Arrow strings on small
        # results, and both order by code point. Missing values stay missing.
        values = values.to_numpy(dtype=object)
    code, uniques = pd.factorize(values, sort=True)
    return code, len(uniques)


def _arrow_text(values: Any) -> pa.Array | None:
    """A fetched column of Python strings (missing as None or NaN) as an Arrow text array; None for
    any other column. pandas types such a column as text (``str``)."""
    if not (isinstance(values, np.ndarray) and values.dtype == object and len(values)):
        return None
    if pd.api.types.infer_dtype(values, skipna=True) != "string":
        return None
    return pa.array(values, type=pa.large_string(), from_pandas=True)


def _texts_in_arrow(columns: dict[str, Any]) -> dict[str, Any]:
    """The fetched columns with each column of Python strings as its Arrow text array (``_arrow_text``),
    and each Arrow text array (``read_columns(arrow_texts=True)``) as it is, dictionary-encoded with a
    ``large_string`` dictionary (the type ``_arrow_text`` gives), converted and encoded once for both
    ``_sort_order`` (which ranks the codes) and ``_taken`` (which takes the codes, then the few
    distinct strings: a take of the strings themselves was twice as long on 486,000 rows); other
    columns as they are."""
    return {name: _encoded(values) for name, values in columns.items()}


def _encoded(values: Any) -> Any:
    """``_texts_in_arrow`` for one column."""
    if isinstance(values, pa.DictionaryArray):
        return values
    if isinstance(values, np.ndarray) and values.dtype == object:
        return _encoded_strings(values)
    text = values if isinstance(values, pa.Array) else _arrow_text(values)
    if text is None:
        return values
    encoded = text.dictionary_encode()
    if encoded.dictionary.type == pa.large_string():
        return encoded
    return pa.DictionaryArray.from_arrays(encoded.indices, encoded.dictionary.cast(pa.large_string()))


def _encoded_strings(values: np.ndarray) -> Any:
    """``_encoded`` for an object column (DuckDB's ``fetchnumpy`` of a small result): its distinct
    values found by ``pd.factorize`` (one pass over the Python strings) and only those converted to
    Arrow, instead of converting every string and encoding the Arrow column (three passes, each with
    Arrow's own fixed cost). Text exactly when ``_arrow_text`` would take it: the values that are not
    missing (None, NaN) are all strings, and there is one."""
    codes, distinct = pd.factorize(values)
    if not len(distinct) or pd.api.types.infer_dtype(distinct, skipna=True) != "string":
        return values
    missing = codes < 0
    indices = pa.array(codes.astype(np.int32), mask=missing if missing.any() else None)
    return pa.DictionaryArray.from_arrays(indices, pa.array(distinct, type=pa.large_string()))


def _taken(values: Any, positions: np.ndarray) -> Any:
    """``values.take(positions)``; a column of Python strings (or its Arrow text array, or that
    dictionary-encoded) as the text array pandas would make of it, taken in Arrow (pandas checks
    each string of an object column it types as text: 0.2 s per 486,000 rows, against 0.03 s
    through Arrow)."""
    text = values if isinstance(values, pa.Array) else _arrow_text(values)
    if text is None:
        return values.take(positions)
    if isinstance(text, pa.DictionaryArray):
        return pd.array(text.dictionary.take(text.indices.take(pa.array(positions))), dtype=_STR)
    return pd.array(text.take(pa.array(positions)), dtype=_STR)


def kpi_personas_statement(
    wh: Warehouse, request: KpiRequest, personas: Mapping[str, tuple[str, ...]],
    scope: AccessScope | None = None,
) -> sa.Select[Any]:
    """The select behind ``kpi_personas_frame``: kpi_statement's aggregate for several personas at
    once, grouped by a ``persona`` column first.

    The touchpoints are labelled in a derived table (``CASE WHEN journey_id IN (persona i's
    journeys) THEN persona i``, one label per touchpoint, not per fact row) that also carries the
    request's filters and the access scope; the fact rows join it and are grouped by its plain
    ``persona`` column. Grouping by a column, not by the CASE itself, keeps bound values out of
    GROUP BY (PostgreSQL with server-side parameters would not match them with the select list's).
    A journey listed for two personas counts for the first.
    """
    return _kpi_personas_bound(wh, request, personas, scope).statement()


def _kpi_personas_bound(wh: Warehouse, request: KpiRequest, personas: Mapping[str, tuple[str, ...]],
                        scope: AccessScope | None) -> Bound:
    if not personas or not all(personas.values()):
        raise ValueError(  # i18n: not shown (a developer error)
            "a personas query needs personas, each with journeys")
    values = Values()
    labels = [(values.named(f"persona_{i}_journey_ids", sorted(ids)), values.named(f"persona_{i}", name))
              for i, (name, ids) in enumerate(personas.items())]
    every = values.named("persona_journey_ids", sorted({j for ids in personas.values() for j in ids}))
    filters = _filter_values(values, request.filters)
    scoped = _scope_values(values, scope)
    dates = _range_values(values, "date", request.start, request.end)
    kpi_ids = values.add("kpi_id", list(request.kpi_ids))
    moment_of_truth = request.filters.moment_of_truth
    summary = summary_answers(wh, request.grain, [(request.start, request.end)])
    cut = _cut_value(values, wh, summary, request.grain, [(request.start, request.end)])

    def build() -> sa.Select[Any]:
        fact = kpi_source(wh, summary, cut)
        tp = wh.table("touchpoints")
        whens = [(_in(tp.c.journey_id, ids), sa.bindparam(name, type_=sa.String, required=True))
                 for ids, name in labels]
        carried = {"touchpoint_id", BREAKDOWN_COLUMN.get(request.by, "touchpoint_id")}
        labelled = (
            sa.select(*(tp.c[c].label(c) for c in sorted(carried)), sa.case(*whens).label("persona"))
            .where(_in(tp.c.journey_id, every), *_touchpoint_filters(tp, filters, moment_of_truth),
                   *_scope_clauses(tp, scoped))
            .subquery("persona_touchpoints")  # i18n: not shown (an SQL alias)
        )
        keys = [labelled.c.persona, *kpi_keys(request, fact, labelled)]
        return (
            sa.select(
                *keys,
                sa.func.sum(fact.c.numerator).label("numerator"),
                sa.func.sum(fact.c.denominator).label("denominator"),
                fact_rows(fact).label("rows"),
            )
            .select_from(fact.join(labelled, fact.c.touchpoint_id == labelled.c.touchpoint_id))
            .where(_date_range(fact_date(fact), dates), _in(fact.c.kpi_id, kpi_ids))
            .group_by(*keys)
        )

    key = ("personas", summary, request.grain, request.by, moment_of_truth, *values)
    return Bound(shaped(wh.metadata, key, build), values)


def kpi_personas_frame(
    wh: Warehouse, request: KpiRequest, personas: Mapping[str, tuple[str, ...]],
    scope: AccessScope | None = None,
) -> pd.DataFrame:
    """``kpi_frame`` for each persona (the request filtered to the persona's journey ids) from one
    statement (#19: round trips).

    Columns: persona (a key of ``personas``), then kpi_frame's columns; rows persona by persona in
    the mapping's order, each persona's rows equal to ``kpi_frame`` with ``journey_ids`` its journeys
    (a persona without rows has none).
    """
    if not request.kpi_ids:
        raise ValueError("a KPI request needs at least one KPI")  # i18n: not shown (a developer error)
    bound = _kpi_personas_bound(wh, request, personas, scope)
    read = read_columns(wh, bound.select, bound.values)
    names = list(personas)
    position = {name: i for i, name in enumerate(names)}
    labels = read.pop("persona")
    rank = np.fromiter((position.get(str(p), -1) for p in labels), dtype=np.intp, count=len(labels))
    return _kpi_shape(read, request, request.start, ("persona", rank, np.array(names, dtype=object)[rank]))


def _as_float(column: Any) -> Any:
    """float64, values that are not numbers as NaN; a float64 column (Series or array) is returned
    as it is."""
    if column.dtype == "float64":
        return column
    return pd.to_numeric(column, errors="coerce").astype("float64")


def funnel_statement(
    wh: Warehouse,
    start: dt.date,
    end: dt.date,
    journey_ids: tuple[str, ...] = (),
    grain: Grain = Grain.PERIOD,
    scope: AccessScope | None = None,
) -> sa.Select[Any]:
    """The aggregate select behind ``funnel_frame``; a scope limits it to the journeys it shows."""
    return _funnel_bound(wh, start, end, journey_ids, grain, scope).statement()


def _funnel_bound(wh: Warehouse, start: dt.date, end: dt.date, journey_ids: tuple[str, ...], grain: Grain,
                  scope: AccessScope | None) -> Bound:
    values = Values()
    dates = _range_values(values, "date", start, end)
    journeys = values.add("journey_id", list(journey_ids)) if journey_ids else None
    scoped = scope is not None and not scope.everything
    if scope is not None and scoped:
        values.named("scope_journey_ids", sorted(scope.visible_journeys()))

    def build() -> sa.Select[Any]:
        funnel = wh.table("funnel")
        keys: list[sa.ColumnElement[Any]] = []
        if grain is not Grain.PERIOD:
            keys.append(period_start(grain, funnel.c.date).label("period_start"))
        keys += [funnel.c.journey_id.label("journey_id"), funnel.c.stage_id.label("stage_id")]
        statement = (
            sa.select(*keys, sa.func.sum(funnel.c.customers).label("customers"))
            .where(_date_range(funnel.c.date, dates))
            .group_by(*keys)
        )
        if journeys is not None:
            statement = statement.where(_in(funnel.c.journey_id, journeys))
        if scoped:
            statement = statement.where(_in(funnel.c.journey_id, "scope_journey_ids"))
        return statement

    return Bound(shaped(wh.metadata, ("funnel", grain, *values), build), values)


def funnel_frame(
    wh: Warehouse,
    start: dt.date,
    end: dt.date,
    journey_ids: tuple[str, ...] = (),
    grain: Grain = Grain.PERIOD,
    scope: AccessScope | None = None,
) -> pd.DataFrame:
    """Customers reaching each stage, summed in the warehouse.

    Columns: period_start, journey_id, stage_id, customers.
    """
    bound = _funnel_bound(wh, start, end, journey_ids, grain, scope)
    read = read_columns(wh, bound.select, bound.values)
    columns: dict[str, Any] = {}
    if grain is Grain.PERIOD:
        columns["period_start"] = pd.Timestamp(start)  # broadcast over the index below
    else:
        read["period_start"] = _as_datetime(read["period_start"])
    columns.update(read)
    columns["customers"] = _as_float(read["customers"])
    return _frame(columns, len(read["customers"]))


def dimension_frame(wh: Warehouse, canonical: str) -> pd.DataFrame:
    """A whole dimension table (journeys, stages, touchpoints, kpis, targets) in canonical names.

    Read as whole columns (``read_frame(columnar=True)``): at 100 M fact rows (14,470 touchpoints,
    56,785 targets) fetching rows of Python objects took 0.42 s of CPU, columns 0.10 s; the frames
    are the same (#19)."""
    if canonical not in TABLES or canonical in ("touchpoint_kpis", "funnel", "budget"):
        raise ValueError(f"{canonical!r} is not a dimension table")  # i18n: not shown (a developer error)
    return _coerce_dimension(canonical, read_frame(wh, dimension_statement(wh, canonical), columnar=True))


def dimension_statement(wh: Warehouse, canonical: str) -> sa.Select[Any]:
    """Every canonical column of a table, labelled with its canonical name; no filter, no order.
    An optional column the warehouse lacks is selected as its default (metrics.model.OPTIONAL_COLUMNS)."""
    table = wh.table(canonical)
    return sa.select(*(_column_or_default(table, canonical, c).label(c) for c in TABLES[canonical]))


def _column_or_default(table: sa.Table, canonical: str, column: str) -> sa.ColumnElement[Any]:
    if column in table.c:
        return table.c[column]
    default = OPTIONAL_COLUMNS[canonical][column]
    return sa.null() if default is None else sa.literal(default)


def _coerce_dimension(canonical: str, frame: pd.DataFrame) -> pd.DataFrame:
    if canonical == "touchpoints":
        frame["moment_of_truth"] = frame["moment_of_truth"].map(_as_bool).astype(bool)
        frame["third_party"] = frame["third_party"].map(_as_bool).astype(bool)
        frame["weight"] = pd.to_numeric(frame["weight"], errors="coerce").fillna(1.0).astype("float64")
    if canonical == "stages":
        frame["position"] = pd.to_numeric(frame["position"]).astype("int64")
    if canonical == "targets":
        for column in ("valid_from", "valid_to"):
            frame[column] = pd.to_datetime(frame[column])
        for column in ("target", "tolerance", "stretch"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "t", "yes", "y")
    return bool(value) if value is not None and not pd.isna(value) else False


def budget_statement(
    wh: Warehouse, start: dt.date, end: dt.date, by: tuple[str, ...] = ("month", "journey_id"),
    scope: AccessScope | None = None,
) -> sa.Select[Any]:
    """The aggregate select behind ``budget_frame``; refuses columns that are not budget keys.

    A scope keeps the rows booked on its touchpoints and every row of the journeys whose map it owns.
    """
    return _budget_bound(wh, start, end, by, scope).statement()


#: The columns budget can be grouped by.
_BUDGET_KEYS = frozenset({"month", "journey_id", "touchpoint_id", "channel"})


def _budget_scope_values(values: Values, scope: AccessScope | None) -> bool:
    """Whether the scope limits the budget rows read; if so its ids go into ``values``."""
    if scope is None or scope.everything:
        return False
    values.named("scope_touchpoint_ids", sorted(scope.touchpoint_ids))
    values.named("scope_journey_ids", sorted(scope.journey_ids))
    return True


def _budget_scope_clause(budget: sa.Table) -> sa.ColumnElement[bool]:
    """Rows booked on the scope's touchpoints and every row of the journeys whose map it owns."""
    return sa.or_(_in(budget.c.touchpoint_id, "scope_touchpoint_ids"),
                  _in(budget.c.journey_id, "scope_journey_ids"))


def _budget_bound(wh: Warehouse, start: dt.date, end: dt.date, by: tuple[str, ...],
                  scope: AccessScope | None) -> Bound:
    unknown = set(by) - _BUDGET_KEYS
    if unknown:
        raise ValueError(f"budget cannot be grouped by {sorted(unknown)}")  # i18n: not shown
    values = Values()
    months = _range_values(values, "month", start, end)
    scoped = _budget_scope_values(values, scope)

    def build() -> sa.Select[Any]:
        budget = wh.table("budget")
        keys = [budget.c[c].label(c) for c in by]
        statement = (
            sa.select(
                *keys,
                sa.func.sum(budget.c.planned).label("planned"),
                sa.func.sum(budget.c.actual).label("actual"),
            )
            .where(_date_range(budget.c.month, months))
            .group_by(*keys)
        )
        return statement.where(_budget_scope_clause(budget)) if scoped else statement

    return Bound(shaped(wh.metadata, ("budget", by, *values), build), values)


def budget_frame(
    wh: Warehouse, start: dt.date, end: dt.date, by: tuple[str, ...] = ("month", "journey_id"),
    scope: AccessScope | None = None,
) -> pd.DataFrame:
    """Planned and actual spend summed in the warehouse by the given budget columns.

    ``by`` may hold month, journey_id, touchpoint_id, channel; month rows fall in the range when
    their first day does. Columns: the ``by`` columns, planned, actual.
    """
    bound = _budget_bound(wh, start, end, by, scope)
    columns = read_columns(wh, bound.select, bound.values)
    if "month" in columns:
        columns["month"] = _as_datetime(columns["month"])
    for column in ("planned", "actual"):
        columns[column] = _as_float(columns[column])
    return _frame(columns, len(columns["planned"]))


def date_bounds_statement(wh: Warehouse, not_after: dt.date | None = None) -> sa.Select[Any]:
    """The select behind ``date_bounds``: first and last fact date, none after ``not_after``; with
    the monthly summary in use, also its last month (a scalar subquery: one round trip)."""
    fact = wh.table("touchpoint_kpis")
    columns: list[sa.ColumnElement[Any]] = [sa.func.min(fact.c.date), sa.func.max(fact.c.date)]
    if wh.has_summary:
        summary = wh.table(KPI_SUMMARY)
        columns.append(sa.select(sa.func.max(summary.c.month)).scalar_subquery())
    statement = sa.select(*columns)
    if not_after is not None:
        statement = statement.where(fact.c.date < not_after + dt.timedelta(days=1))
    return statement


def summary_bounds_statement(wh: Warehouse, not_after: dt.date | None = None) -> sa.Select[Any]:
    """The monthly summary's first month, its last month not after ``not_after`` and its last month
    (``date_bounds`` with the summary in use)."""
    month = wh.table(KPI_SUMMARY).c.month
    last_by = month if not_after is None else sa.case((month <= not_after, month))
    return sa.select(sa.func.min(month), sa.func.max(last_by), sa.func.max(month))


def near_date_bounds_statement(wh: Warehouse, first_before: dt.date, last_from: dt.date,
                               not_after: dt.date | None = None) -> sa.Select[Any]:
    """The first fact date before ``first_before`` and the last from ``last_from`` on (none after
    ``not_after``), from the rows in those two ranges only: where the fact table is stored in date
    order, the warehouse skips the blocks in between (DuckDB by its zone maps, a date-partitioned
    table by its partitions)."""
    date = wh.table("touchpoint_kpis").c.date
    statement = sa.select(sa.func.min(sa.case((date < first_before, date))),
                          sa.func.max(sa.case((date >= last_from, date))))
    statement = statement.where(sa.or_(date < first_before, date >= last_from))
    if not_after is not None:
        statement = statement.where(date < not_after + dt.timedelta(days=1))
    return statement


def date_bounds(wh: Warehouse, not_after: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last fact date (ignoring dates after ``not_after``); None for an empty table.

    With the monthly summary in use, also sets ``wh.summary_end`` (the first day after its last
    month): the KPI readers take whole months before it from the summary from then on. Read with the
    bounds, so as often as they are (once per server and warehouse version in the app).

    With the summary, the facts are read only near its first and last months
    (``near_date_bounds_statement``): the whole date column of 100 M fact rows took 62 ms and left
    121 MB of table blocks in DuckDB's buffer, the near ranges 5 ms and 1 MB (#19: memory). The
    summary only narrows where to look: the first fact date before the month after its first month
    is the first of all, and the last from its last month on is the last of all. Where the summary
    does not match the facts so that either range holds no fact, the whole column is read."""
    if wh.has_summary:
        near = _near_date_bounds(wh, not_after)
        if near is not None:
            return near
    frame = read_frame(wh, date_bounds_statement(wh, not_after))
    if wh.has_summary:
        wh.summary_end = _month_after(frame.iloc[0, 2])
    first, last = frame.iloc[0, 0], frame.iloc[0, 1]
    if first is None or pd.isna(first):
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def _near_date_bounds(wh: Warehouse, not_after: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """``date_bounds`` through the summary's months (sets ``wh.summary_end``); None when that does
    not find both bounds."""
    months = read_frame(wh, summary_bounds_statement(wh, not_after))
    wh.summary_end = _month_after(months.iloc[0, 2])
    first_before, last_month = _month_after(months.iloc[0, 0]), _day(months.iloc[0, 1])
    if first_before is None or last_month is None:
        return None
    near = read_frame(wh, near_date_bounds_statement(wh, first_before, last_month, not_after))
    first, last = (_day(near.iloc[0, i]) for i in (0, 1))
    return (first, last) if first is not None and last is not None else None


def _day(value: Any) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _month_after(month: Any) -> dt.date | None:
    """The first day of the month after ``month`` (a date in it); None for none (an empty summary)."""
    if month is None or pd.isna(month):
        return None
    day = pd.Timestamp(month).date()
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
