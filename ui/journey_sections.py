"""Sections of the journey page: the map with its filters (it scales to hundreds of touchpoints)
and the emotional curve."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from metrics.i18n import tr
from metrics.journey_map import (
    CARDS_PER_STAGE,
    MORE,
    card_line,
    emotional_curve,
    filter_cards,
    journey_map_cards,
    limit_cards,
    stage_channel_counts,
)
from metrics.registry import KpiDef
from ui.cached_charts import show_chart
from ui.context import AppContext
from ui.filters import url_multiselect
from ui.journey_charts import emotional_curve_chart, journey_map_chart, stage_strip_chart
from ui.text import literal

__all__ = ["show_emotional_curve", "show_journey_map"]

#: From this many touchpoints on, the map is topped by the strip of stages by channel.
STRIP_FROM = 25


def show_journey_map(ctx: AppContext, tp_scored: pd.DataFrame, touchpoints: pd.DataFrame,
                     stages: pd.DataFrame, acted_on: frozenset[str] = frozenset()) -> None:
    """Filters (channel, owner, moments of truth), the strip for large journeys, then the map:
    per stage its moments of truth and worst touchpoints first, then '+ N more'. ``acted_on``: the
    touchpoints with an open owner's action (marked ✎)."""
    cards = journey_map_cards(tp_scored, touchpoints, stages, ctx.registry, card_line(len(stages)), acted_on)
    channel_col, owner_col, toggles = st.columns([2, 2, 1])
    channels = url_multiselect(tr("Map: channels"), sorted(cards["channel"].dropna().astype(str).unique()),
                               "channel", container=channel_col)
    owners = url_multiselect(tr("Map: touchpoint owners"),
                             sorted(cards["owner"].dropna().astype(str).unique()),
                             "owner", container=owner_col)
    moments_only = toggles.toggle(tr("Moments of truth only"), key="map_mot_only")
    expanded = toggles.toggle(tr("Show every touchpoint"), key="map_show_all")
    chosen = filter_cards(cards, channels, owners, moments_only)
    if chosen.empty:
        st.info(tr("No touchpoint of this journey matches the map's filters. Clear a channel or owner, or "
                   "untick 'Moments of truth only'."))
        return
    if len(chosen) >= STRIP_FROM:
        show_chart(stage_strip_chart, stage_channel_counts(chosen))
    shown = limit_cards(chosen, CARDS_PER_STAGE, expanded)
    show_chart(journey_map_chart, shown)
    hidden = len(chosen) - int(shown["kind"].ne(MORE).sum())
    matching = tr("{count} of {total} touchpoints match the filters").format(
        count=len(chosen), total=len(cards))
    if hidden:
        matching += tr("; {hidden} more sit behind the '+ N more' cards (tick 'Show every touchpoint')"
                       ).format(hidden=hidden)
    st.caption(tr(
        "{matching}. Each stage lists its moments of truth (★, dark border) first, then its worst "
        "touchpoints; "
        "◆ marks a super-touchpoint, ⇄ a third-party touchpoint and ✎ an open action (below). "
        "A card shows the touchpoint's worst KPI against its target, its channel and owner, and its "
        "Kano class; its colour is that KPI's status. Hover for all KPIs.").format(matching=matching))


def show_emotional_curve(container: DeltaGenerator, curve: pd.DataFrame, stages: pd.DataFrame, kpi: KpiDef,
                         ctx: AppContext) -> None:
    """The curve over every stage of the journey, with gaps where a stage has no value."""
    frame = emotional_curve(curve, stages, ctx.registry)
    if frame["value"].notna().sum() == 0:
        container.info(tr("No {kpi} measured in this journey in the period.").format(kpi=literal(kpi.name)))
        return
    show_chart(emotional_curve_chart, frame, kpi, container=container)
    missing = frame.loc[frame["value"].isna(), "stage"].astype(str).tolist()
    if missing:
        container.caption(tr(
            "No {kpi} in the period for: {stages}. The curve leaves a gap there instead of drawing across it."
        ).format(kpi=literal(kpi.name), stages=literal(", ".join(missing))))
