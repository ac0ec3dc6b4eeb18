"""The Overview's figures from its judged frames, built once per request (ui/page_figures.py).

Journey health, the tiles, the cards with their 12-month sparklines, the headline cells and the
moments of truth off target were derived on every run: about 0.5 s of CPU of a warm Overview at
10 M rows (#19). ``overview_figures`` returns them cached; the page only draws.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa

from metrics.effectiveness import with_deltas
from metrics.formatting import number_text
from metrics.i18n import N_, tr
from metrics.journey_cards import (
    TREND_COLUMNS,
    JourneyCard,
    health_grid,
    health_series,
    journey_cards,
    months_health,
)
from metrics.model import Filters, Grain, Period, Scope
from metrics.overview import (
    OverviewTiles,
    headline_cells,
    journey_summary,
    moments_off_target,
    overview_tiles,
)
from metrics.targets import kpis_with_targets
from metrics.trends import complete_window
from ui.context import AppContext
from ui.loaders import load_judged, yardstick
from ui.page_figures import page_figures
from ui.period_loaders import load_judged_pair
from ui.quality_loaders import trust_counts
from ui.read_parts import trend_parts
from ui.status_grid import headline_grid_html
from ui.tables import arrow_table, status_table

#: Months of health the sparkline on each journey card shows.
TREND_MONTHS = 12
#: The columns of the moments of truth off target, with their headings (shown with ``tr``).
MOTS_COLUMNS = {
    "journey": N_("Journey"),
    "touchpoint": N_("Moment of truth"),
    "owner": N_("Owner"),
    "kpi": N_("KPI"),
    "value_text": N_("Value"),
    "target_text": N_("Target"),
    "bands_below": N_("Bands below"),
}


@dataclass(frozen=True)
class OverviewFigures:
    tiles: OverviewTiles
    #: (values not trusted, values) over the touchpoints' and journeys' judged values (show_trust_counts).
    trust: tuple[int, int]
    cards: list[JourneyCard]
    #: headline_cells of the journeys' headline KPIs, with their change, as the headline grid's HTML
    #: (ui.status_grid.headline_grid_html): built once with the figures, not on every run (about 8 ms
    #: of CPU of a warm run's 50 at 10 M rows, #19).
    grid_html: str
    #: Moments of truth judged (of journey_summary), whether or not on target.
    mot_judged: int
    #: moments_off_target as shown (ui.tables.status_table, headed by MOTS_COLUMNS) as the Arrow table
    #: st.dataframe would convert it to on every run (ui.tables.arrow_table); no rows when none.
    mots: pa.Table


def trend_window(ctx: AppContext, period: Period) -> tuple[dt.date, dt.date]:
    """First and last day of the months the cards' health trend covers."""
    months = complete_window(period.end, Grain.MONTH, TREND_MONTHS)
    return max(months.start, ctx.first_date), months.end


def trend_kpis(ctx: AppContext, period: Period) -> tuple[str, ...] | None:
    """The KPIs the health trend reads: those with a target in force in its months (the trend uses
    only judged statuses, and a KPI without a target has none), in the registry's order; None (all)
    when no KPI has one. At 100 M rows this leaves out a quarter of the month's rows (reach, which has
    no target in the demo) from the Overview's largest statement (#19)."""
    judgeable = kpis_with_targets(ctx.targets, *trend_window(ctx, period))
    return tuple(k for k in ctx.registry.ids() if k in judgeable) or None


def health_trend(ctx: AppContext, period: Period, filters: Filters) -> pd.DataFrame:
    """metrics.journey_cards.health_series of the cards' months (``trend_window``).

    Where the monthly summary answers those months and the journeys have more touchpoints together
    than a part holds (ui.read_parts.trend_parts), they are read and judged a part of the journeys at
    a time, each part reduced to its journeys' health before the next is read (ui/read_parts.py):
    at 100 M fact rows the 12 months of every touchpoint are 486,000 values, which with their judged
    columns were held until the figures were built (#19: memory). A journey's health comes from its
    own touchpoints' values alone, so the trend is the same as read at once."""
    start, end = trend_window(ctx, period)
    kpi_ids = trend_kpis(ctx, period)
    parts = trend_parts(ctx.warehouse, ctx.touchpoints, filters.journey_ids, Period(start, end))
    if len(parts) == 1:
        judged = load_judged(ctx, start, end, by=Scope.TOUCHPOINT, grain=Grain.MONTH, filters=filters,
                             kpi_ids=kpi_ids, columns=TREND_COLUMNS)
        return health_series(judged, ctx.touchpoints)
    healths, starts = [], []
    judging = yardstick(ctx)  # every part against the same, built once
    for part in parts:
        judged = load_judged(ctx, start, end, by=Scope.TOUCHPOINT, grain=Grain.MONTH,
                             filters=replace(filters, journey_ids=part), kpi_ids=kpi_ids,
                             columns=TREND_COLUMNS, kept=False, judging=judging)
        starts.append(pd.unique(judged["period_start"].dropna()))
        healths.append(months_health(judged, ctx.touchpoints))
        del judged  # before the next part is read (#19: memory)
    return health_grid(pd.concat(healths, ignore_index=True), list(np.unique(np.concatenate(starts))),
                       ctx.touchpoints)


def _build(ctx: AppContext, period: Period, earlier: Period, filters: Filters) -> OverviewFigures | None:
    tp_scored, tp_before = load_judged_pair(ctx, period, earlier, by=Scope.TOUCHPOINT, filters=filters)
    if tp_scored.empty:
        return None
    health = health_trend(ctx, period, filters)
    headline_ids = tuple(k.kpi_id for k in ctx.registry.headline())
    journey_now, journey_before = load_judged_pair(
        ctx, period, earlier, by=Scope.JOURNEY, filters=filters, kpi_ids=headline_ids
    )
    journey_scored = with_deltas(journey_now, journey_before, ["journey_id", "kpi_id"], "prev")

    summary = journey_summary(tp_scored, ctx.touchpoints, ctx.journeys)
    mots = moments_off_target(tp_scored, ctx.touchpoints, ctx.registry)
    if tp_before.empty:  # nothing to compare with: the tiles show no change rather than a made-up one
        mots_before, summary_before = mots[:0], summary[:0]
    else:
        mots_before = moments_off_target(tp_before, ctx.touchpoints, ctx.registry)
        summary_before = journey_summary(tp_before, ctx.touchpoints, ctx.journeys)
    tiles = overview_tiles(summary, mots, summary_before, mots_before)
    if len(mots):
        mots = mots.assign(journey=mots["journey_id"].map(ctx.journey_name),
                           bands_below=mots["bands_below"].map(lambda b: number_text(b, 1)))
        mots = status_table(mots, {key: tr(heading) for key, heading in MOTS_COLUMNS.items()})
    shown = arrow_table(mots) if len(mots) else pa.table({})
    return OverviewFigures(
        tiles=tiles,
        trust=trust_counts(tp_scored, journey_now),
        cards=journey_cards(tp_scored, tp_before, None, ctx.touchpoints, ctx.journeys, ctx.registry,
                            summaries=(summary, summary_before), health=health),
        grid_html=headline_grid_html(headline_cells(journey_scored, ctx.registry, ctx.journeys)),
        mot_judged=int(summary["mot_judged"].sum()),
        mots=shown,
    )


def overview_figures(ctx: AppContext, period: Period, earlier: Period,
                     filters: Filters) -> OverviewFigures | None:
    """The Overview's figures for ``period`` against ``earlier``; None when the period has no KPI data."""
    return page_figures(_build, ctx, period, earlier, filters)
