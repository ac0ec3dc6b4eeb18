"""Several periods of one KPI or budget question in one statement and one scan (#19: round trips).

A page that compares periods (the Review's quarter, previous quarter and same quarter last year;
the Trends series and the same window last year; quarter- and year-to-date pacing) used to send one
statement per period. Here the periods become conditional aggregates of a single select: for
period *i*, ``SUM(CASE WHEN date in period i THEN numerator END) AS numerator_i`` and
``COUNT(CASE WHEN date in period i THEN date END) AS rows_i``, grouped by the same keys as the
single-period reader. Periods may overlap (year to date holds quarter to date; a 24-month window and
the same window last year share a year), which a ``CASE ... END AS period`` label column cannot
express, since it puts each row in one period only. Plain CASE and COUNT run on every dialect
we snapshot (no FILTER clause, no VALUES list, no GROUPING SETS).

The wide result is turned into the long frame pages use with column operations (one slice per
period, no Python step per row): a ``period`` column (the mapping's key) followed by exactly the
columns, types and order ``kpi_frame`` / ``budget_frame`` return for that period alone, and a group
appears in a period only when that period has rows of it, as with the separate statement.
tests/test_connectors_queries.py checks the combined frame equals the separate ones.

The WHERE clause keeps the periods' span (pushed down to zone maps and partitions) and, when there
are several periods, the OR of their ranges, so dates between them are not aggregated.

When every period is whole months covered by the monthly KPI summary, the KPI statement reads the
summary instead (connectors/queries.py: ``summary_answers``), its month as the date and its ``rows``
summed per period instead of counted. When the periods end in a month the summary cannot answer
(quarter and year to date), it reads the summary's months before that month and the fact rows from
its first day on (``summary_cut``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from connectors._shapes import Bound, Values, shaped
from connectors.access import AccessScope
from connectors.queries import (
    _BUDGET_KEYS,
    BREAKDOWN_COLUMN,
    _as_datetime,
    _as_float,
    _as_int64,
    _budget_scope_clause,
    _budget_scope_values,
    _cut_value,
    _date_range,
    _encoded,
    _frame,
    _kpi_filters,
    _range_values,
    _sort_order,
    _taken,
    _texts_in_arrow,
    fact_date,
    fact_rows,
    kpi_keys,
    kpi_source,
    read_columns,
    summary_answers,
)
from connectors.warehouse import Warehouse
from metrics.model import Grain, KpiRequest, Period

__all__ = ["budget_periods_frame", "budget_periods_statement", "kpi_periods_frame", "kpi_periods_statement"]


def _check(periods: Mapping[str, Period]) -> list[Period]:
    if not periods:
        raise ValueError("a periods query needs at least one period")  # i18n: not shown (a developer error)
    return list(periods.values())


def _period_values(values: Values, base: str,
                   spans: list[Period]) -> tuple[list[tuple[str, str]], tuple[str, str]]:
    """The parameter names of each period's range and of the span of all of them."""
    ranges = [_range_values(values, base, p.start, p.end) for p in spans]
    span = _range_values(values, base, min(p.start for p in spans), max(p.end for p in spans))
    return ranges, span


def _in_any(column: sa.ColumnElement[Any], span: tuple[str, str],
            ranges: list[sa.ColumnElement[bool]]) -> list[sa.ColumnElement[bool]]:
    """The span of all periods and, for several, the OR of their own ranges."""
    within = _date_range(column, span)
    return [within] if len(ranges) == 1 else [within, sa.or_(*ranges)]


def _when(in_period: sa.ColumnElement[bool], value: Any) -> sa.ColumnElement[Any]:
    return sa.case((in_period, value))


def kpi_periods_statement(wh: Warehouse, request: KpiRequest, periods: Mapping[str, Period],
                          scope: AccessScope | None = None) -> sa.Select[Any]:
    """The select behind ``kpi_periods_frame``: kpi_statement's keys, and per period i (in the
    mapping's order) numerator_i, denominator_i, rows_i. The request's own dates are not used."""
    return _kpi_periods_bound(wh, request, periods, scope).statement()


