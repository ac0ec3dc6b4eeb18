"""Evidence of the check "The monthly summary agrees with the fact table" (touchpoint_kpis.summary_agrees).

The app reads whole months from the monthly KPI summary (connectors/queries.py), so a summary that
was refreshed late or built wrong would show wrong numbers as if they were true. This compares it
with the facts (connectors/summary_queries.py says how, coarse groupings first) and returns one row
per touchpoint and KPI that disagrees, with the first day of its first and the last day of its last
disagreeing month (``date_from``, ``date_to``): the check's scope, so exactly those values become
not trusted (checks/_scoping.py). An empty frame when there is no summary or it agrees.

What the coarse-first comparison can miss: errors that cancel out in both coarse groupings at once
(e.g. a value moved from touchpoint A to B in one month and from B back to A in another month of the
same KPI), and, for numerators and denominators, differences below a relative 1e-9 of a whole
touchpoint's or month's total. Row counts are compared exactly at every level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from connectors.summary_queries import MEASURES, fact_month_totals, summary_drill, summary_totals
from connectors.warehouse import Warehouse
from metrics.model import KPI_SUMMARY

__all__ = ["COLUMNS", "summary_disagreements"]

#: Relative difference of two sums that still counts as equal (float sums in another order).
RELATIVE_TOLERANCE = 1e-9
#: Touchpoints drilled into month by month; beyond this many, each disagreeing touchpoint and KPI is
#: untrusted on every date without the drill (a summary that wrong is wrong everywhere).
DRILL_TOUCHPOINTS = 500
COLUMNS = ("touchpoint_id", "kpi_id", "date_from", "date_to", "months", "disagrees")


def summary_disagreements(wh: Warehouse, fact_profile: pd.DataFrame) -> pd.DataFrame:
    """Touchpoints and KPIs whose summary disagrees with the facts (module docstring); ``fact_profile``
    is connectors.profile_queries.fact_profile's frame (its per touchpoint and KPI sums)."""
    if not wh.mapping.has(KPI_SUMMARY):
        return _frame([])
    facts = fact_profile.rename(columns={"numerator_sum": "numerator", "denominator_sum": "denominator"})
    by_touchpoint = _disagreeing(facts[["touchpoint_id", "kpi_id", *MEASURES]],
                                 summary_totals(wh, "touchpoint"), ["touchpoint_id", "kpi_id"])
    by_month = _disagreeing(fact_month_totals(wh), summary_totals(wh, "month"), ["month", "kpi_id"])
    if by_touchpoint.empty and by_month.empty:
        return _frame([])
    months = sorted({m.date() for m in by_month["month"].dropna()})
    touchpoints = sorted({str(t) for t in by_touchpoint["touchpoint_id"].dropna()})
    rows: list[tuple[object, ...]] = []
    if len(touchpoints) > DRILL_TOUCHPOINTS:
        pairs = by_touchpoint[["touchpoint_id", "kpi_id"]].itertuples(index=False)
        rows += [(t, k, None, None, None, 1) for t, k in pairs]
        touchpoints = []
    found: set[tuple[object, object]] = set()
    if months or touchpoints:
        keys = ["month", "touchpoint_id", "kpi_id"]
        fine = _disagreeing(summary_drill(wh, "facts", months, touchpoints),
                            summary_drill(wh, "summary", months, touchpoints), keys)
        for (touchpoint, kpi), group in fine.groupby(["touchpoint_id", "kpi_id"], dropna=False):
            first, last = group["month"].min(), group["month"].max()
            rows.append((touchpoint, kpi, _day(first), _month_end(last), int(group["month"].nunique()), 1))
        found |= {(kpi, month) for kpi, month in zip(fine["kpi_id"], fine["month"], strict=True)}
        found |= {(t, k) for t, k in zip(fine["touchpoint_id"], fine["kpi_id"], strict=True)}
    # A touchpoint and KPI whose totals disagree with no month found (the months' differences each
    # within the tolerance, or no month at all): that touchpoint and KPI on every date.
    for touchpoint, kpi in by_touchpoint[["touchpoint_id", "kpi_id"]].itertuples(index=False):
        if str(touchpoint) in touchpoints and (touchpoint, kpi) not in found:
            rows.append((touchpoint, kpi, None, None, None, 1))
    # A month and KPI that disagrees with no touchpoint found in it (keys missing on one side):
    # every touchpoint of that KPI in that month.
    for kpi, month in by_month[["kpi_id", "month"]].itertuples(index=False):
        if (kpi, month) not in found:
            rows.append((None, kpi, _day(month), _month_end(month), 1, 1))
    return _frame(rows)


def _disagreeing(facts: pd.DataFrame, summary: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The keys (rows of ``keys``) where the two sides' sums differ, or that one side lacks."""
    merged = facts.merge(summary, on=keys, how="outer", suffixes=("_facts", "_summary"))
    differs = np.zeros(len(merged), dtype=bool)
    for column in MEASURES:
        a = merged[f"{column}_facts"].to_numpy(dtype="float64")
        b = merged[f"{column}_summary"].to_numpy(dtype="float64")
        one_missing = np.isnan(a) != np.isnan(b)
        slack = 0 if column == "rows" else RELATIVE_TOLERANCE * np.fmax(np.abs(a), np.abs(b))
        with np.errstate(invalid="ignore"):
            apart = np.abs(a - b) > slack
        differs |= one_missing | np.nan_to_num(apart, nan=False).astype(bool)
    # A key on one side only: its rows are missing on the other (NaN there, a count here).
    only_one = merged["rows_facts"].isna() | merged["rows_summary"].isna()
    return merged.loc[differs | only_one, keys].reset_index(drop=True)


def _day(month: object) -> object:
    return None if month is None or pd.isna(month) else pd.Timestamp(month).date()


def _month_end(month: object) -> object:
    if month is None or pd.isna(month):
        return None
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def _frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)
    frame["disagrees"] = pd.to_numeric(frame["disagrees"]).astype("int64")
    return frame
