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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from connectors.access import AccessScope
from connectors.queries import (
    BREAKDOWN_COLUMN,
    _as_datetime,
    _as_float,
    _as_int64,
    _date_range,
    _in_scope,
    _scope_clauses,
    _sort_order,
    _touchpoint_filters,
    kpi_keys,
    read_columns,
)
from connectors.warehouse import Warehouse
from metrics.model import Grain, KpiRequest, Period

__all__ = ["budget_periods_frame", "budget_periods_statement", "kpi_periods_frame", "kpi_periods_statement"]


def _check(periods: Mapping[str, Period]) -> list[Period]:
    if not periods:
        raise ValueError("a periods query needs at least one period")  # i18n: not shown (a developer error)
    return list(periods.values())


def _in_any(column: sa.ColumnElement[Any], periods: list[Period],
            ranges: list[sa.ColumnElement[bool]]) -> list[sa.ColumnElement[bool]]:
    """The span of all periods and, for several, the OR of their own ranges."""
    span = _date_range(column, min(p.start for p in periods), max(p.end for p in periods))
    return [span] if len(periods) == 1 else [span, sa.or_(*ranges)]


def _when(in_period: sa.ColumnElement[bool], value: Any) -> sa.ColumnElement[Any]:
    return sa.case((in_period, value))


def kpi_periods_statement(wh: Warehouse, request: KpiRequest, periods: Mapping[str, Period],
                          scope: AccessScope | None = None) -> sa.Select[Any]:
    """The select behind ``kpi_periods_frame``: kpi_statement's keys, and per period i (in the
    mapping's order) numerator_i, denominator_i, rows_i. The request's own dates are not used."""
    spans = _check(periods)
    fact = wh.table("touchpoint_kpis")
    tp = wh.table("touchpoints")
    keys = kpi_keys(request, fact, tp)
    # One range expression per period, reused: its two dates are bound once for the whole statement.
    ranges = [_date_range(fact.c.date, p.start, p.end) for p in spans]
    measures: list[sa.ColumnElement[Any]] = []
    for i, in_period in enumerate(ranges):
        measures += [
            sa.func.sum(_when(in_period, fact.c.numerator)).label(f"numerator_{i}"),
            sa.func.sum(_when(in_period, fact.c.denominator)).label(f"denominator_{i}"),
            sa.func.count(_when(in_period, fact.c.date)).label(f"rows_{i}"),
        ]
    return (
        sa.select(*keys, *measures)
        .select_from(fact.join(tp, fact.c.touchpoint_id == tp.c.touchpoint_id))
        .where(
            *_in_any(fact.c.date, spans, ranges),
            fact.c.kpi_id.in_(list(request.kpi_ids)),
            *_touchpoint_filters(tp, request.filters),
            *_scope_clauses(tp, scope),
        )
        .group_by(*keys)
    )


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
    columns: dict[str, Any] = {"period": np.array(list(periods), dtype=object)[which]}
    for key in keys:
        columns[key] = wide[key].take(row)
    for name in measures:
        columns[name] = np.concatenate([_numpy(wide[f"{name}_{i}"])[t] for i, t in enumerate(taken)])
    return columns, which


def _has_rows(counts: Any) -> np.ndarray:
    """Whether each group's count is above zero (a missing count is zero)."""
    if isinstance(counts, np.ndarray) and counts.dtype.kind in "iu":
        return counts > 0
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
    wide = read_columns(wh, kpi_periods_statement(wh, request, periods, scope))
    keys = [c for c in wide if c in ("period_start", "kpi_id", *BREAKDOWN_COLUMN.values())]
    if request.grain is not Grain.PERIOD:
        wide["period_start"] = _as_datetime(wide["period_start"])
    # kpi_frame's order (period_start, breakdown, kpi_id: the keys' own order) within each period.
    columns, which = _long(wide, keys, ("numerator", "denominator", "rows"), "rows", periods,
                           _sort_order([wide[k] for k in keys]))
    if request.grain is Grain.PERIOD:
        starts = pd.Series([pd.Timestamp(p.start) for p in periods.values()])
        columns = {"period": columns.pop("period"), "period_start": starts.array.take(which), **columns}
    for column in ("numerator", "denominator"):
        columns[column] = _as_float(columns[column])
    columns["rows"] = _as_int64(columns["rows"])
    return pd.DataFrame(columns, index=pd.RangeIndex(len(which)))


def budget_periods_statement(wh: Warehouse, periods: Mapping[str, Period],
                             by: tuple[str, ...] = ("month", "journey_id"),
                             scope: AccessScope | None = None) -> sa.Select[Any]:
    """The select behind ``budget_periods_frame``: the ``by`` columns and per period i planned_i,
    actual_i and rows_i (budget rows in it, so a period whose sums are empty still shows)."""
    spans = _check(periods)
    budget = wh.table("budget")
    unknown = set(by) - {"month", "journey_id", "touchpoint_id", "channel"}
    if unknown:
        raise ValueError(f"budget cannot be grouped by {sorted(unknown)}")  # i18n: not shown
    keys = [budget.c[c].label(c) for c in by]
    ranges = [_date_range(budget.c.month, p.start, p.end) for p in spans]
    measures: list[sa.ColumnElement[Any]] = []
    for i, in_period in enumerate(ranges):
        measures += [
            sa.func.sum(_when(in_period, budget.c.planned)).label(f"planned_{i}"),
            sa.func.sum(_when(in_period, budget.c.actual)).label(f"actual_{i}"),
            sa.func.count(_when(in_period, budget.c.month)).label(f"rows_{i}"),
        ]
    statement = sa.select(*keys, *measures).where(*_in_any(budget.c.month, spans, ranges)).group_by(*keys)
    if scope is not None and not scope.everything:
        statement = statement.where(sa.or_(
            _in_scope(budget.c.touchpoint_id, "scope_touchpoint_ids", scope.touchpoint_ids),
            _in_scope(budget.c.journey_id, "scope_journey_ids", scope.journey_ids),
        ))
    return statement


def budget_periods_frame(wh: Warehouse, periods: Mapping[str, Period],
                         by: tuple[str, ...] = ("month", "journey_id"),
                         scope: AccessScope | None = None) -> pd.DataFrame:
    """``budget_frame`` for each period from one statement: period, then budget_frame's columns."""
    wide = read_columns(wh, budget_periods_statement(wh, periods, by, scope))
    # In the warehouse's row order within each period, as budget_frame (which sorts nothing).
    columns, which = _long(wide, list(by), ("planned", "actual"), "rows", periods,
                           np.arange(len(wide["rows_0"])))
    for column in ("planned", "actual"):
        columns[column] = _as_float(columns[column])
    if "month" in columns:
        columns["month"] = _as_datetime(columns["month"])
    return pd.DataFrame(columns, index=pd.RangeIndex(len(which)))
