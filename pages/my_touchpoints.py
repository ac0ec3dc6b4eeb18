"""My touchpoints (map and touchpoint owners): status, small trends, alerts, movers, pain points and
quick wins, each with the reason it is listed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.alerts import DEFAULT_WINDOW
from metrics.effectiveness import stage_conversion
from metrics.judgement import judged_count
from metrics.model import Filters, Grain, Scope
from metrics.owners import (
    monthly_spend,
    owner_names,
    owner_touchpoints,
    quick_wins,
    recent_values,
)
from metrics.trends import complete_window
from ui.alert_sections import show_alert_history
from ui.context import app_context
from ui.filters import url_select
from ui.loaders import load_budget, load_funnel, load_judged
from ui.owner_sections import show_alerts, show_movers, show_pain_points
from ui.quality_loaders import show_trust_note
from ui.tables import show_status_table
from ui.text import literal

SPARK_PERIODS = 13
SPEND_MONTHS = 3

ctx = app_context()
registry = ctx.registry
owner_col, grain_col = st.columns([3, 1])
names = owner_names(ctx.journeys, ctx.touchpoints)
own = [n for n in names if ctx.scope.owns(n)]  # opens on the logged-in owner; scoped: only theirs
owner = url_select("Owner", names if ctx.scope.everything or not own else own, "owner_name",
                   default=own[0] if own else None, container=owner_col)
grain = Grain(url_select("Period", ["week", "month"], "owner_grain", default="month", container=grain_col,
                         format_func=lambda g: f"{g.capitalize()}ly"))
st.title(f"My touchpoints: {literal(owner)}")
mine = owner_touchpoints(owner, ctx.journeys, ctx.touchpoints)
if mine.empty:
    st.info(f"{literal(owner)} owns no journey map and no touchpoint. Choose another owner.")
    st.stop()
mine = mine.assign(journey=mine["journey_id"].map(ctx.journey_name))

window = complete_window(ctx.as_of, grain, DEFAULT_WINDOW + 1)
series = load_judged(ctx, max(window.start, ctx.first_date), window.end, by=Scope.TOUCHPOINT, grain=grain,
                     filters=Filters(touchpoint_ids=tuple(mine["touchpoint_id"])))
if series.empty:
    st.warning("None of these touchpoints has KPI data in the last complete periods.")
    st.stop()
periods = sorted(series["period_start"].unique())
latest = series[series["period_start"] == periods[-1]]
previous = series[series["period_start"] == periods[-2]] if len(periods) > 1 else latest.iloc[:0]
roles = ", ".join(f"{n} as {r}" for r, n in mine["role"].value_counts().items())
latest_label = f"{pd.Timestamp(periods[-1]):%B %Y}" if grain is Grain.MONTH else \
    f"week of {pd.Timestamp(periods[-1]):%d %b %Y}"
st.caption(f"{len(mine)} touchpoints ({roles}) · latest complete {grain.value}: {latest_label} · "
           "each listed item says why it is there.")

show_trust_note(ctx, latest)

show_alerts(series, ctx.touchpoints, registry)
show_alert_history(ctx, owner, mine)

st.subheader("Status and trend")
trend = recent_values(series, ["touchpoint_id", "kpi_id"], SPARK_PERIODS)
table = latest.merge(trend, on=["touchpoint_id", "kpi_id"]).merge(
    mine[["touchpoint_id", "name", "journey", "role", "moment_of_truth"]], on="touchpoint_id")
table = table.assign(
    kpi=table["kpi_id"].map(lambda k: registry[k].name),
    value_text=[registry[k].format(v) for k, v in zip(table["kpi_id"], table["value"], strict=True)],
    target_text=[registry[k].format(v) for k, v in zip(table["kpi_id"], table["target"], strict=True)],
    mot=table["moment_of_truth"].map({True: "★", False: ""}),
).sort_values(["journey", "name", "kpi"])
show_status_table(table, {"mot": "MoT", "journey": "Journey", "name": "Touchpoint", "role": "My role",
                          "kpi": "KPI", "value_text": "Value", "target_text": "Target", "trend": "Trend"},
                  column_config={
                      "Trend": st.column_config.LineChartColumn(f"Last {SPARK_PERIODS} {grain.value}s")
                  })

movers_col, pains_col = st.columns(2)
with movers_col:
    show_movers(latest, previous, ctx.touchpoints, registry)
with pains_col:
    journeys = tuple(mine["journey_id"].unique())
    funnel = load_funnel(ctx, pd.Timestamp(periods[-1]).date(), window.end, journeys)
    show_pain_points(latest, mine, stage_conversion(funnel, ctx.stages), registry)

st.subheader("Quick wins: moments of truth that are cheap to move")
spend_from = (pd.Timestamp(window.end) - pd.DateOffset(months=SPEND_MONTHS) + pd.Timedelta(days=1)).date()
spend = monthly_spend(load_budget(ctx, spend_from, window.end, ("month", "touchpoint_id")))
wins = quick_wins(latest, mine, spend, registry)
mot_values = latest[latest["touchpoint_id"].isin(mine.loc[mine["moment_of_truth"], "touchpoint_id"])]
if wins.empty and judged_count(mot_values) == 0:
    st.info("No moment of truth of these touchpoints has a trusted value with a target in the latest period, "
            "so none can be judged.")
elif wins.empty:
    st.success("No moment of truth of these touchpoints is off target or at risk.")
else:
    show_status_table(wins.assign(kpi=wins["kpi_id"].map(lambda k: registry[k].name)),
                      {"name": "Touchpoint", "kpi": "KPI", "score": "Score", "reason": "Why it is listed"},
                      column_config={"Score": st.column_config.NumberColumn(format="%.2f")})
    st.caption(f"Score = weight × bands below target ÷ mean monthly spend (thousand EUR, last {SPEND_MONTHS} "
               "months). Touchpoints without recorded spend come last: their cost is unknown.")
