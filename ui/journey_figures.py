"""The Journey page's figures from its judged frames, built once per request (ui/page_figures.py).

The map's cards, the funnel, the emotional curve, the pain points and the scorecard (every value
in words) were derived on every run: about 0.4 s of CPU of a warm Journey run at 10 M rows (#19).
``journey_figures`` returns them cached; ``map_view`` the map as its filters cut it, cached per
choice of filters. The owners' actions are read on every run (the state store): which touchpoints
have an open one is part of the request.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.effectiveness import pain_points, stage_conversion, with_deltas
from metrics.formatting import percent_text
from metrics.i18n import N_, tr
from metrics.journey_map import (
    CARDS_PER_STAGE,
    MORE,
    card_line,
    emotional_curve,
    filter_cards,
    journey_map_cards,
    limit_cards,
    scorecard,
    stage_channel_counts,
)
from metrics.judgement import judged_count
from metrics.kano import kano_texts
from metrics.model import Filters, Period, Scope
from metrics.periods import previous_period
from ui.context import AppContext
from ui.filters import of_kind
from ui.loaders import load_funnel, load_judged
from ui.page_figures import page_figures
from ui.period_loaders import load_judged_pair
from ui.quality_loaders import trust_counts
from ui.tables import status_table

#: From this many touchpoints on, the map is topped by the strip of stages by channel.
STRIP_FROM = 25
#: The scorecard's columns with their headings (shown with ``tr``).
SCORECARD_COLUMNS = {
    "mot": N_("MoT"),
    "stage": N_("Stage"),
    "name": N_("Touchpoint"),
    "owner": N_("Owner"),
    "kpi": N_("KPI"),
    "value_text": N_("Value"),
    "target_text": N_("Target"),
    "delta_text": N_("vs previous period"),
    "trust_text": N_("Not trusted because"),
}


@dataclass(frozen=True)
class JourneyRequest:
    """What the page's figures depend on besides the context (hashable: the cache key)."""

    period: Period
    journey_id: str
    kind: str  # ui.filters.TOUCHPOINT_KINDS
    feeling: str  # the emotional curve's KPI
    acted_on: frozenset[str]  # touchpoints with an open owner's action (marked ✎ on the map)


@dataclass(frozen=True)
class JourneyFigures:
    #: (values not trusted, values): ui.quality_loaders.show_trust_counts.
    trust: tuple[int, int]
    #: metrics.journey_map.journey_map_cards: every card of the map, before its filters.
    cards: pd.DataFrame
    #: stage_conversion with ``stage`` (its name) and ``conversion_text``, for the funnel chart.
    funnel: pd.DataFrame
    #: metrics.journey_map.emotional_curve of the chosen KPI.
    curve: pd.DataFrame
    #: Values judged against a target (metrics.judgement.judged_count).
    judged: int
    #: pain_points with ``kpi``, ``mot`` and ``kano_text``.
    pains: pd.DataFrame
    #: metrics.journey_map.scorecard as shown (ui.tables.status_table, headed by SCORECARD_COLUMNS).
    scorecard: pd.DataFrame


@dataclass(frozen=True)
class MapView:
    """The map as its filters cut it."""

    matching: int  # cards the filters keep
    total: int  # cards of the journey
    strip: pd.DataFrame | None  # stage_channel_counts, for large maps only
    shown: pd.DataFrame  # limit_cards: the cards drawn, '+ N more' cards included
    hidden: int  # touchpoints behind the '+ N more' cards


def _build(ctx: AppContext, request: JourneyRequest) -> JourneyFigures | None:
    journey_id, period = request.journey_id, request.period
    stages = ctx.stages[ctx.stages["journey_id"] == journey_id]
    touchpoints = journey_touchpoints(ctx, journey_id, request.kind)
    only_journey = Filters(journey_ids=(journey_id,), touchpoint_ids=tuple(touchpoints["touchpoint_id"]))
    tp_scored, tp_before = load_judged_pair(ctx, period, previous_period(period), by=Scope.TOUCHPOINT,
                                            filters=only_journey)
    if tp_scored.empty:
        return None
    tp_scored = with_deltas(tp_scored, tp_before, ["touchpoint_id", "kpi_id"], "prev")
    cards = journey_map_cards(tp_scored, touchpoints, stages, ctx.registry, card_line(len(stages)),
                              request.acted_on)
    conversion = stage_conversion(load_funnel(ctx, period.start, period.end, (journey_id,)), stages)
    funnel = conversion.rename(columns={"name": "stage"}).assign(
        conversion_text=conversion["conversion_to_next"].map(
            lambda c: "" if c != c else f"{percent_text(100 * c, 0)} →")
    )
    curve = load_judged(ctx, period.start, period.end, by=Scope.STAGE, filters=only_journey,
                        kpi_ids=(request.feeling,), keys={"journey_id": journey_id})
    pains = pain_points(tp_scored, touchpoints, conversion)
    if len(pains):
        pains = pains.assign(
            kpi=pains["kpi_id"].map(lambda k: ctx.registry[k].name),
            mot=pains["moment_of_truth"].map({True: "★", False: ""}),
            kano_text=kano_texts(pains["kano"]),
        )
    return JourneyFigures(
        trust=trust_counts(tp_scored),
        cards=cards,
        funnel=funnel,
        curve=emotional_curve(curve, stages, ctx.registry),
        judged=judged_count(tp_scored),
        pains=pains,
        scorecard=status_table(scorecard(tp_scored, touchpoints, stages, ctx.registry),
                               {key: tr(heading) for key, heading in SCORECARD_COLUMNS.items()}),
    )


def journey_touchpoints(ctx: AppContext, journey_id: str, kind: str) -> pd.DataFrame:
    """The journey's touchpoints of the chosen kind (what the figures cover)."""
    return of_kind(ctx.touchpoints[ctx.touchpoints["journey_id"] == journey_id], kind)


def journey_figures(ctx: AppContext, request: JourneyRequest) -> JourneyFigures | None:
    """The page's figures; None when the journey has no KPI data in the period."""
    return page_figures(_build, ctx, request)


def _map(ctx: AppContext, request: JourneyRequest, channels: tuple[str, ...], owners: tuple[str, ...],
         moments_only: bool, expanded: bool) -> MapView | None:
    figures = journey_figures(ctx, request)
    if figures is None:
        return None
    chosen = filter_cards(figures.cards, channels, owners, moments_only)
    if chosen.empty:
        return MapView(0, len(figures.cards), None, chosen, 0)
    strip = stage_channel_counts(chosen) if len(chosen) >= STRIP_FROM else None
    shown = limit_cards(chosen, CARDS_PER_STAGE, expanded)
    hidden = len(chosen) - int(shown["kind"].ne(MORE).sum())
    return MapView(len(chosen), len(figures.cards), strip, shown, hidden)


def map_view(ctx: AppContext, request: JourneyRequest, channels: tuple[str, ...], owners: tuple[str, ...],
             moments_only: bool, expanded: bool) -> MapView | None:
    """The map's cards as the filters cut them (metrics.journey_map.filter_cards, limit_cards)."""
    return page_figures(_map, ctx, request, channels, owners, moments_only, expanded)
