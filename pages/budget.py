"""Budget: where the money goes along the journeys, what it buys, and a what-if reallocation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.budget import (
    CONVERSION_KPI,
    classify_quadrant,
    cost_per_kpi_point,
    cost_per_next_stage_customer,
    efficiency_ranking,
    moment_of_truth_shares,
    plan_against_actual,
    quadrant_text,
    target_attainment,
)
from metrics.formatting import date_text, money_text, number_text
from metrics.i18n import N_, tr
from metrics.judgement import trusted_values
from metrics.model import Scope
from ui.budget_charts import (
    allocation_chart,
    efficiency_chart,
    moment_of_truth_share_chart,
    plan_actual_trend_chart,
    quadrant_chart,
)
from ui.budget_loaders import (
    PeriodBudget,
    budget_names,
    load_period_budget,
    load_period_problems,
    load_period_spend,
    outcome_kpis,
    outcome_label,
    outcome_noun,
)
from ui.budget_what_if import WhatIfInputs, show_what_if
from ui.cached_charts import show_chart
from ui.context import app_context
from ui.filters import period_filter, url_select
from ui.loaders import load_judged
from ui.text import literal

ctx = app_context()
reg = ctx.registry
st.title(tr("Budget"))
left, middle, right = st.columns(3)
period = period_filter(ctx, container=left)
outcome = url_select(tr("Outcome bought with the budget"), outcome_kpis(reg), "outcome",
                     default=CONVERSION_KPI, format_func=lambda k: outcome_label(reg, k), container=middle)
judged = sorted(set(ctx.targets["kpi_id"].unique().tolist()) & set(reg.ids()))
effect = url_select(tr("Effectiveness KPI (target attainment)"), judged, "effect", default=CONVERSION_KPI,
                    format_func=lambda k: reg[k].name, container=right)
noun = outcome_noun(reg, outcome)
noun_md = literal(noun)  # the noun inside Markdown (titles, captions, alerts, labels): KPI names are data
st.caption(tr("{period}: {start} – {end}. Budget months count when their first day is in the period. Costs "
              "per outcome are blank where there is no outcome to divide by.").format(
    period=period.label, start=date_text(period.start), end=date_text(period.end)))

problems, no_rows = load_period_problems(ctx, period.start, period.end)
for problem in problems:
    st.warning(literal(problem))
if no_rows:
    st.stop()
names = budget_names(ctx)


def period_data() -> PeriodBudget:
    """The period's rows, outcomes and funnel (the tabs after the Allocation, which reads totals only)."""
    return load_period_budget(ctx, period.start, period.end, tuple(dict.fromkeys((outcome, effect))))


def efficiency(data: PeriodBudget) -> pd.DataFrame:
    """Spend and outcome per touchpoint with its cost per outcome (the Efficiency and quadrant tabs)."""
    spend_tp = plan_against_actual(data.rows.dropna(subset=["touchpoint_id"]), ["touchpoint_id"])
    got = data.outcomes[data.outcomes["kpi_id"] == outcome].rename(columns={"numerator": "outcome"})
    ranking = efficiency_ranking(spend_tp, got, "touchpoint_id")
    return ranking.assign(name=ranking["touchpoint_id"].map(lambda t: names.get(t, t)))


# Tab and controls live in the URL (bind="query-params"), so a copied link opens the same view. Bound,
# the tabs know which one is open and a switch reruns the page, so only the open tab is computed and
# sent: a first view of the Allocation never fits or resamples the What-if's response curves.
tabs = st.tabs([tr("Allocation"), tr("Plan against actual"), tr("Efficiency"),
                tr("Effectiveness vs efficiency"), tr("What-if")], key="tab", bind="query-params")
shown = [tab.open is not False for tab in tabs]  # None: the tabs do not track it, every tab is drawn

if shown[0]:
    with tabs[0]:
        totals = load_period_spend(ctx, period.start, period.end, ())
        cards = st.columns(3)
        cards[0].metric(tr("Planned"), money_text(totals["planned"].iloc[0]))
        cards[1].metric(tr("Actual"), money_text(totals["actual"].iloc[0]))
        cards[2].metric(tr("Variance"), money_text(totals["variance"].iloc[0], signed=True),
                        tr("{change}% against plan").format(
                            change=number_text(totals["variance_pct"].iloc[0], 1, signed=True)),
                        delta_color="inverse")
        # The options (English) are the values in the URL; a person reads them in the current language.
        views = {N_("Journey"): "journey", N_("Stage"): "stage", N_("Channel"): "channel",
                 N_("Moments of truth or not"): "moments"}
        titles = {"journey": N_("Spend by journey"), "stage": N_("Spend by stage"),
                  "channel": N_("Spend by channel"), "moments": N_("Spend by moments of truth or not")}
        view = st.radio(tr("Allocation by"), list(views), horizontal=True, key="allocation_by",
                        bind="query-params", format_func=tr)
        by_view = load_period_spend(ctx, period.start, period.end, (views[view],))
        show_chart(allocation_chart, by_view, views[view], tr(titles[views[view]]))