def _kpi_periods_bound(wh: Warehouse, request: KpiRequest, periods: Mapping[str, Period],
                       scope: AccessScope | None) -> Bound:
    values = Values()
    spans = _check(periods)
    range_names, span = _period_values(values, "date", spans)
    filtered = _kpi_filters(values, request, scope)
    summary = summary_answers(wh, request.grain, [(p.start, p.end) for p in spans])
    cut = _cut_value(values, wh, summary, request.grain, [(p.start, p.end) for p in spans])

    def build() -> sa.Select[Any]:
        fact = kpi_source(wh, summary, cut)
        tp = wh.table("touchpoints")
        keys = kpi_keys(request, fact, tp)
        # One range expression per period, reused: its two dates are bound once for the whole statement.
        ranges = [_date_range(fact_date(fact), names) for names in range_names]
        measures: list[sa.ColumnElement[Any]] = []
        for i, in_period in enumerate(ranges):
            def in_it(column: sa.ColumnElement[Any], in_period: sa.ColumnElement[bool] = in_period
                      ) -> sa.ColumnElement[Any]:
                return _when(in_period, column)

            measures += [
                sa.func.sum(_when(in_period, fact.c.numerator)).label(f"numerator_{i}"),
                sa.func.sum(_when(in_period, fact.c.denominator)).label(f"denominator_{i}"),
                fact_rows(fact, in_it).label(f"rows_{i}"),
            ]
        return (
            sa.select(*keys, *measures)
            .select_from(fact.join(tp, fact.c.touchpoint_id == tp.c.touchpoint_id))
            .where(
                *_in_any(fact_date(fact), span, ranges),
                *filtered(fact, tp),
            )
            .group_by(*keys)
        )

    key = ("kpi_periods", summary, request.grain, request.by, request.filters.moment_of_truth, *values)
    return Bound(shaped(wh.metadata, key, build), values)


def _long(wide: dict[str, Any], keys: list[str], measures: tuple[str, ...], count: str,
          periods: Mapping[str, Period], order: np.ndarray) -> tuple[dict[str, Any], np.ndarray]:
    """The wide result's columns (read_columns) as the columns of one long frame: ``period``, the
    keys and the unsuffixed measures, one row per group and period with rows in it, period by
    period and within a period in ``order`` (positions in ``wide``); and each row's period position.
    Built from whole columns (a 133-row Review result went from 10 ms in per-period slices to about
    1 ms, and from the driver's arrays rather than a frame's columns to less again) and taken in
    order once, so the long frame needs no sort of its own."""
    taken = [order[_has_rows(wide[f"{count}_{i}"])[order]] for i in range(len(periods))]
    row = np.concatenate(taken)
    which = np.repeat(np.arange(len(periods)), [len(t) for t in taken])
    columns: dict[str, Any] = {"period": _taken(_encoded(np.array(list(periods), dtype=object)), which)}
    for key in keys:
        columns[key] = _taken(wide[key], row)
    for name in measures:
        columns[name] = np.concatenate([_numpy(wide[f"{name}_{i}"])[t] for i, t in enumerate(taken)])
    return columns, which


def _has_rows(counts: Any) -> np.ndarray:
    """Whether each group's count is above zero (a missing count is zero)."""
    if isinstance(counts, np.ndarray) and counts.dtype.kind in "iu":
        return counts > 0
    if isinstance(counts, pd.arrays.IntegerArray):  # a summary's sum is NULL in a period without rows
        return counts.to_numpy(dtype="int64", na_value=0) > 0
    return pd.to_numeric(pd.Series(counts)).fillna(0).to_numpy() > 0


def _numpy(values: Any) -> np.ndarray:
    return values if isinstance(values, np.ndarray) else values.to_numpy()


