"""The Budget page's What-if tab: a scenario of monthly spend against today and the optimiser,
and the response curves behind it. The numbers come from metrics.what_if; this module lays out."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from metrics.budget import plan_against_actual
from metrics.curve_uncertainty import CurveSamples
from metrics.formatting import money_text, number_text, percent_text
from metrics.i18n import N_, tr
from metrics.journey_allocation import default_journey_bounds
from metrics.model import Period
from metrics.reallocation import default_items, scale_to_total
from metrics.response_curves import (
    FIT_STATUS_TEXT,
    FORM_TEXT,
    CurveFit,
    ResponseCurve,
    curve_points,
    curve_summary,
)
from metrics.spreadsheet_cells import spreadsheet_safe
from metrics.what_if import (
    CURVE_SPAN,
    GOAL_ABOVE_PROJECTION,
    TODAY,
    WhatIf,
    default_goal,
    default_total,
    evaluate_scenario,
    plans_long,
    scenario_total_problem,
)
from ui import caching
from ui.budget_charts import response_curve_chart, scenario_chart
from ui.budget_loaders import ITEM_KEYS, load_curve_fits, load_curve_samples
from ui.cached_charts import show_chart
from ui.context import AppContext
from ui.text import literal

CURVE_NOTE = N_(
    "Fitted per item on monthly (spend, outcome) pairs with a yearly season and trend: saturating "
    "c + a(1 − e^(−spend/b)) or logarithmic c + a·ln(1 + spend/b), whichever fits better. R²: the "
    "whole fit; spend R²: what spend explains after season and trend. No curve where history is "
    "too short, too flat or unexplained."
)


@dataclass(frozen=True)
class WhatIfInputs:
    ctx: AppContext
    rows: pd.DataFrame  # the period's budget rows (metrics.budget shapes)
    months: int
    outcome: str
    noun: str  # what the outcome counts, e.g. "customers converting"
    names: dict[str, str]  # touchpoint and stage ids -> names
    period: Period


def show_what_if(inputs: WhatIfInputs) -> None:
    levels = {"touchpoint": tr("Touchpoint"), "channel": tr("Channel")}
    item = st.radio(tr("Reallocate between"), list(ITEM_KEYS), horizontal=True,
                    format_func=lambda i: levels.get(i, i), key="reallocate", bind="query-params")
    key = ITEM_KEYS[item][0]
    history, fits = load_curve_fits(inputs.ctx, item, inputs.outcome)
    curves = {k: f.curve for k, f in fits.items() if f.curve is not None}
    spend = plan_against_actual(inputs.rows.dropna(subset=[key]), [key]).set_index(key)["actual"]
    today = spend / inputs.months
    total = float(st.number_input(tr("Total budget per month (EUR)"), min_value=0.0, step=1000.0,
                                  value=default_total(today), key="total", bind="query-params"))
    # The optimiser and the projections are pure functions of these: cached, not rerun per page run.
    basis = (inputs.ctx.key, item, inputs.outcome, inputs.period.start, inputs.period.end, inputs.ctx.as_of)
    goal = float(st.number_input(tr("Goal: {outcome} per month").format(outcome=literal(inputs.noun)),
                                 min_value=0.0, step=100.0,
                                 value=_default_goal(today, curves, basis), key="goal", bind="query-params"))
    st.caption(tr("The goal starts {percent} % above what today's spend projects to, as a placeholder: enter "
                  "your plan's number.").format(percent=number_text((GOAL_ABOVE_PROJECTION - 1) * 100)))
    edited = _scenario_editor(inputs, item, today.fillna(0.0), fits, curves, total)
    journeys = _journey_bounds(inputs, edited) if item == "touchpoint" else None
    over = scenario_total_problem(edited, total)
    hold = st.toggle(tr("Hold the total: scale my scenario to it"), value=True, key="hold_total",
                     bind="query-params") if over else True
    result, long, scenario_csv = _evaluated(today, curves, basis, edited, total, goal, hold,
                                            load_curve_samples(inputs.ctx, item, inputs.outcome),
                                            inputs.ctx.settings.min_curve_r2, journeys)
    _show_result(inputs, result, long, over)
    st.download_button(tr("Download this scenario (CSV)"), scenario_csv,
                       file_name=f"budget_scenario_{inputs.period.start}_{item}.csv", mime="text/csv")
    _show_curves(inputs, fits, curves, result, history, key)


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.WHAT_IF_RESULTS)
def _default_goal(_today: pd.Series, _curves: dict[str, ResponseCurve], basis: tuple[object, ...]) -> float:
    return default_goal(_today, _curves)


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.WHAT_IF_RESULTS)
def _evaluated(_today: pd.Series, _curves: dict[str, ResponseCurve], basis: tuple[object, ...],
               edited: pd.DataFrame, total: float, goal: float, hold: bool, _samples: CurveSamples | None,
               min_spend_r2: float, journeys: pd.DataFrame | None) -> tuple[WhatIf, pd.DataFrame, bytes]:
    """``evaluate_scenario``, its plans in long form (the scenario chart's data) and the scenario as
    CSV (the download): built once per scenario, not on every run. ``basis`` (warehouse key, item
    level, outcome, period, as_of) decides today's spend, the curves and their bootstrap samples;
    the rest is the person's scenario and journey limits."""
    result = evaluate_scenario(edited, _today, _curves, total, goal, hold, samples=_samples,
                               min_spend_r2=min_spend_r2, journeys=journeys)
    return result, plans_long(result.plans), spreadsheet_safe(result.export).to_csv(index=False).encode()


def _scenario_editor(inputs: WhatIfInputs, item: str, today: pd.Series, fits: dict[str, CurveFit],
                     curves: dict[str, ResponseCurve], total: float) -> pd.DataFrame:
    items = default_items(today, fits)
    table = items.assign(name=items["key"].map(lambda k: inputs.names.get(k, k)),
                         fit=items["key"].map(lambda k: tr("curve") if k in curves else tr("no curve")),
                         scenario=scale_to_total(items.set_index("key")["current"], total).to_numpy())
    return st.data_editor(
        table[["key", "name", "fit", "current", "minimum", "maximum", "scenario"]], hide_index=True,
        width="stretch", key=f"whatif_{item}_{inputs.outcome}_{inputs.period.start}_{total}",
        disabled=["key", "name", "fit", "current"], column_config={
            "key": tr("key"), "name": tr("name"), "fit": tr("fit"),
            **{c: st.column_config.NumberColumn(tr(label), format="€%.0f", min_value=0.0)
               for c, label in _SPEND_LABELS.items() if c != "today"}})


#: The spend columns of the scenario and journey tables, as headed.
_SPEND_LABELS = {"current": N_("Today"), "today": N_("Today"), "minimum": N_("Minimum"),
                 "maximum": N_("Maximum"), "scenario": N_("Scenario")}


def _journey_bounds(inputs: WhatIfInputs, edited: pd.DataFrame) -> pd.DataFrame | None:
    """Journey-level bounds on the optimiser: minimum and maximum monthly spend, or locked at today."""
    journey_of = dict(zip(inputs.ctx.touchpoints["touchpoint_id"], inputs.ctx.touchpoints["journey_id"],
                          strict=False))
    edited["journey"] = edited["key"].map(lambda k: journey_of.get(k, "?")).astype(str)
    bounds = default_journey_bounds(edited)
    with st.expander(tr("Journey limits for the optimiser")):
        st.caption(tr("Lock a journey to keep its spend as today, or give it a minimum and a maximum per "
                      "month; the optimiser moves money only within these limits."))
        table = st.data_editor(
            bounds.assign(name=bounds["journey"].map(inputs.ctx.journey_name))[
                ["journey", "name", "today", "locked", "minimum", "maximum"]],
            hide_index=True, width="stretch", disabled=["journey", "name", "today"],
            key=f"journeys_{inputs.outcome}_{inputs.period.start}",
            column_config={"journey": None, "name": tr("Journey"), "locked": tr("Locked at today"),
                           **{c: st.column_config.NumberColumn(tr(_SPEND_LABELS[c]), format="€%.0f",
                                                               min_value=0.0)
                              for c in ("today", "minimum", "maximum")}})
    locked = table["locked"].fillna(False).astype(bool)
    return table.assign(minimum=table["minimum"].where(~locked, table["today"]),
                        maximum=table["maximum"].where(~locked, table["today"]))


def _range_text(low: float, high: float) -> str:
    if pd.isna(low) or pd.isna(high):
        return tr("no range")
    return tr("{low} to {high}").format(low=number_text(low, signed=True),
                                        high=number_text(high, signed=True))


def _show_result(inputs: WhatIfInputs, result: WhatIf, long: pd.DataFrame, over: str | None) -> None:
    if result.scaled:
        st.info(tr("{problem} It is scaled to the total below.").format(problem=literal(over)))
    elif over:
        st.warning(tr("{problem} The comparison below is not like for like.").format(problem=literal(over)))
    for problem in result.problems:
        st.warning(tr("The optimiser cannot suggest an allocation: {problem} Choose a longer period or "
                      "change the bounds.").format(problem=literal(problem)))
    if result.weak:
        items = ", ".join(literal(inputs.names.get(k, k)) for k in result.weak[:8])
        if len(result.weak) > 8:
            items = tr("{items} and more").format(items=items)
        st.warning(tr(
            "**No single number is promised.** The response curves of {count} item(s) explain too little of "
            "the outcome: spend R² below {r2} (MOT_MIN_CURVE_R2) for {items}. The cards show the range of "
            "the change (80 % of resampled curves); treat the optimiser's split as a direction to test, not "
            "a forecast.").format(count=len(result.weak), r2=number_text(inputs.ctx.settings.min_curve_r2, 2),
                                items=items))
    for card, row in zip(st.columns(len(result.compared)), result.compared.itertuples(), strict=True):
        today = row.scenario == TODAY
        change = row.outcome_change if not today else float("nan")
        if today or result.promise:
            value = number_text(row.projected_outcome)
            delta = None if pd.isna(change) else tr("{change} vs today").format(
                change=number_text(change, signed=True))
        else:
            value, delta = _range_text(row.change_low, row.change_high), tr("range of the change vs today")
        plan: str = row.scenario
        card.metric(f"{tr(plan)}: {literal(inputs.noun)}", value, delta,
                    delta_color="off" if not result.promise else "normal")
        reached = "–" if pd.isna(row.attainment) or not (today or result.promise) else percent_text(
            row.attainment, 0)
        text = tr("{spend} per month · {reached} of the goal").format(spend=money_text(row.spend),
                                                                      reached=reached)
        if not today and result.promise:
            spread = _range_text(row.change_low, row.change_high)
            text += " · " + tr("80 % range {range}").format(range=spread)
        card.caption(text)
    if result.outside:
        st.warning(tr("Your scenario spends outside the range ever observed for: {items}. Projections there "
                      "extend the curve beyond the evidence.").format(
            items=", ".join(literal(inputs.names.get(k, k)) for k in result.outside)))
    show_chart(scenario_chart, long.assign(name=long["key"].map(lambda k: inputs.names.get(k, k))))


def _show_curves(inputs: WhatIfInputs, fits: dict[str, CurveFit], curves: dict[str, ResponseCurve],
                 result: WhatIf, history: pd.DataFrame, key: str) -> None:
    st.subheader(tr("Response curves"))
    summary = curve_summary(fits).assign(name=lambda f: f["key"].map(lambda k: inputs.names.get(k, k)))
    if curves:
        shown = st.selectbox(tr("Curve of"), sorted(curves), format_func=lambda k: inputs.names.get(k, k),
                             key="curve", bind="query-params")
        marks = pd.DataFrame({"scenario": list(result.plans),
                              "spend": [float(p.get(shown, 0.0)) for p in result.plans.values()]})
        marks["outcome"] = curves[shown].predict(marks["spend"].to_numpy())
        points = curve_points(curves[shown], marks["spend"].max() * CURVE_SPAN)
        show_chart(response_curve_chart, points, history[history[key] == shown], marks, inputs.noun)
    st.caption(tr(CURVE_NOTE))
    # Worded as every number on the app is (metrics.formatting: the language's separators, "–" for a
    # refused curve's missing figures), headed by renaming: a column's name is what a person reads.
    summary = summary.assign(
        status=summary["status"].map(lambda s: tr(FIT_STATUS_TEXT[s]) if s in FIT_STATUS_TEXT else s),
        form=summary["form"].map(lambda f: tr(FORM_TEXT[f]) if f in FORM_TEXT else number_text(None)),
        reason=summary["reason"].fillna(""),
        r_squared=summary["r_squared"].map(lambda v: number_text(v, 2)),
        spend_r_squared=summary["spend_r_squared"].map(lambda v: number_text(v, 2)),
        spend_min=summary["spend_min"].map(money_text),
        spend_max=summary["spend_max"].map(money_text))
    heads = {"name": tr("name"), "status": tr("status"), "reason": tr("reason"), "form": tr("form"),
             "r_squared": "R²", "spend_r_squared": tr("Spend R²"), "n_points": tr("Months observed"),
             "spend_min": tr("Lowest month"), "spend_max": tr("Highest month")}
    st.dataframe(summary[list(heads)].rename(columns=heads), hide_index=True, width="stretch")
