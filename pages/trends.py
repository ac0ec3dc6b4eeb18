"""Trends (owners and executives): KPIs over time against their targets, pacing and comparisons."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from metrics.formatting import date_text
from metrics.i18n import N_, tr
from metrics.model import Filters, Grain, Period, Scope
from metrics.targets import target_steps
from metrics.trends import (
    TREND_GRAINS,
    complete_window,
    grain_text,
    last_year_overlay,
    last_year_window,
    scope_chain,
    scope_keys,
    scope_text,
    target_step_points,
)
from ui.cached_charts import show_chart
from ui.context import app_context
from ui.filters import url_multiselect, url_select
from ui.loaders import load_kpis
from ui.period_loaders import load_judged_periods
from ui.quality_loaders import show_trust_note
from ui.text import literal
from ui.trend_charts import trend_chart
from ui.trend_sections import comparison_text, pacing_table

#: How many complete periods a trend shows at each grain.
PERIODS_SHOWN = {Grain.DAY: 90, Grain.WEEK: 52, Grain.MONTH: 24, Grain.QUARTER: 12}
SCOPES = (Scope.ALL, Scope.JOURNEY, Scope.STAGE, Scope.TOUCHPOINT, Scope.CHANNEL)
FILTER_FIELD = {Scope.JOURNEY: "journey_ids", Scope.STAGE: "stage_ids", Scope.TOUCHPOINT: "touchpoint_ids",
                Scope.CHANNEL: "channels"}

#: "24 complete months from ... to ..." per grain (shown with ``tr``).
COMPLETE_PERIODS = {
    Grain.DAY: N_("{count} complete days from {start} to {end}"),
    Grain.WEEK: N_("{count} complete weeks from {start} to {end}"),
    Grain.MONTH: N_("{count} complete months from {start} to {end}"),
    Grain.QUARTER: N_("{count} complete quarters from {start} to {end}"),
}


def capitalized(text: str) -> str:
    """'journey' -> 'Journey' (a word of a sentence as a label)."""
    return text[:1].upper() + text[1:]


ctx = app_context()
st.title(tr("Trends against targets"))
registry = ctx.registry
kpi_col, grain_col, scope_col, member_col = st.columns([3, 1, 1, 2])
judged_ids = [k.kpi_id for k in registry if ctx.targets["kpi_id"].eq(k.kpi_id).any()] or list(registry.ids())
# Repeated ``kpi`` URL parameters (/trends?kpi=csat&kpi=nps), so a copied link shows the same KPIs.
kpi_ids = list(url_multiselect(tr("KPIs"), registry.ids(), "kpi", default=judged_ids[:2], container=kpi_col,
                               format_func=lambda k: registry[k].name, placeholder=tr("Choose KPIs")))
grain = Grain(url_select(tr("Grain"), [g.value for g in TREND_GRAINS], "grain", default="month",
                         container=grain_col, format_func=grain_text))
scope = Scope(url_select(tr("Scope"), [s.value for s in SCOPES], "scope", container=scope_col,
                         format_func=lambda s: capitalized(scope_text(s))))
members = {
    Scope.JOURNEY: dict(zip(ctx.journeys["journey_id"], ctx.journeys["name"], strict=True)),
    Scope.STAGE: {r.stage_id: f"{ctx.journey_name(str(r.journey_id))} · {r.name}"
                  for r in ctx.stages.sort_values(["journey_id", "position"]).itertuples()
                  if r.stage_id in set(ctx.touchpoints["stage_id"])},
    Scope.TOUCHPOINT: dict(zip(ctx.touchpoints["touchpoint_id"], ctx.touchpoints["name"], strict=True)),
    Scope.CHANNEL: {c: c for c in sorted(ctx.touchpoints["channel"].dropna().astype(str).unique())},
}.get(scope, {})
member = None
if members:
    member = url_select(capitalized(scope_text(scope)), list(members), f"{scope.value}_id",
                        container=member_col, format_func=lambda m: str(members.get(m, m)))
show_last_year = st.toggle(tr("Show the same period last year"), value=True)
if not kpi_ids:
    st.info(tr("Choose at least one KPI above."))
    st.stop()

scope_filter: dict[str, Any] = {FILTER_FIELD[scope]: (member,)} if member else {}
filters = Filters(**scope_filter)
keys = scope_keys(scope, member, ctx.touchpoints) if scope is not Scope.CHANNEL else {}
window = complete_window(ctx.as_of, grain, PERIODS_SHOWN[grain])
start = max(window.start, ctx.first_date)
# The shown window and the same window last year in one warehouse statement (ui/period_loaders.py).
windows = {"current": Period(start, window.end)}
if show_last_year:
    windows["last_year"] = last_year_window(Period(start, window.end), grain)
judged = load_judged_periods(ctx, windows, grain=grain, filters=filters, kpi_ids=tuple(kpi_ids), keys=keys)
series = judged["current"]
if series.empty:
    measured = load_kpis(ctx, start, window.end, filters=filters)["kpi_id"].unique()
    names = ", ".join(literal(registry[k].name) for k in measured if k in registry) or tr("none")
    st.warning(tr("The chosen KPIs have no data for this scope in the shown range. KPIs measured here: "
                  "{names}.").format(names=names))
    st.stop()
show_trust_note(ctx, series)
last_year = pd.DataFrame()
if show_last_year:
    last_year = last_year_overlay(judged["last_year"], grain)
    last_year = last_year[last_year["period_start"] >= pd.Timestamp(start)]
shown_member = f" · {literal(members[member])}" if member else ""
shown_periods = tr(COMPLETE_PERIODS[grain]).format(
    count=len(series["period_start"].unique()), start=date_text(start), end=date_text(window.end))
st.caption(shown_periods
           + tr("; scope: {scope}{member}. Each period is judged against the target in force on its last "
                "day. A hollow point comes from too few responses to read as more than noise (the sample is "
                "on hover).").format(scope=scope_text(scope), member=shown_member))


for kpi_id in kpi_ids:
    kpi = registry[kpi_id]
    st.subheader(literal(kpi.name) if kpi.higher_is_better
                 else tr("{kpi} (lower is better)").format(kpi=literal(kpi.name)))
    kpi_series = series[series["kpi_id"] == kpi_id]
    kpi_last_year = last_year[last_year["kpi_id"] == kpi_id] if not last_year.empty else last_year
    steps = target_steps(ctx.targets, kpi_id, scope_chain(keys), start, window.end)
    points = target_step_points(steps, kpi.higher_is_better)
    show_chart(trend_chart, kpi_series, points, kpi, grain.value, kpi_last_year if show_last_year else None,
               height=440)
    text_col, pace_col = st.columns([1, 1])
    text_col.markdown(comparison_text(kpi_series, kpi_last_year, kpi, registry, grain))
    pacing = pacing_table(ctx, kpi, filters, keys, tuple(kpi_ids))
    pace_col.dataframe(pacing, hide_index=True, width="stretch")
    pace_col.caption(tr("Pacing to {day}. Sum KPIs are judged on the projection to the end of the quarter "
                        "(year); ratio KPIs on the value to date.").format(day=date_text(ctx.as_of)))
