"""Build a quarter's figures from the warehouse (connectors.queries) and the pure review.figures.

Nine small aggregate queries: journey KPIs, moment-of-truth KPIs and budget for the quarter, the
previous quarter and the same quarter last year. Nothing reads the fact table row by row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from connectors.queries import budget_frame, date_bounds, dimension_frame, kpi_frame
from connectors.warehouse import Warehouse
from metrics.model import Filters, KpiRequest, Period, Scope
from metrics.registry import KpiRegistry
from metrics.targets import targets_in_force
from metrics.trust import TrustEvidence
from review.figures import (
    PeriodFrames,
    assemble_figures,
    budget_section,
    kpi_section,
    mark_trust,
    mot_section,
)
from review.quarters import previous_quarter, quarter_of, same_quarter_last_year


class EmptyQuarterError(ValueError):
    """The warehouse has no KPI data in the quarter; the message names the quarters that have."""


@dataclass(frozen=True)
class QuarterFigures:
    """Everything a review shows for one quarter, live from the warehouse or from a snapshot."""

    quarter: str
    figures: pd.DataFrame  # review.figures.FIGURE_COLUMNS
    targets: pd.DataFrame  # targets in force on the quarter's last day
    data_through: dt.date | None  # last fact date in the quarter (< quarter end = partial)
    source: str = "live"  # "live" or "snapshot"
    closed_by: str = ""
    closed_at: str = ""
    comments: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def journeys(self) -> list[tuple[str, str]]:
        pairs = self.figures[["journey_id", "journey_name"]].drop_duplicates()
        return list(pairs.itertuples(index=False, name=None))


def fetch_period(wh: Warehouse, registry: KpiRegistry, period: Period) -> PeriodFrames:
    kpis = registry.ids()
    journey = kpi_frame(wh, KpiRequest(kpis, period.start, period.end, by=Scope.JOURNEY))
    mot = kpi_frame(wh, KpiRequest(kpis, period.start, period.end, by=Scope.TOUCHPOINT,
                                   filters=Filters(moment_of_truth=True)))
    budget = budget_frame(wh, period.start, period.end, by=("journey_id",))
    return PeriodFrames(journey_kpis=journey, mot_kpis=mot, budget=budget, end=period.end, start=period.start)


def build_quarter_figures(
    wh: Warehouse,
    registry: KpiRegistry,
    quarter: Period,
    trust: TrustEvidence | None = None,
) -> QuarterFigures:
    """The quarter's figures, live. Raises EmptyQuarterError when the quarter has no KPI data."""
    bounds = date_bounds(wh, not_after=quarter.end)
    periods = {
        "current": fetch_period(wh, registry, quarter),
        "previous": fetch_period(wh, registry, previous_quarter(quarter)),
        "last_year": fetch_period(wh, registry, same_quarter_last_year(quarter)),
    }
    if periods["current"].journey_kpis.empty:
        raise EmptyQuarterError(_empty_message(wh, quarter))
    journeys = dimension_frame(wh, "journeys")
    touchpoints = dimension_frame(wh, "touchpoints")
    targets = dimension_frame(wh, "targets")
    figures = assemble_figures(
        [kpi_section(periods, targets, registry),
         mot_section(periods, touchpoints, targets, registry, trust),
         budget_section(periods, registry)],
        journeys, touchpoints, registry,
    )
    figures = mark_trust(figures, trust, touchpoints, quarter.start, quarter.end)
    through = bounds[1] if bounds and bounds[1] >= quarter.start else None
    return QuarterFigures(quarter.label, figures, targets_in_force(targets, quarter.end), through)


def _empty_message(wh: Warehouse, quarter: Period) -> str:
    bounds = date_bounds(wh)
    if bounds is None:
        return f"The warehouse has no KPI data at all, so {quarter.label} cannot be reviewed."
    first, last = quarter_of(bounds[0]).label, quarter_of(bounds[1]).label
    return (f"The warehouse has no KPI data for {quarter.label}. It has data from {bounds[0]} to "
            f"{bounds[1]}: choose a quarter from {first} to {last}.")