def kpi_periods_frame(wh: Warehouse, request: KpiRequest, periods: Mapping[str, Period],
                      scope: AccessScope | None = None) -> pd.DataFrame:
    """``kpi_frame`` for each period (the request with the period's dates) from one statement.

    Columns: period (the mapping's key), then kpi_frame's columns; rows period by period in the
    mapping's order, each period's rows equal to ``kpi_frame`` of that period alone.
    """
    if not request.kpi_ids:
        raise ValueError("a KPI request needs at least one KPI")  # i18n: not shown (a developer error)
    bound = _kpi_periods_bound(wh, request, periods, scope)
    wide = read_columns(wh, bound.select, bound.values, arrow_texts=True)
    keys = [c for c in wide if c in ("period_start", "kpi_id", *BREAKDOWN_COLUMN.values())]
    if request.grain is not Grain.PERIOD:
        wide["period_start"] = _as_datetime(wide["period_start"])
    wide.update(_texts_in_arrow({k: wide[k] for k in keys}))  # once: the keys are sorted, then taken
    # kpi_frame's order (period_start, breakdown, kpi_id: the keys' own order) within each period.
    columns, which = _long(wide, keys, ("numerator", "denominator", "rows"), "rows", periods,
                           _sort_order([wide[k] for k in keys]))
    if request.grain is Grain.PERIOD:
        # Each period's first day, as kpi_frame's broadcast pd.Timestamp(start) types it (datetime64[s]).
        starts = np.array([np.datetime64(p.start, "s") for p in periods.values()], dtype="datetime64[s]")
        columns = {"period": columns.pop("period"), "period_start": starts.take(which), **columns}
    for column in ("numerator", "denominator"):
        columns[column] = _as_float(columns[column])
    columns["rows"] = _as_int64(columns["rows"])
    return _frame(columns, len(which))


def budget_periods_statement(wh: Warehouse, periods: Mapping[str, Period],
                             by: tuple[str, ...] = ("month", "journey_id"),
                             scope: AccessScope | None = None) -> sa.Select[Any]:
    """The select behind ``budget_periods_frame``: the ``by`` columns and per period i planned_i,
    actual_i and rows_i (budget rows in it, so a period whose sums are empty still shows)."""
    return _budget_periods_bound(wh, periods, by, scope).statement()


def _budget_periods_bound(wh: Warehouse, periods: Mapping[str, Period], by: tuple[str, ...],
                          scope: AccessScope | None) -> Bound:
    spans = _check(periods)
    unknown = set(by) - _BUDGET_KEYS
    if unknown:
        raise ValueError(f"budget cannot be grouped by {sorted(unknown)}")  # i18n: not shown
    values = Values()
    range_names, span = _period_values(values, "month", spans)
    scoped = _budget_scope_values(values, scope)

    def build() -> sa.Select[Any]:
        budget = wh.table("budget")
        keys = [budget.c[c].label(c) for c in by]
        ranges = [_date_range(budget.c.month, names) for names in range_names]
        measures: list[sa.ColumnElement[Any]] = []
        for i, in_period in enumerate(ranges):
            measures += [
                sa.func.sum(_when(in_period, budget.c.planned)).label(f"planned_{i}"),
                sa.func.sum(_when(in_period, budget.c.actual)).label(f"actual_{i}"),
                sa.func.count(_when(in_period, budget.c.month)).label(f"rows_{i}"),
            ]
        statement = sa.select(*keys, *measures).where(*_in_any(budget.c.month, span, ranges)).group_by(*keys)
        return statement.where(_budget_scope_clause(budget)) if scoped else statement

    return Bound(shaped(wh.metadata, ("budget_periods", by, *values), build), values)


def budget_periods_frame(wh: Warehouse, periods: Mapping[str, Period],
                         by: tuple[str, ...] = ("month", "journey_id"),
                         scope: AccessScope | None = None) -> pd.DataFrame:
    """``budget_frame`` for each period from one statement: period, then budget_frame's columns."""
    bound = _budget_periods_bound(wh, periods, by, scope)
    wide = read_columns(wh, bound.select, bound.values)
    # In the warehouse's row order within each period, as budget_frame (which sorts nothing).
    columns, which = _long(wide, list(by), ("planned", "actual"), "rows", periods,
                           np.arange(len(wide["rows_0"])))
    for column in ("planned", "actual"):
        columns[column] = _as_float(columns[column])
    if "month" in columns:
        columns["month"] = _as_datetime(columns["month"])
    return _frame(columns, len(which))
