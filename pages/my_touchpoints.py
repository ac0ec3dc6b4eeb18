"""My touchpoints (map and touchpoint owners): alerts, what to fix first (worst first), movers, pain
points, quick wins and the owner's actions with their KPI before and after, each with its reason."""

from __future__ import annotations

import streamlit as st

from metrics.formatting import date_text, month_text
from metrics.i18n import tr
from metrics.model import Grain
from metrics.owners import owner_names, owner_touchpoints
from ui.actions import action_store, load_actions, record_action_form, show_actions, status_form
from ui.alert_sections import show_alert_history
from ui.context import app_context
from ui.filters import url_select
from ui.owner_figures import SPARK_PERIODS, SPEND_MONTHS, owner_figures
from ui.owner_sections import show_alerts, show_movers, show_pain_points, show_priorities, show_quick_wins
from ui.quality_loaders import show_trust_counts
from ui.text import literal

ctx = app_context()
registry = ctx.registry
owner_col, grain_col = st.columns([3, 1])
names = owner_names(ctx.journeys, ctx.touchpoints)
own = [n for n in names if ctx.scope.owns(n)]  # opens on the logged-in owner; scoped: only theirs
owner = url_select(tr("Owner"), names if ctx.scope.everything or not own else own, "owner_name",
                   default=own[0] if own else None, container=owner_col)
grains = {"week": tr("Weekly"), "month": tr("Monthly")}
grain = Grain(url_select(tr("Period"), list(grains), "owner_grain", default="month", container=grain_col,
                         format_func=grains.__getitem__))
st.title(tr("My touchpoints: {owner}").format(owner=literal(owner)))
mine = owner_touchpoints(owner, ctx.journeys, ctx.touchpoints)
if mine.empty:
    st.info(tr("{owner} owns no journey map and no touchpoint. Choose another owner.").format(
        owner=literal(owner)))
    st.stop()
mine = mine.assign(journey=mine["journey_id"].map(ctx.journey_name))

streak_periods = ctx.settings.alert_streak
figures = owner_figures(ctx, owner, grain, streak_periods)
if figures is None:
    st.warning(tr("None of these touchpoints has KPI data in the last complete periods."))
    st.stop()
roles = ", ".join(tr("{count} as {role}").format(count=n, role=tr(role))
                  for role, n in mine["role"].astype(str).value_counts().items())
if grain is Grain.MONTH:
    caption = tr("{count} touchpoints ({roles}) · latest complete month: {latest} · each listed item says "
                 "why it is there.")
    latest_label = month_text(figures.latest)
else:
    caption = tr("{count} touchpoints ({roles}) · latest complete week: {latest} · each listed item says "
                 "why it is there.")
    latest_label = tr("week of {date}").format(date=date_text(figures.latest))
st.caption(caption.format(count=len(mine), roles=roles, latest=latest_label))

show_trust_counts(ctx, *figures.trust)

show_alerts(figures.alerts, streak_periods)

st.subheader(tr("What to fix first"))
trend_label = (tr("Last {count} months") if grain is Grain.MONTH else tr("Last {count} weeks")).format(
    count=SPARK_PERIODS)
show_priorities(figures.priorities, trend_label)

movers_col, pains_col = st.columns(2)
with movers_col:
    show_movers(figures.movers)
with pains_col:
    show_pain_points(figures.pains)

st.subheader(tr("Quick wins: moments of truth that are cheap to move"))
wins = figures.wins
if wins.empty and figures.mot_judged == 0:
    st.info(tr("No moment of truth of these touchpoints has a trusted value with a target in the latest "
               "period, so none can be judged."))
elif wins.empty:
    st.success(tr("No moment of truth of these touchpoints is off target or at risk."))
else:
    show_quick_wins(wins)
    st.caption(tr("Value for money = weight × how far below target (in tolerance widths) ÷ mean monthly "
                  "spend (thousand EUR, last {months} months). Touchpoints without recorded spend come last: "
                  "their cost is unknown.").format(months=SPEND_MONTHS))

show_alert_history(ctx, owner, mine)

st.subheader(tr("Actions"))
store, store_problem = action_store(ctx)
if store is None:
    st.warning(tr("{problem} Actions cannot be shown or recorded.").format(
        problem=literal(store_problem)))
    st.stop()
with st.expander(tr("Record an action"), expanded=False):
    record_action_form(ctx, store, mine, owner, figures.first_priority)
actions = load_actions(ctx, store, tuple(mine["touchpoint_id"]))
show_actions(actions, empty=tr("No actions on these touchpoints yet. Record one above: what, who, due date "
                                "and start; its KPI before and after the start then shows whether it works."))
if len(actions):
    with st.expander(tr("Change the status of an action")):
        status_form(store, actions, owner)
