"""Journey (map owners): the living journey map, stage funnel, emotional curve and scorecard."""

from __future__ import annotations

import streamlit as st

from metrics.formatting import day_text
from metrics.i18n import N_, tr
from metrics.judgement import NOTHING_JUDGED
from metrics.model import Unit
from ui.actions import action_store, load_actions, open_action_touchpoints, show_actions
from ui.cached_charts import show_chart
from ui.context import app_context
from ui.filters import (
    journey_filter,
    period_filter,
    persona_filter,
    touchpoint_kind_filter,
    url_select,
)
from ui.journey_charts import funnel_chart
from ui.journey_figures import JourneyRequest, journey_figures, journey_touchpoints
from ui.journey_sections import show_emotional_curve, show_journey_map
from ui.quality_loaders import show_trust_counts
from ui.tables import show_table
from ui.text import literal

#: What the page says when the journey has no touchpoint of the chosen kind (ui.filters.TOUCHPOINT_KINDS).
NO_TOUCHPOINTS_OF_KIND = {
    "all": N_("This journey has no touchpoints."),
    "own": N_("This journey has no own touchpoints. Choose all touchpoints."),
    "third_party": N_("This journey has no third-party touchpoints. Choose all touchpoints."),
}

ctx = app_context()
persona_col, left, kind_col, middle, right = st.columns(5)
journey_id = journey_filter(ctx, container=left, persona=persona_filter(ctx, container=persona_col))
kind = touchpoint_kind_filter(container=kind_col)
period = period_filter(ctx, container=middle)
feelings = [k.kpi_id for k in ctx.registry if k.unit is Unit.SCORE]
feeling = url_select(
    tr("Emotional curve KPI"), feelings, "feeling", container=right,
    format_func=lambda k: ctx.registry[k].name,
)

journey = ctx.journeys[ctx.journeys["journey_id"] == journey_id].iloc[0]
st.title(tr("Journey: {name}").format(name=literal(journey["name"])))
persona = journey["persona"].strip() if isinstance(journey["persona"], str) else ""
st.caption(tr("Persona: {persona} · Map owner: {owner} · {period}: {start} – {end}. {description}").format(
    persona=literal(persona or tr("not named")), owner=literal(journey["owner"]), period=tr(period.label),
    start=day_text(period.start), end=day_text(period.end),
    description=literal(journey["description"])))

touchpoints = journey_touchpoints(ctx, journey_id, kind)
if touchpoints.empty:
    st.info(tr(NO_TOUCHPOINTS_OF_KIND[kind]))
    st.stop()
store, store_problem = action_store(ctx)
actions = load_actions(ctx, store, tuple(touchpoints["touchpoint_id"])) if store is not None else None
request = JourneyRequest(period, journey_id, kind, feeling, open_action_touchpoints(actions))
figures = journey_figures(ctx, request)
if figures is None:
    st.warning(
        tr("This journey has no KPI data in the chosen period. Choose a longer period or another journey.")
    )
    st.stop()
show_trust_counts(ctx, *figures.trust)
show_journey_map(ctx, figures, request)

funnel_col, curve_col = st.columns(2)
show_chart(funnel_chart, figures.funnel, container=funnel_col)
show_emotional_curve(curve_col, figures.curve, ctx.registry[feeling])

st.subheader(tr("Pain points: what to fix first"))
pains = figures.pains
if figures.judged == 0:
    st.info(tr(NOTHING_JUDGED))
elif pains.empty:
    st.success(tr("No touchpoint of this journey is below target in the period ({count} values judged).")
               .format(count=figures.judged))
else:
    below, drop_off, pain = tr("Below target (× tolerance)"), tr("Drop-off after stage"), tr("Pain score")
    st.dataframe(
        pains[["mot", "name", "kpi", "kano_text", "shortfall", "drop_off", "pain"]].rename(
            columns={
                "mot": tr("MoT"),
                "name": tr("Touchpoint"),
                "kpi": tr("Worst KPI"),
                "kano_text": tr("Kano class"),
                "shortfall": below,
                "drop_off": drop_off,
                "pain": pain,
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            drop_off: st.column_config.NumberColumn(format="percent"),
            below: st.column_config.NumberColumn(format="%.1f", help=tr(
                "How far the worst KPI is below target, in multiples of its tolerance")),
            pain: st.column_config.NumberColumn(format="%.2f"),
        },
    )

st.subheader(tr("Touchpoint scorecard"))
show_table(figures.scorecard)

st.subheader(tr("Actions on this journey"))
if actions is None:
    st.warning(tr("{problem} Actions cannot be shown.").format(problem=literal(store_problem)))
else:
    show_actions(actions, journey_id,
                 empty=tr("No actions on these touchpoints yet. Owners record them on My touchpoints."))
