"""Overview (executives): which journeys are healthy, which moments of truth are off target."""

from __future__ import annotations

import streamlit as st

from metrics.effectiveness import HEALTH_ON_TARGET, MOT_ON_TARGET_HELP, mot_on_target_text, with_deltas
from metrics.model import Scope
from metrics.overview import headline_cells, journey_summary, moments_off_target
from metrics.periods import previous_period
from metrics.status import Status
from ui.cached_charts import show_chart
from ui.charts import health_chart, kpi_status_grid
from ui.context import app_context
from ui.filters import period_filter, touchpoint_filters
from ui.loaders import load_judged
from ui.quality_loaders import show_trust_note
from ui.tables import show_status_table

ctx = app_context()
st.title("Journey health overview")
left, right = st.columns([1, 3])
period = period_filter(ctx, container=left)
with right, st.expander("Filter touchpoints (channel, owner)"):
    filters = touchpoint_filters(ctx)
st.caption(
    f"{period.label}: {period.start:%d %b %Y} – {period.end:%d %b %Y}, against the targets in force on "
    f"{period.end:%d %b %Y}. Changes compare with the {previous_period(period).start:%d %b}"
    f" – {previous_period(period).end:%d %b %Y} period."
)

earlier = previous_period(period)
tp_scored = load_judged(ctx, period.start, period.end, by=Scope.TOUCHPOINT, filters=filters)
if tp_scored.empty:
    st.warning("No KPI data in this period for these filters. Choose a longer period or clear the filters.")
    st.stop()
headline_ids = tuple(k.kpi_id for k in ctx.registry.headline())
journey_now = load_judged(
    ctx, period.start, period.end, by=Scope.JOURNEY, filters=filters, kpi_ids=headline_ids
)
journey_before = load_judged(
    ctx, earlier.start, earlier.end, by=Scope.JOURNEY, filters=filters, kpi_ids=headline_ids
)
journey_scored = with_deltas(journey_now, journey_before, ["journey_id", "kpi_id"], "prev")

summary = journey_summary(tp_scored, ctx.touchpoints, ctx.journeys)
mots = moments_off_target(tp_scored, ctx.touchpoints, ctx.registry)

tiles = st.columns(4)
tiles[0].metric("Journeys", len(summary))
tiles[1].metric(f"Healthy journeys (score ≥ {HEALTH_ON_TARGET:.0f})",
                int((summary["health"] >= HEALTH_ON_TARGET).sum()))
mot_on, mot_judged = int(summary["mot_on_target"].sum()), int(summary["mot_judged"].sum())
tiles[2].metric("Moments of truth on target", mot_on_target_text(mot_on, mot_judged),
                help=MOT_ON_TARGET_HELP)
tiles[3].metric("Moments of truth off target", int((mots["status"] == Status.OFF_TARGET.value).sum()))
show_trust_note(ctx, tp_scored, journey_now)

chart_left, chart_right = st.columns([2, 3])
show_chart(health_chart, summary, container=chart_left)
show_chart(kpi_status_grid, headline_cells(journey_scored, ctx.registry, ctx.journeys), container=chart_right)

st.subheader("Journeys")
show_status_table(
    summary,
    {
        "journey": "Journey",
        "owner": "Map owner",
        "persona": "Persona",
        "health": "Health",
        "mot_text": "MoT on target",
    },
    column_config={
        "Health": st.column_config.ProgressColumn("Health", min_value=0, max_value=100, format="%.0f")
    },
)

st.subheader("Moments of truth off target, worst first")
if mot_judged == 0 and mots.empty:
    st.info("No moment of truth in this selection has a trusted value with a target, so none can be "
            "judged. Widen the period or the filters, or see the trust note above.")
elif mots.empty:
    st.success(f"All {mot_judged} judged moments of truth are on target in this period.")
else:
    mots = mots.assign(journey=mots["journey_id"].map(ctx.journey_name))
    show_status_table(
        mots,
        {
            "journey": "Journey",
            "touchpoint": "Moment of truth",
            "owner": "Owner",
            "kpi": "KPI",
            "value_text": "Value",
            "target_text": "Target",
            "bands_below": "Tolerance bands below",
        },
        column_config={"Tolerance bands below": st.column_config.NumberColumn(format="%.1f")},
    )
