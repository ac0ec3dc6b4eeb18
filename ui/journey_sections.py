"""Sections of the journey page: the map with its filters (it scales to hundreds of touchpoints)
and the emotional curve."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from metrics.i18n import tr
from metrics.registry import KpiDef
from ui.cached_charts import show_chart
from ui.context import AppContext
from ui.filters import url_multiselect
from ui.journey_charts import emotional_curve_chart, journey_map_chart, stage_strip_chart
from ui.journey_figures import JourneyFigures, JourneyRequest, map_view
from ui.text import literal

__all__ = ["show_emotional_curve", "show_journey_map"]


def show_journey_map(ctx: AppContext, figures: JourneyFigures, request: JourneyRequest) -> None:
    """Filters (channel, owner, moments of truth), the strip for large journeys, then the map:
    per stage its moments of truth and worst touchpoints first, then '+ N more'. Touchpoints with
    an open owner's action (``request.acted_on``) are marked ✎."""
    cards = figures.cards
    channel_col, owner_col, toggles = st.columns([2, 2, 1])
    channels = url_multiselect(tr("Map: channels"), sorted(cards["channel"].dropna().astype(str).unique()),
                               "channel", container=channel_col)
    owners = url_multiselect(tr("Map: touchpoint owners"),
                             sorted(cards["owner"].dropna().astype(str).unique()),
                             "owner", container=owner_col)
    moments_only = toggles.toggle(tr("Moments of truth only"), key="map_mot_only")
    expanded = toggles.toggle(tr("Show every touchpoint"), key="map_show_all")
    view = map_view(ctx, request, tuple(channels), tuple(owners), bool(moments_only), bool(expanded))
    if view is None or view.matching == 0:
        st.info(tr("No touchpoint of this journey matches the map's filters. Clear a channel or owner, or "
                   "untick 'Moments of truth only'."))
        return
    if view.strip is not None:
        show_chart(stage_strip_chart, view.strip)
    show_chart(journey_map_chart, view.shown)
    matching = tr("{count} of {total} touchpoints match the filters").format(
        count=view.matching, total=view.total)
    if view.hidden:
        matching += tr("; {hidden} more sit behind the '+ N more' cards (tick 'Show every touchpoint')"
                       ).format(hidden=view.hidden)
    st.caption(tr(
        "{matching}. Each stage lists its moments of truth (★, dark border) first, then its worst "
        "touchpoints; "
        "◆ marks a super-touchpoint, ⇄ a third-party touchpoint and ✎ an open action (below). "
        "A card shows the touchpoint's worst KPI against its target, its channel and owner, and its "
        "Kano class; its colour is that KPI's status. Hover for all KPIs.").format(matching=matching))


def show_emotional_curve(container: DeltaGenerator, frame: pd.DataFrame, kpi: KpiDef) -> None:
    """The curve (metrics.journey_map.emotional_curve) over every stage of the journey, with gaps
    where a stage has no value."""
    if frame["value"].notna().sum() == 0:
        container.info(tr("No {kpi} measured in this journey in the period.").format(kpi=literal(kpi.name)))
        return
    show_chart(emotional_curve_chart, frame, kpi, container=container)
    missing = frame.loc[frame["value"].isna(), "stage"].astype(str).tolist()
    if missing:
        container.caption(tr(
            "No {kpi} in the period for: {stages}. The curve leaves a gap there instead of drawing across it."
        ).format(kpi=literal(kpi.name), stages=literal(", ".join(missing))))
