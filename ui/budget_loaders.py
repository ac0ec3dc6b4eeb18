"""Cached loaders for the budget page: period spend, outcomes and fitted response curves.

Everything is aggregated in the warehouse (connectors.queries budget_frame / kpi_frame /
funnel_frame through ui.loaders). The curve fits (all items in one batch: about two seconds
for 1,447 touchpoints) are cached with their history and both forms' parameters (where the
bootstrap's refits start), so a rerun neither refits nor rebuilds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from connectors.queries import budget_frame, kpi_frame
from metrics.budget import (
    MOT_LABELS,
    UNASSIGNED_STAGE,
    attach_touchpoint_dimensions,
    budget_problems,
    plan_against_actual,
)
from metrics.curve_uncertainty import CurveSamples, bootstrap_curves
from metrics.i18n import tr
from metrics.model import Aggregation, Grain, Scope, Unit
from metrics.registry import KpiRegistry
from metrics.response_curves import (
    CurveFit,
    FormParameters,
    fit_response_curves_with_starts,
    response_history,
)
from ui import caching
from ui.context import AppContext
from ui.loaders import kpi_request, load_budget, load_funnel, load_kpis

#: What the what-if optimises: spend per touchpoint or per channel.
ITEM_KEYS: dict[str, tuple[str, Scope]] = {
    "touchpoint": ("touchpoint_id", Scope.TOUCHPOINT),
    "channel": ("channel", Scope.CHANNEL),
}


@dataclass(frozen=True)
class PeriodBudget:
    """Budget rows of a period (with stage and moment of truth), outcomes and funnel."""

    rows: pd.DataFrame  # month, journey_id, touchpoint_id, channel, planned, actual, stage_id, ...,
    # and the names: journey, stage, moments
    outcomes: pd.DataFrame  # touchpoint_id, kpi_id, numerator, denominator (period totals)
    funnel: pd.DataFrame  # journey_id, stage_id, customers
    months: int


def outcome_noun(registry: KpiRegistry, kpi_id: str) -> str:
    """What the outcome KPI counts, in the current language ("customers converting": the built-in
    KPIs' numerators are marked in metrics/registry.py; a KPI from the warehouse keeps its own
    words); its name if it says nothing."""
    kpi = registry[kpi_id]
    noun = kpi.numerator
    return tr(noun) if noun else kpi.name


def outcome_kpis(registry: KpiRegistry) -> list[str]:
    """KPIs whose numerator counts customers (sum KPIs, percent ratios): usable as an outcome."""
    return [k.kpi_id for k in registry
            if k.aggregation is Aggregation.SUM or k.unit is Unit.PERCENT]


def outcome_label(registry: KpiRegistry, kpi_id: str) -> str:
    kpi = registry[kpi_id]
    if kpi.aggregation is Aggregation.RATIO:
        return f"{outcome_noun(registry, kpi_id)} ({kpi.name})"
    return kpi.name


def months_between(start: dt.date, end: dt.date) -> int:
    """Budget months in [start, end]: months whose first day falls in the range (at least 1)."""
    return max(len(pd.date_range(start, end, freq="MS")), 1)


def budget_names(ctx: AppContext) -> dict[str, str]:
    """Touchpoint and stage ids -> names, and UNASSIGNED_STAGE in the current language."""
    touchpoints, stages = ctx.touchpoints, ctx.stages
    # Lists, not Arrow arrays, zipped: iterating 14,470 Arrow strings took 0.35 s a run.
    return {**dict(zip(touchpoints["touchpoint_id"].tolist(), touchpoints["name"].tolist(), strict=False)),
            **dict(zip(stages["stage_id"].tolist(), stages["name"].tolist(), strict=False)),
            UNASSIGNED_STAGE: tr(UNASSIGNED_STAGE)}


def _each_value(values: pd.Series, name: Callable[[Any], str]) -> pd.Series:
    """``values.map(name)`` with one call per distinct value, not per row."""
    return values.map({v: name(v) for v in values.unique()})


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.BUDGET_FRAMES)
def _period_rows(_ctx: AppContext, key: str, dimensions_version: str, start: dt.date, end: dt.date
                 ) -> pd.DataFrame:
    budget = load_budget(_ctx, start, end, ("month", "journey_id", "touchpoint_id", "channel"))
    rows = attach_touchpoint_dimensions(budget, _ctx.touchpoints)
    names = budget_names(_ctx)
    return rows.assign(journey=_each_value(rows["journey_id"], _ctx.journey_name),
                       stage=_each_value(rows["stage_id"], lambda s: names.get(s, s)),
                       moments=_each_value(rows["moment_of_truth"], lambda m: tr(MOT_LABELS[bool(m)])))


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.BUDGET_FRAMES)
def _period_spend(_ctx: AppContext, key: str, dimensions_version: str, start: dt.date, end: dt.date,
                  by: tuple[str, ...]) -> pd.DataFrame:
    return plan_against_actual(_period_rows(_ctx, key, dimensions_version, start, end), list(by))


def load_period_spend(ctx: AppContext, start: dt.date, end: dt.date, by: tuple[str, ...]) -> pd.DataFrame:
    """metrics.budget.plan_against_actual of ``load_period_budget``'s rows by ``by`` (columns of
    the rows, names included), cached like them: the Allocation tab reads no rows."""
    return _period_spend(ctx, ctx.key, ctx.dimensions_version, start, end, by)


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.BUDGET_FRAMES)
def _period_problems(_ctx: AppContext, key: str, dimensions_version: str, start: dt.date, end: dt.date
                     ) -> tuple[list[str], bool]:
    rows = _period_rows(_ctx, key, dimensions_version, start, end)
    return budget_problems(rows), rows.empty


def load_period_problems(ctx: AppContext, start: dt.date, end: dt.date) -> tuple[list[str], bool]:
    """metrics.budget.budget_problems of the period's rows (in the current language: the key holds
    it), and whether there are no rows."""
    return _period_problems(ctx, ctx.key, ctx.dimensions_version, start, end)


def load_period_budget(
    ctx: AppContext, start: dt.date, end: dt.date, kpi_ids: tuple[str, ...]
) -> PeriodBudget:
    """Budget months whose first day falls in [start, end], outcomes and funnel for the same dates.

    The rows carry the touchpoint's dimensions (metrics.budget.attach_touchpoint_dimensions) and the
    journey's, stage's and moment-of-truth group's names in the current language; built once per
    warehouse key (with the language), dimensions version and dates (a quarter at 14,470
    touchpoints is 43,000 rows: 0.5 s a run)."""
    rows = _period_rows(ctx, ctx.key, ctx.dimensions_version, start, end)
    outcomes = load_kpis(ctx, start, end, by=Scope.TOUCHPOINT, kpi_ids=kpi_ids)
    funnel = load_funnel(ctx, start, end)
    return PeriodBudget(rows, outcomes, funnel, months_between(start, end))


# The spinners are shown by the callers (their text is in the current language; the decorator's is not).
@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.CURVE_FITS)
def _history_and_fits(
    _ctx: AppContext, warehouse: str, item: str, kpi_id: str, first: dt.date, as_of: dt.date
) -> tuple[pd.DataFrame, dict[str, CurveFit], FormParameters]:
    key, scope = ITEM_KEYS[item]
    # Queried here, not through the cached loaders: only the fits use these frames, and this cache
    # already holds what is built from them.
    spend = budget_frame(_ctx.warehouse, first, as_of, ("month", key), _ctx.scope)
    request = kpi_request(_ctx, first, as_of, by=scope, grain=Grain.MONTH, kpi_ids=(kpi_id,))
    outcome = kpi_frame(_ctx.warehouse, request, _ctx.scope)  # ``warehouse`` (ctx.key) names the scope
    next_day = as_of + dt.timedelta(days=1)
    incomplete = pd.Timestamp(as_of.replace(day=1) if next_day.month == as_of.month else next_day)
    history = response_history(spend.dropna(subset=[key]), outcome, key, incomplete)
    # Both forms' parameters are kept for the bootstrap, whose refits start there.
    return history, *fit_response_curves_with_starts(history, key)


def load_curve_fits(ctx: AppContext, item: str, kpi_id: str) -> tuple[pd.DataFrame, dict[str, CurveFit]]:
    """Monthly (spend, outcome) history per item over all data, and the curve fitted to each.

    The month of ``as_of`` is left out unless it is complete. Returns (history, fits), cached
    together per warehouse, item level, outcome and ``as_of``.
    """
    with st.spinner(tr("Fitting response curves…")):
        history, fits, _ = _history_and_fits(ctx, ctx.key, item, kpi_id, ctx.first_date.replace(day=1),
                                             ctx.as_of)
        return history, fits


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.CURVE_FITS)
def _samples(_ctx: AppContext, warehouse: str, item: str, kpi_id: str, first: dt.date, as_of: dt.date
             ) -> CurveSamples:
    history, fits, starts = _history_and_fits(_ctx, warehouse, item, kpi_id, first, as_of)
    key = ITEM_KEYS[item][0]
    return bootstrap_curves(history, key, [k for k, f in fits.items() if f.curve is not None], starts=starts)


def load_curve_samples(ctx: AppContext, item: str, kpi_id: str) -> CurveSamples:
    """The bootstrap resamples of the fitted curves (metrics.curve_uncertainty), cached like the fits."""
    with st.spinner(tr("Resampling the response curves…")):
        return _samples(ctx, ctx.key, item, kpi_id, ctx.first_date.replace(day=1), ctx.as_of)
