"""``period_start(grain, date_column)``: the first day of the week, month, quarter or year.

One SQL construct compiled per dialect, so the same select truncates dates in DuckDB, PostgreSQL,
SQLite, Snowflake, Databricks, Trino, Redshift, BigQuery and Spark SQL. Weeks start on Monday (ISO).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from metrics.model import Grain


class period_start(FunctionElement[Any]):  # noqa: N801 - SQL function style name
    type = sa.Date()
    inherit_cache = True
    name = "period_start"
    # The grain is part of the cache key, or SQLAlchemy's compiled-SQL cache would reuse the first
    # grain's SQL for every other grain of the same column.
    _traverse_internals = [*FunctionElement._traverse_internals, ("grain", InternalTraversal.dp_string)]

    def __init__(self, grain: Grain, column: sa.ColumnElement[Any]) -> None:
        if grain not in (Grain.DAY, Grain.WEEK, Grain.MONTH, Grain.QUARTER, Grain.YEAR):
            raise ValueError(  # i18n: not shown (a developer error)
                f"period_start has no meaning for grain {grain!r}")
        self.grain = grain
        super().__init__(column)

    @property
    def column(self) -> sa.ColumnElement[Any]:
        return next(iter(self.clauses))


def _literal(text: str) -> sa.ColumnElement[Any]:
    """A SQL string literal from our own fixed vocabulary (grain names, SQLite modifiers)."""
    return sa.literal(text, literal_execute=True)


def _date_trunc(element: period_start) -> sa.ColumnElement[Any]:
    # ANSI-ish date_trunc: DuckDB, PostgreSQL, Snowflake, Databricks, Trino, Redshift.
    if element.grain is Grain.DAY:
        return sa.cast(element.column, sa.Date)
    return sa.cast(sa.func.date_trunc(_literal(element.grain.value), element.column), sa.Date)


def _spark_trunc(element: period_start) -> sa.ColumnElement[Any]:
    # PyHive's hive:// dialect writes CAST(... AS DATE) as a TIMESTAMP cast (old Hive had no DATE);
    # Spark's to_date gives a DATE.
    if element.grain is Grain.DAY:
        return sa.func.to_date(element.column)
    return sa.func.to_date(sa.func.date_trunc(_literal(element.grain.value), element.column))


def _bigquery_trunc(element: period_start) -> sa.ColumnElement[Any]:
    part = "ISOWEEK" if element.grain is Grain.WEEK else element.grain.value.upper()
    return sa.func.date_trunc(sa.cast(element.column, sa.Date), sa.literal_column(part))


def _sqlite_trunc(element: period_start) -> sa.ColumnElement[Any]:
    column = element.column
    if element.grain is Grain.DAY:
        return sa.func.date(column)
    if element.grain is Grain.WEEK:  # back six days, then forward to Monday
        return sa.func.date(column, _literal("-6 days"), _literal("weekday 1"))
    if element.grain is Grain.MONTH:
        return sa.func.date(column, _literal("start of month"))  # i18n: not shown (SQLite SQL)
    if element.grain is Grain.YEAR:
        return sa.func.date(column, _literal("start of year"))  # i18n: not shown (SQLite SQL)
    month = sa.cast(sa.func.strftime(_literal("%m"), column), sa.Integer)
    months_back = (month - sa.literal(1, literal_execute=True)) % sa.literal(3, literal_execute=True)
    back = _literal("-").concat(sa.cast(months_back, sa.String)).concat(_literal(" months"))
    return sa.func.date(column, _literal("start of month"), back)  # i18n: not shown (SQLite SQL)


@compiles(period_start)
def _compile_default(element: period_start, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(_date_trunc(element), **kw))


@compiles(period_start, "bigquery")
def _compile_bigquery(element: period_start, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(_bigquery_trunc(element), **kw))


@compiles(period_start, "hive")
def _compile_spark(element: period_start, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(_spark_trunc(element), **kw))


@compiles(period_start, "sqlite")
def _compile_sqlite(element: period_start, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(_sqlite_trunc(element), **kw))
