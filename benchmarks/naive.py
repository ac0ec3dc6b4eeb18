"""The naive pattern most dashboards use: read the fact table into pandas, group there.

``load_tables`` reads ``touchpoint_kpis`` joined to ``touchpoints`` (every column), ``funnel`` and
``budget`` with ``pandas.read_sql`` over the SQLAlchemy engine, the usual one-liner; ``answer``
then computes each page call's aggregate from those frames with pandas.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import sqlalchemy as sa

from benchmarks.page_workloads import (
    BudgetCall,
    BudgetPeriodsCall,
    Call,
    FunnelCall,
    KpiCall,
    KpiPeriodsCall,
    KpiPersonasCall,
)
from connectors.queries import BREAKDOWN_COLUMN
from connectors.warehouse import Warehouse
from metrics.model import Filters, Grain, Scope

_FREQ = {Grain.MONTH: "M", Grain.QUARTER: "Q", Grain.YEAR: "Y"}


def load_tables(wh: Warehouse) -> dict[str, pd.DataFrame]:
    """Whole tables into pandas: the fact table joined to touchpoints, the funnel, the budget."""
    fact, tp = wh.table("touchpoint_kpis"), wh.table("touchpoints")
    joined = sa.select(
        *(c.label(c.key) for c in fact.c), *(c.label(c.key) for c in tp.c if c.key != "touchpoint_id")
    ).select_from(fact.join(tp, fact.c.touchpoint_id == tp.c.touchpoint_id))
    with wh.engine.connect() as connection:
        frames = {
            "facts": pd.read_sql(joined, connection, parse_dates=["date"]),
            "funnel": pd.read_sql(sa.select(wh.table("funnel")), connection, parse_dates=["date"]),
            "budget": pd.read_sql(sa.select(wh.table("budget")), connection, parse_dates=["month"]),
        }
    return frames


def _in_range(column: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    return (column >= pd.Timestamp(start)) & (column < pd.Timestamp(end + dt.timedelta(days=1)))


def _filtered(facts: pd.DataFrame, filters: Filters) -> pd.Series:
    mask = pd.Series(True, index=facts.index)
    for values, column in (
        (filters.journey_ids, "journey_id"),
        (filters.stage_ids, "stage_id"),
        (filters.touchpoint_ids, "touchpoint_id"),
        (filters.channels, "channel"),
        (filters.owners, "owner"),
    ):
        if values:
            mask &= facts[column].isin(list(values))
    if filters.moment_of_truth is not None:  # as connectors.queries: null counts as "not a moment"
        flagged = facts["moment_of_truth"].fillna(False).astype(bool)
        mask &= flagged if filters.moment_of_truth else ~flagged
    return mask


def _period_start(dates: pd.Series, grain: Grain) -> pd.Series:
    if grain is Grain.DAY:
        return dates.dt.normalize()
    if grain is Grain.WEEK:
        return (dates - pd.to_timedelta(dates.dt.weekday, unit="D")).dt.normalize()
    return dates.dt.to_period(_FREQ[grain]).dt.start_time


def _kpis(facts: pd.DataFrame, call: KpiCall) -> pd.DataFrame:
    request = call.request
    mask = (
        _in_range(facts["date"], request.start, request.end)
        & facts["kpi_id"].isin(list(request.kpi_ids))
        & _filtered(facts, request.filters)
    )
    rows = facts[mask]
    keys: list[pd.Series] = []
    if request.grain is not Grain.PERIOD:
        keys.append(_period_start(rows["date"], request.grain).rename("period_start"))
    if request.by is not Scope.ALL:
        keys.append(rows[BREAKDOWN_COLUMN[request.by]])
    keys.append(rows["kpi_id"])
    grouped = rows.groupby(keys, observed=True)
    return grouped.agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"), rows=("numerator", "size")
    ).reset_index()


def answer(tables: dict[str, pd.DataFrame], call: Call) -> pd.DataFrame:
    """The aggregate a page call asks for, computed in pandas from whole tables."""
    if isinstance(call, KpiCall):
        return _kpis(tables["facts"], call)
    if isinstance(call, FunnelCall):
        funnel = tables["funnel"]
        mask = _in_range(funnel["date"], call.start, call.end)
        if call.journey_ids:
            mask &= funnel["journey_id"].isin(list(call.journey_ids))
        return funnel[mask].groupby(["journey_id", "stage_id"], as_index=False)["customers"].sum()
    if isinstance(call, KpiPeriodsCall):  # a naive dashboard filters the loaded table once per period
        return pd.concat([answer(tables, KpiCall(replace(call.request, start=p.start, end=p.end)))
                          .assign(period=label) for label, p in call.periods.items()], ignore_index=True)
    if isinstance(call, KpiPersonasCall):  # and once per persona's journeys
        request = call.request
        return pd.concat([
            answer(tables, KpiCall(replace(request, filters=replace(request.filters, journey_ids=ids))))
            .assign(persona=name) for name, ids in call.personas.items()], ignore_index=True)
    if isinstance(call, BudgetPeriodsCall):
        return pd.concat([answer(tables, BudgetCall(p.start, p.end, call.by)).assign(period=label)
                          for label, p in call.periods.items()], ignore_index=True)
    assert isinstance(call, BudgetCall)
    budget = tables["budget"]
    rows = budget[_in_range(budget["month"], call.start, call.end)]
    return rows.groupby(list(call.by), as_index=False, dropna=False)[["planned", "actual"]].sum()
