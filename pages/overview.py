"""Overview (executives): which journeys are healthy, which moments of truth are off target."""

from __future__ import annotations

import streamlit as st

from metrics.effectiveness import MOT_ON_TARGET_HELP, with_deltas
from metrics.formatting import date_text, number_text
from metrics.i18n import tr
from metrics.journey_cards import journey_cards
from metrics.model import Grain, Scope
from metrics.overview import headline_cells, journey_summary, moments_off_target, overview_tiles
from metrics.periods import previous_period
from metrics.trends import complete_window
from ui.cached_charts import show_chart
from ui.charts import kpi_status_grid
from ui.context import app_context
from ui.filters import period_filter, touchpoint_filters
from ui.journey_cards import show_journey_cards, show_tiles
from ui.loaders import load_judged
from ui.period_loaders import load_judged_pair
from ui.quality_loaders import show_trust_note
from ui.tables import show_status_table

#: Months of health the sparkline on each journey card shows.
TREND_MONTHS = 12

ctx = app_context()
st.title(tr("Journey health overview"))
left, right = st.columns([1, 3])
period = period_filter(ctx, container=left)
with right, st.expander(tr("Filter touchpoints (channel, owner)")):
    filters = touchpoint_filters(ctx)
earlier = previous_period(period)
st.caption(tr(
    "{period}: {start} – {end}, against the targets in force on {end}. Changes compare with "
    "{earlier_start} – {earlier_end}."
).format(period=tr(period.label), start=date_text(period.start), end=date_text(period.end),
         earlier_start=date_text(earlier.start), earlier_end=date_text(earlier.end)))

tp_scored, tp_before = load_judged_pair(ctx, period, earlier, by=Scope.TOUCHPOINT, filters=filters)
if tp_scored.empty:
    st.warning(tr("No KPI data in this period for these filters. Choose a longer period or clear the "
                  "filters."))
    st.stop()
months = complete_window(period.end, Grain.MONTH, TREND_MONTHS)
tp_months = load_judged(ctx, max(months.start, ctx.first_date), months.end, by=Scope.TOUCHPOINT,
                        grain=Grain.MONTH, filters=filters)
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
show_tiles(overview_tiles(summary, mots, summary_before, mots_before), tr(MOT_ON_TARGET_HELP))
show_trust_note(ctx, tp_scored, journey_now)

st.subheader(tr("Journeys, least healthy first"))
cards = journey_cards(tp_scored, tp_before, tp_months, ctx.touchpoints, ctx.journeys, ctx.registry)
show_journey_cards(cards)
show_chart(kpi_status_grid, headline_cells(journey_scored, ctx.registry, ctx.journeys))
mot_judged = int(summary["mot_judged"].sum())

st.subheader(tr("Moments of truth off target, worst first"))
if mot_judged == 0 and mots.empty:
    st.info(tr("No moment of truth in this selection has a trusted value with a target, so none can be "
               "judged. Widen the period or the filters, or see the trust note above."))
elif mots.empty:
    st.success(tr("All {count} judged moments of truth are on target in this period.")
               .format(count=mot_judged))
else:
    mots = mots.assign(journey=mots["journey_id"].map(ctx.journey_name),
                       bands_below=mots["bands_below"].map(lambda b: number_text(b, 1)))
    bands_below = tr("Bands below")
    show_status_table(
        mots,
        {
            "journey": tr("Journey"),
            "touchpoint": tr("Moment of truth"),
            "owner": tr("Owner"),
            "kpi": tr("KPI"),
            "value_text": tr("Value"),
            "target_text": tr("Target"),
            "bands_below": bands_below,
        },
        column_config={bands_below: st.column_config.TextColumn(
            help=tr("How far below target, in tolerance bands (the amber band's width)"))},
    )
