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

import pandas as pd
import sqlalchemy as sa

from connectors._sql_periods import period_start
from connectors.access import AccessScope
from connectors.queries import (
    BREAKDOWN_COLUMN,
    _as_float,
    _date_range,
    _in_scope,
    _kpi_shape,
    _scope_clauses,
    _touchpoint_filters,
    read_frame,
)
from connectors.warehouse import Warehouse
from metrics.model import Grain, KpiRequest, Period, Scope

__all__ = ["budget_periods_frame", "budget_periods_statement", "kpi_periods_frame", "kpi_periods_statement"]


def _check(periods: Mapping[str, Period]) -> list[Period]:
    if not periods:
        raise ValueError("a periods query needs at least one period")
    return list(periods.values())


def _in_any(column: sa.ColumnElement[Any], periods: list[Period]) -> list[sa.ColumnElement[bool]]:
    """The span of all periods and, for several, the OR of their own ranges."""
    span = _date_range(column, min(p.start for p in periods), max(p.end for p in periods))
    if len(periods) == 1:
        return [span]
    return [span, sa.or_(*(_date_range(column, p.start, p.end) for p in periods))]


def _when(column: sa.ColumnElement[Any], period: Period, value: Any) -> sa.ColumnElement[Any]:
    return sa.case((_date_range(column, period.start, period.end), value))


def kpi_periods_statement(wh: Warehouse, request: KpiRequest, periods: Mapping[str, Period],
                          scope: AccessScope | None = None) -> sa.Select[Any]:
    """The select behind ``kpi_periods_frame``: kpi_statement's keys, and per period i (in the
    mapping's order) numerator_i, denominator_i, rows_i. The request's own dates are not used."""
    spans = _check(periods)
    fact = wh.table("touchpoint_kpis")
    tp = wh.table("touchpoints")
    keys: list[sa.ColumnElement[Any]] = []
    if request.grain is not Grain.PERIOD:
        keys.append(period_start(request.grain, fact.c.date).label("period_start"))
    if request.by is not Scope.ALL:
        keys.append(tp.c[BREAKDOWN_COLUMN[request.by]].label(BREAKDOWN_COLUMN[request.by]))
    keys.append(fact.c.kpi_id.label("kpi_id"))
    measures: list[sa.ColumnElement[Any]] = []
    for i, period in enumerate(spans):
        measures += [
            sa.func.sum(_when(fact.c.date, period, fact.c.numerator)).label(f"numerator_{i}"),
            sa.func.sum(_when(fact.c.date, period, fact.c.denominator)).label(f"denominator_{i}"),
            sa.func.count(_when(fact.c.date, period, fact.c.date)).label(f"rows_{i}"),
        ]
    return (
        sa.select(*keys, *measures)
        .select_from(fact.join(tp, fact.c.touchpoint_id == tp.c.touchpoint_id))
        .where(
            *_in_any(fact.c.date, spans),
            fact.c.kpi_id.in_(list(request.kpi_ids)),
            *_touchpoint_filters(tp, request.filters),
            *_scope_clauses(tp, scope),
        )
        .group_by(*keys)
    )


def _long(wide: pd.DataFrame, keys: list[str], measures: tuple[str, ...], count: str,
          periods: Mapping[str, Period]) -> list[tuple[str, Period, pd.DataFrame]]:
    """Per period: its label, its dates and the groups with rows in it, with unsuffixed measures."""
    parts = []
    for i, (label, period) in enumerate(periods.items()):
        present = pd.to_numeric(wide[f"{count}_{i}"]).fillna(0).to_numpy() > 0
        part = wide.loc[present, keys].reset_index(drop=True)
        for name in measures:
            part[name] = wide.loc[present, f"{name}_{i}"].reset_index(drop=True)
        parts.append((label, period, part))
    return parts


def kpi_periods_frame(wh: Warehouse, request: KpiRequest, periods: Mapping[str, Period],
                      scope: AccessScope | None = None) -> pd.DataFrame:
    """``kpi_frame`` for each period (the request with the period's dates) from one statement.

    Columns: period (the mapping's key), then kpi_frame's columns; rows period by period in the
    mapping's order, each period's rows equal to ``kpi_frame`` of that period alone.
    """
    if not request.kpi_ids:
        raise ValueError("a KPI request needs at least one KPI")
    wide = read_frame(wh, kpi_periods_statement(wh, request, periods, scope), columnar=True)
    keys = [c for c in wide.columns if c in ("period_start", "kpi_id", *BREAKDOWN_COLUMN.values())]
    frames = []
    for label, period, part in _long(wide, keys, ("numerator", "denominator", "rows"), "rows", periods):
        shaped = _kpi_shape(part, request, period.start)
        shaped.insert(0, "period", label)
        frames.append(shaped)
    return pd.concat(frames, ignore_index=True)


def budget_periods_statement(wh: Warehouse, periods: Mapping[str, Period],
                             by: tuple[str, ...] = ("month", "journey_id"),
                             scope: AccessScope | None = None) -> sa.Select[Any]:
    """The select behind ``budget_periods_frame``: the ``by`` columns and per period i planned_i,
    actual_i and rows_i (budget rows in it, so a period whose sums are empty still shows)."""
    spans = _check(periods)
    budget = wh.table("budget")
    unknown = set(by) - {"month", "journey_id", "touchpoint_id", "channel"}
    if unknown:
        raise ValueError(f"budget cannot be grouped by {sorted(unknown)}")
    keys = [budget.c[c].label(c) for c in by]
    measures: list[sa.ColumnElement[Any]] = []
    for i, period in enumerate(spans):
        measures += [
            sa.func.sum(_when(budget.c.month, period, budget.c.planned)).label(f"planned_{i}"),
            sa.func.sum(_when(budget.c.month, period, budget.c.actual)).label(f"actual_{i}"),
            sa.func.count(_when(budget.c.month, period, budget.c.month)).label(f"rows_{i}"),
        ]
    statement = sa.select(*keys, *measures).where(*_in_any(budget.c.month, spans)).group_by(*keys)
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
    wide = read_frame(wh, budget_periods_statement(wh, periods, by, scope), columnar=True)
    frames = []
    for label, _period, part in _long(wide, list(by), ("planned", "actual"), "rows", periods):
        if "month" in part.columns:
            part["month"] = pd.to_datetime(part["month"])
        for column in ("planned", "actual"):
            part[column] = _as_float(part[column])
        part.insert(0, "period", label)
        frames.append(part)
    return pd.concat(frames, ignore_index=True)
