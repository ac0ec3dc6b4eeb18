"""My touchpoints (map and touchpoint owners): alerts, what to fix first (worst first), movers, pain
points, quick wins and the owner's actions with their KPI before and after, each with its reason."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.alerts import DEFAULT_WINDOW
from metrics.effectiveness import stage_conversion
from metrics.formatting import date_text, month_text
from metrics.i18n import tr
from metrics.judgement import judged_count
from metrics.model import Filters, Grain, Scope
from metrics.owners import monthly_spend, owner_names, owner_touchpoints, quick_wins, recent_values
from metrics.priorities import owner_priorities
from metrics.streaks import off_target_streaks
from metrics.trends import complete_window
from ui.actions import action_store, load_actions, record_action_form, show_actions, status_form
from ui.alert_sections import show_alert_history
from ui.context import app_context
from ui.filters import url_select
from ui.loaders import load_budget, load_funnel, load_judged
from ui.owner_sections import show_alerts, show_movers, show_pain_points, show_priorities, show_quick_wins
from ui.quality_loaders import show_trust_note
from ui.text import literal

SPARK_PERIODS = 13
SPEND_MONTHS = 3

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
window = complete_window(ctx.as_of, grain, max(DEFAULT_WINDOW, streak_periods) + 1)
series = load_judged(ctx, max(window.start, ctx.first_date), window.end, by=Scope.TOUCHPOINT, grain=grain,
                     filters=Filters(touchpoint_ids=tuple(mine["touchpoint_id"])))
if series.empty:
    st.warning(tr("None of these touchpoints has KPI data in the last complete periods."))
    st.stop()
periods = sorted(series["period_start"].unique())
latest = series[series["period_start"] == periods[-1]]
previous = series[series["period_start"] == periods[-2]] if len(periods) > 1 else latest.iloc[:0]
roles = ", ".join(tr("{count} as {role}").format(count=n, role=tr(role))
                  for role, n in mine["role"].astype(str).value_counts().items())
if grain is Grain.MONTH:
    caption = tr("{count} touchpoints ({roles}) · latest complete month: {latest} · each listed item says "
                 "why it is there.")
    latest_label = month_text(periods[-1])
else:
    caption = tr("{count} touchpoints ({roles}) · latest complete week: {latest} · each listed item says "
                 "why it is there.")
    latest_label = tr("week of {date}").format(date=date_text(periods[-1]))
st.caption(caption.format(count=len(mine), roles=roles, latest=latest_label))

show_trust_note(ctx, latest)

show_alerts(series, ctx.touchpoints, registry, streak_periods)

st.subheader(tr("What to fix first"))
journey_touchpoints = ctx.touchpoints[ctx.touchpoints["journey_id"].isin(mine["journey_id"])]
streaks = off_target_streaks(series, ["touchpoint_id", "kpi_id"])
ranked = owner_priorities(latest, journey_touchpoints, streaks, streak_periods)
ranked = ranked[ranked["touchpoint_id"].isin(mine["touchpoint_id"])].merge(
    mine[["touchpoint_id", "journey", "third_party"]], on="touchpoint_id")
trend_label = (tr("Last {count} months") if grain is Grain.MONTH else tr("Last {count} weeks")).format(
    count=SPARK_PERIODS)
show_priorities(ranked, recent_values(series, ["touchpoint_id", "kpi_id"], SPARK_PERIODS), registry,
                trend_label)

movers_col, pains_col = st.columns(2)
with movers_col:
    show_movers(latest, previous, ctx.touchpoints, registry)
with pains_col:
    journeys = tuple(mine["journey_id"].unique())
    funnel = load_funnel(ctx, pd.Timestamp(periods[-1]).date(), window.end, journeys)
    show_pain_points(latest, mine, stage_conversion(funnel, ctx.stages), registry)

st.subheader(tr("Quick wins: moments of truth that are cheap to move"))
spend_from = (pd.Timestamp(window.end) - pd.DateOffset(months=SPEND_MONTHS) + pd.Timedelta(days=1)).date()
spend = monthly_spend(load_budget(ctx, spend_from, window.end, ("month", "touchpoint_id")))
wins = quick_wins(latest, mine, spend, registry)
mot_values = latest[latest["touchpoint_id"].isin(mine.loc[mine["moment_of_truth"], "touchpoint_id"])]
if wins.empty and judged_count(mot_values) == 0:
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
    first = ranked.iloc[0] if len(ranked) else None
    record_action_form(ctx, store, mine, owner, (first["touchpoint_id"], first["kpi_id"]) if first is not None
                       else None)
actions = load_actions(ctx, store, tuple(mine["touchpoint_id"]))
show_actions(actions, empty=tr("No actions on these touchpoints yet. Record one above: what, who, due date "
                                "and start; its KPI before and after the start then shows whether it works."))
if len(actions):
    with st.expander(tr("Change the status of an action")):
        status_form(store, actions, owner)
