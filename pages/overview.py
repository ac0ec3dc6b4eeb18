"""Overview (executives): which journeys are healthy, which moments of truth are off target."""

from __future__ import annotations

import streamlit as st

from metrics.effectiveness import MOT_ON_TARGET_HELP
from metrics.formatting import date_text
from metrics.i18n import tr
from metrics.periods import previous_period
from ui.context import app_context
from ui.filters import period_filter, touchpoint_filters
from ui.journey_cards import show_journey_cards, show_tiles
from ui.overview_figures import overview_figures
from ui.quality_loaders import show_trust_counts
from ui.status_grid import show_grid_html
from ui.tables import show_table

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

figures = overview_figures(ctx, period, earlier, filters)
if figures is None:
    st.warning(tr("No KPI data in this period for these filters. Choose a longer period or clear the "
                  "filters."))
    st.stop()
show_tiles(figures.tiles, tr(MOT_ON_TARGET_HELP))
show_trust_counts(ctx, *figures.trust)

st.subheader(tr("Journeys, least healthy first"))
show_journey_cards(figures.cards)
show_grid_html(figures.grid_html)
mots, mot_judged = figures.mots, figures.mot_judged

st.subheader(tr("Moments of truth off target, worst first"))
if mot_judged == 0 and mots.num_rows == 0:
    st.info(tr("No moment of truth in this selection has a trusted value with a target, so none can be "
               "judged. Widen the period or the filters, or see the trust note above."))
elif mots.num_rows == 0:
    st.success(tr("All {count} judged moments of truth are on target in this period.")
               .format(count=mot_judged))
else:
    show_table(mots, column_config={tr("Bands below"): st.column_config.TextColumn(
        help=tr("How far below target, in tolerance bands (the amber band's width)"))})