if shown[1]:
    with tabs[1]:
        rows = period_data().rows
        show_chart(plan_actual_trend_chart, plan_against_actual(rows, ["month"]))
        by_month = plan_against_actual(rows.assign(month=rows["month"].dt.strftime("%Y-%m")),
                                       ["journey", "month"])
        # Headed by renaming: a column's name is what a person reads, so none stays English.
        heads = {"journey": tr("journey"), "month": tr("month"), "planned": tr("Planned"),
                 "actual": tr("Actual"), "variance": tr("Variance"), "variance_pct": tr("Variance %")}
        st.dataframe(by_month.rename(columns=heads), hide_index=True, width="stretch", column_config={
            heads["planned"]: st.column_config.NumberColumn(format="€%.0f"),
            heads["actual"]: st.column_config.NumberColumn(format="€%.0f"),
            heads["variance"]: st.column_config.NumberColumn(format="€%+.0f"),
            heads["variance_pct"]: st.column_config.NumberColumn(format="%+.1f%%")})

if shown[2]:
    with tabs[2]:
        data = period_data()
        rows, ranking = data.rows, efficiency(data)
        show_chart(efficiency_chart, ranking, noun)
        missing = ranking[ranking["cost_per_outcome"].isna()]["name"].tolist()
        if missing:
            st.info(tr("No cost per {outcome} for {items}: no {outcome} recorded in the period.").format(
                outcome=noun_md, items=", ".join(map(literal, missing))))
        shares = moment_of_truth_shares(
            ranking.merge(ctx.touchpoints[["touchpoint_id", "moment_of_truth"]], on="touchpoint_id").rename(
                columns={"outcome": "impact"}))
        show_chart(moment_of_truth_share_chart, shares)
        stage_spend = rows.groupby(["journey_id", "stage_id"], as_index=False)["actual"].sum()
        per_stage = cost_per_next_stage_customer(stage_spend, data.funnel, ctx.stages)
        st.subheader(tr("Cost per customer reaching the next stage"))
        heads = {"journey": tr("journey"), "stage": tr("stage"), "actual": tr("Spend"),
                 "customers_next": tr("Reached next stage"),
                 "cost_per_next_stage_customer": tr("Cost per customer")}
        st.dataframe(per_stage.assign(journey=per_stage["journey_id"].map(ctx.journey_name),
                                      stage=per_stage["stage_id"].map(names.get))[list(heads)].rename(
                         columns=heads),
                     hide_index=True, width="stretch", column_config={
                         heads["actual"]: st.column_config.NumberColumn(format="€%.0f"),
                         heads["customers_next"]: st.column_config.NumberColumn(format="%.0f"),
                         heads["cost_per_next_stage_customer"]: st.column_config.NumberColumn(
                             format="€%.2f")})

if shown[3]:
    with tabs[3]:
        # A value that is not trusted is no evidence of attainment: it stays out of the quadrant's judgement.
        # Judged through the cached loader (same request as the outcomes): judging took a fifth of a warm run.
        judged_outcomes = load_judged(ctx, period.start, period.end, by=Scope.TOUCHPOINT,
                                      kpi_ids=tuple(dict.fromkeys((outcome, effect))))
        scored = trusted_values(judged_outcomes[judged_outcomes["kpi_id"] == effect].reset_index(drop=True))
        directions = pd.Series(reg[effect].direction.value, index=scored.index)
        scored = scored.assign(attainment=target_attainment(scored["value"], scored["target"], directions))
        quad = classify_quadrant(efficiency(period_data()).merge(
            scored[["touchpoint_id", "attainment", "value"]], on="touchpoint_id", how="left"))
        quad["cost_per_point"] = cost_per_kpi_point(quad["actual"], quad["value"])
        if quad["cost_per_outcome"].notna().any():
            show_chart(quadrant_chart, quad, float(quad["cost_threshold"].iloc[0]), noun)
        st.caption(tr("Attainment: {kpi} against its target (100% = met). Fund more: target met and cheaper "
                      "than the median; keep: met but dearer; fix: cheap but missing the target; cut back: "
                      "missing and dear.").format(kpi=literal(reg[effect].name)))
        heads = {"name": tr("Touchpoint"), "quadrant": tr("Advice"), "attainment": tr("Attainment"),
                 "cost_per_outcome": tr("Cost per {outcome}").format(outcome=noun),
                 "cost_per_point": tr("Spend per {kpi} point").format(kpi=reg[effect].name),
                 "actual": tr("Spend")}
        advice = quad.assign(quadrant=quad["quadrant"].map(quadrant_text))[list(heads)].rename(columns=heads)
        st.dataframe(advice, hide_index=True, width="stretch", column_config={
            heads["attainment"]: st.column_config.NumberColumn(format="%.1f%%"),
            heads["cost_per_point"]: st.column_config.NumberColumn(
                format="€%.2f", help=tr("The period's spend divided by the KPI's value; blank when the "
                                        "value is not above zero")),
            heads["cost_per_outcome"]: st.column_config.NumberColumn(format="€%.2f"),
            heads["actual"]: st.column_config.NumberColumn(format="€%.0f")})

if shown[4]:
    with tabs[4]:
        data = period_data()
        show_what_if(WhatIfInputs(ctx, data.rows, data.months, outcome, noun, names, period))
