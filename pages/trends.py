"""Trends (owners and executives): KPIs over time against their targets, pacing and comparisons."""

from __future__ import annotations

from typing import Any

import streamlit as st

from metrics.formatting import date_text
from metrics.i18n import N_, tr
from metrics.model import Filters, Grain, Period, Scope
from metrics.trends import (
    TREND_GRAINS,
    complete_window,
    grain_text,
    last_year_window,
    scope_keys,
    scope_text,
)
from ui.cached_charts import show_spec
from ui.context import app_context
from ui.filters import url_multiselect, url_select
from ui.loaders import load_kpis
from ui.quality_loaders import load_trust, show_trust_note
from ui.text import literal
from ui.trend_sections import load_trend_view, pacing_table

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
with_targets = set(ctx.targets["kpi_id"].unique().tolist())
judged_ids = [k.kpi_id for k in registry if k.kpi_id in with_targets] or list(registry.ids())
# Repeated ``kpi`` URL parameters (/trends?kpi=csat&kpi=nps), so a copied link shows the same KPIs.
kpi_ids = list(url_multiselect(tr("KPIs"), registry.ids(), "kpi", default=judged_ids[:2], container=kpi_col,
                               format_func=lambda k: registry[k].name, placeholder=tr("Choose KPIs")))
grain = Grain(url_select(tr("Grain"), [g.value for g in TREND_GRAINS], "grain", default="month",
                         container=grain_col, format_func=grain_text))
scope = Scope(url_select(tr("Scope"), [s.value for s in SCOPES], "scope", container=scope_col,
                         format_func=lambda s: capitalized(scope_text(s))))


def scope_members(scope: Scope) -> dict[str, str]:
    """The chosen scope's members by id (only that scope's: the others are not shown)."""
    if scope is Scope.JOURNEY:
        return dict(zip(ctx.journeys["journey_id"], ctx.journeys["name"], strict=True))
    if scope is Scope.STAGE:
        used = set(ctx.touchpoints["stage_id"].unique().tolist())
        stages = ctx.stages.sort_values(["journey_id", "position"])
        return {r.stage_id: f"{ctx.journey_name(str(r.journey_id))} · {r.name}"
                for r in stages.itertuples() if r.stage_id in used}
    if scope is Scope.TOUCHPOINT:
        return dict(zip(ctx.touchpoints["touchpoint_id"], ctx.touchpoints["name"], strict=True))
    if scope is Scope.CHANNEL:
        return {c: c for c in sorted(ctx.touchpoints["channel"].dropna().astype(str).unique())}
    return {}


members = scope_members(scope)
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
evidence = load_trust(ctx)  # read once: each call asks the state store for the latest check run
view = load_trend_view(ctx, windows, grain, filters, tuple(kpi_ids), keys, evidence)
series = view.series
if series.empty:
    measured = load_kpis(ctx, start, window.end, filters=filters)["kpi_id"].unique()
    names = ", ".join(literal(registry[k].name) for k in measured if k in registry) or tr("none")
    st.warning(tr("The chosen KPIs have no data for this scope in the shown range. KPIs measured here: "
                  "{names}.").format(names=names))
    st.stop()
show_trust_note(ctx, series)
shown_member = f" · {literal(members[member])}" if member else ""
shown_periods = tr(COMPLETE_PERIODS[grain]).format(
    count=len(series["period_start"].unique()), start=date_text(start), end=date_text(window.end))
st.caption(shown_periods
           + tr("; scope: {scope}{member}. Each period is judged against the target in force on its last "
                "day. A hollow point comes from too few responses to read as more than noise (the sample is "
                "on hover).").format(scope=scope_text(scope), member=shown_member))


for section in view.sections:
    kpi = registry[section.kpi_id]
    st.subheader(literal(kpi.name) if kpi.higher_is_better
                 else tr("{kpi} (lower is better)").format(kpi=literal(kpi.name)))
    show_spec(section.chart, height=440)
    text_col, pace_col = st.columns([1, 1])
    text_col.markdown(section.comparison)
    pacing = pacing_table(ctx, kpi, filters, keys, tuple(kpi_ids), evidence)
    pace_col.dataframe(pacing, hide_index=True, width="stretch")
    pace_col.caption(tr("Pacing to {day}. Sum KPIs are judged on the projection to the end of the quarter "
                        "(year); ratio KPIs on the value to date.").format(day=date_text(ctx.as_of)))
