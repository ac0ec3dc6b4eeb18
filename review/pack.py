"""Build a quarter's figures from the warehouse (connectors.queries) and the pure review._figures.

Three small aggregate statements (connectors.period_queries): journey KPIs, moment-of-truth KPIs
and budget, each for the quarter, the previous quarter and the same quarter last year at once
(nine statements before #19). Nothing reads the fact table row by row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from connectors.access import AccessScope
from connectors.period_queries import budget_periods_frame, kpi_periods_frame
from connectors.queries import date_bounds, dimension_frame
from connectors.warehouse import Warehouse
from metrics.i18n import tr
from metrics.model import Filters, KpiRequest, Period, Scope
from metrics.registry import KpiRegistry
from metrics.targets import targets_in_force
from metrics.trust import TrustEvidence
from review._figures import (
    FIGURE_COLUMNS,
    NUMBER_COLUMNS,
    PeriodFrames,
    assemble_figures,
    budget_section,
    kpi_section,
    mark_trust,
    mot_section,
)
from review.quarters import previous_quarter, review_quarters, same_quarter_last_year

__all__ = ["build_quarter_figures", "EmptyQuarterError", "FIGURE_COLUMNS", "FutureQuarterError",
    "NUMBER_COLUMNS", "QuarterFigures"]


class EmptyQuarterError(ValueError):
    """The warehouse has no KPI data in the quarter; the message names the quarters that have."""


class FutureQuarterError(EmptyQuarterError):
    """The quarter starts after ``as_of``: only future-dated rows (a mistyped year) could fill it."""


@dataclass(frozen=True)
class QuarterFigures:
    """Everything a review shows for one quarter, live from the warehouse or from a snapshot."""

    quarter: str
    figures: pd.DataFrame  # review._figures.FIGURE_COLUMNS
    targets: pd.DataFrame  # targets in force on the quarter's last day
    data_through: dt.date | None  # last fact date in the quarter (< quarter end = partial)
    source: str = "live"  # "live" or "snapshot"
    closed_by: str = ""
    closed_at: str = ""
    comments: pd.DataFrame = field(default_factory=pd.DataFrame)

    @cached_property
    def journeys(self) -> list[tuple[str, str]]:
        """(journey_id, journey_name) in the order of the figures, each once; worked out once per
        instance (the review page reads it several times a run) from integer codes, not with
        drop_duplicates on the text (a few ms at 10 M rows and more at 100 M)."""
        ids, names = self.figures["journey_id"], self.figures["journey_name"]
        id_codes, _ = pd.factorize(ids)
        name_codes, name_values = pd.factorize(names)
        pairs = id_codes.astype("int64") * (len(name_values) + 1) + name_codes
        first = np.sort(np.unique(pairs, return_index=True)[1])
        return list(zip(ids.iloc[first].tolist(), names.iloc[first].tolist(), strict=True))


def fetch_periods(wh: Warehouse, registry: KpiRegistry, periods: dict[str, Period],
                  scope: AccessScope | None = None) -> dict[str, PeriodFrames]:
    """Each period's frames, from one statement per kind of figure for all the periods."""
    kpis, first = registry.ids(), next(iter(periods.values()))
    by_journey = KpiRequest(kpis, first.start, first.end, by=Scope.JOURNEY)
    journey = kpi_periods_frame(wh, by_journey, periods, scope)
    mot = kpi_periods_frame(wh, KpiRequest(kpis, first.start, first.end, by=Scope.TOUCHPOINT,
                                           filters=Filters(moment_of_truth=True)), periods, scope)
    budget = budget_periods_frame(wh, periods, ("journey_id",), scope)
    return {
        name: PeriodFrames(journey_kpis=_of(journey, name), mot_kpis=_of(mot, name), budget=_of(budget, name),
                           end=period.end, start=period.start)
        for name, period in periods.items()
    }


def _of(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    return frame[frame["period"] == period].drop(columns="period").reset_index(drop=True)


def build_quarter_figures(
    wh: Warehouse,
    registry: KpiRegistry,
    quarter: Period,
    trust: TrustEvidence | None = None,
    as_of: dt.date | None = None,
    scope: AccessScope | None = None,
    dimensions: Mapping[str, pd.DataFrame] | None = None,
) -> QuarterFigures:
    """The quarter's figures, live. Raises EmptyQuarterError when the quarter has no KPI data,
    FutureQuarterError when it starts after ``as_of``; both name the quarters with data dated on
    or before ``as_of``. Without ``as_of`` every row counts, however late it is dated, so a caller
    that did not pick the quarter from ``review_quarters`` should pass its clock. A ``scope``
    (connectors/access.py) computes every figure over its rows only. ``dimensions``: the
    warehouse's journeys, touchpoints and targets as ``dimension_frame`` reads them, when the
    caller holds them already (the app's context), instead of reading them again."""
    if as_of is not None and quarter.start > as_of:
        raise FutureQuarterError(tr("{quarter} starts after {as_of}, so it has no data yet (rows dated later "
                                    "are not counted). {choose}").format(quarter=quarter.label, as_of=as_of,
                                                                         choose=_choose(wh, as_of)))
    bounds = date_bounds(wh, not_after=quarter.end)
    compared = {"current": quarter, "previous": previous_quarter(quarter),
                "last_year": same_quarter_last_year(quarter)}
    periods = fetch_periods(wh, registry, compared, scope)
    if periods["current"].journey_kpis.empty:
        raise EmptyQuarterError(tr("The warehouse has no KPI data for {quarter}. {choose}").format(
            quarter=quarter.label, choose=_choose(wh, as_of)))
    held = dimensions or {}
    journeys, touchpoints, targets = (held[name] if name in held else dimension_frame(wh, name)
                                      for name in ("journeys", "touchpoints", "targets"))
    figures = assemble_figures(
        [kpi_section(periods, targets, registry),
         mot_section(periods, touchpoints, targets, registry, trust),
         budget_section(periods, registry)],
        journeys, touchpoints, registry,
    )
    figures = mark_trust(figures, trust, touchpoints, quarter.start, quarter.end)
    through = bounds[1] if bounds and bounds[1] >= quarter.start else None
    return QuarterFigures(quarter.label, figures, targets_in_force(targets, quarter.end), through)


def _choose(wh: Warehouse, as_of: dt.date | None) -> str:
    """Which quarters to choose instead: those with data dated on or before ``as_of``."""
    quarters = review_quarters(wh, as_of)
    if not quarters:
        if as_of:
            return tr("It has no KPI data dated on or before {as_of} at all, so no quarter can be reviewed "
                      "yet.").format(as_of=as_of)
        return tr("It has no KPI data at all, so no quarter can be reviewed yet.")
    first, last = quarters[-1].label, quarters[0].label
    if as_of:
        return tr("Choose a quarter from {first} to {last} (the quarters with data dated on or before "
                  "{as_of}).").format(first=first, last=last, as_of=as_of)
    return tr("Choose a quarter from {first} to {last} (the quarters with data).").format(first=first,
                                                                                          last=last)
