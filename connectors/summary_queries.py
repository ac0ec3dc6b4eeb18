"""What the check "The monthly summary agrees with the fact table" reads (checks/_summary.py).

The full comparison, the fact table grouped by month, touchpoint and KPI, costs what building the
summary costs (about 20 s of CPU at 100 M fact rows), a third of a check run. So the check compares
coarse groupings first and drills only into what disagrees:

- per touchpoint and KPI: the fact profile's sums (connectors.profile_queries.fact_profile, a scan
  the checks make anyway) against ``summary_totals_statement(wh, "touchpoint")``;
- per month and KPI: ``fact_month_totals_statement`` (one scan grouped by a date and a short KPI id,
  a tenth of grouping by touchpoint) against ``summary_totals_statement(wh, "month")``;
- then, for the months and touchpoints that disagree, both sides per month, touchpoint and KPI
  (``summary_drill_statement``), so the check names the touchpoints, KPIs and months.

Every value is a bound parameter; months are compared as the first day of the month on both sides.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa

from connectors._sql_periods import period_start
from connectors.queries import read_frame
from connectors.warehouse import Warehouse
from metrics.model import KPI_SUMMARY, Grain

__all__ = ["fact_month_totals", "fact_month_totals_statement", "MEASURES", "summary_drill",
           "summary_drill_statement", "summary_totals", "summary_totals_statement"]

#: The sums compared, as the columns of every frame here.
MEASURES = ("numerator", "denominator", "rows")


def summary_totals_statement(wh: Warehouse, by: Literal["touchpoint", "month"]) -> sa.Select[Any]:
    """The summary's sums per touchpoint and KPI, or per month and KPI."""
    s = wh.table(KPI_SUMMARY)
    key = s.c.touchpoint_id.label("touchpoint_id") if by == "touchpoint" else s.c.month.label("month")
    keys = [key, s.c.kpi_id.label("kpi_id")]
    return sa.select(
        *keys,
        sa.func.sum(s.c.numerator).label("numerator"),
        sa.func.sum(s.c.denominator).label("denominator"),
        sa.func.sum(s.c.rows).label("rows"),
    ).group_by(*keys)


def summary_totals(wh: Warehouse, by: Literal["touchpoint", "month"]) -> pd.DataFrame:
    return _typed(read_frame(wh, summary_totals_statement(wh, by)))


def fact_month_totals_statement(wh: Warehouse) -> sa.Select[Any]:
    """The fact table's sums and rows per month and KPI."""
    f = wh.table("touchpoint_kpis")
    keys = [period_start(Grain.MONTH, f.c.date).label("month"), f.c.kpi_id.label("kpi_id")]
    return sa.select(
        *keys,
        sa.func.sum(f.c.numerator).label("numerator"),
        sa.func.sum(f.c.denominator).label("denominator"),
        sa.func.count().label("rows"),
    ).group_by(*keys)


def fact_month_totals(wh: Warehouse) -> pd.DataFrame:
    return _typed(read_frame(wh, fact_month_totals_statement(wh)))


def summary_drill_statement(wh: Warehouse, source: Literal["facts", "summary"], months: list[dt.date],
                            touchpoints: list[str]) -> sa.Select[Any]:
    """One side (the fact table or the summary) per month, touchpoint and KPI, for the rows of
    ``months`` (first days) or of ``touchpoints`` only (at least one of them non-empty)."""
    if source == "facts":
        f = wh.table("touchpoint_kpis")
        month: sa.ColumnElement[Any] = period_start(Grain.MONTH, f.c.date)
        rows: sa.ColumnElement[Any] = sa.func.count()
    else:
        f = wh.table(KPI_SUMMARY)
        month, rows = f.c.month, sa.func.sum(f.c.rows)
    where: list[sa.ColumnElement[bool]] = []
    if months:
        where.append(month.in_(sa.bindparam("months", sorted(months), type_=sa.Date, expanding=True)))
    if touchpoints:
        ids = sa.bindparam("touchpoint_ids", sorted(touchpoints), type_=f.c.touchpoint_id.type,
                           expanding=True)
        where.append(f.c.touchpoint_id.in_(ids))
    keys = [month.label("month"), f.c.touchpoint_id.label("touchpoint_id"), f.c.kpi_id.label("kpi_id")]
    statement = sa.select(
        *keys,
        sa.func.sum(f.c.numerator).label("numerator"),
        sa.func.sum(f.c.denominator).label("denominator"),
        rows.label("rows"),
    ).where(sa.or_(*where)).group_by(*keys)
    return statement


def summary_drill(wh: Warehouse, source: Literal["facts", "summary"], months: list[dt.date],
                  touchpoints: list[str]) -> pd.DataFrame:
    return _typed(read_frame(wh, summary_drill_statement(wh, source, months, touchpoints)))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Months as datetime64, sums as float64 (NaN for none), rows as float64 (summed counts can come
    back as decimals or NULL; compared exactly all the same)."""
    if "month" in frame.columns:
        frame["month"] = pd.to_datetime(frame["month"])
    for column in MEASURES:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame
