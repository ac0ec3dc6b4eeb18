"""Cached loaders for the budget page: period spend, outcomes and fitted response curves.

Everything is aggregated in the warehouse (connectors.queries budget_frame / kpi_frame /
funnel_frame through ui.loaders). The curve fits (all items in one batch: about a second for
1,447 touchpoints) are cached with their history, so a rerun neither refits nor rebuilds it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from connectors.queries import budget_frame, kpi_frame
from metrics.budget import attach_touchpoint_dimensions
from metrics.curve_uncertainty import CurveSamples, bootstrap_curves
from metrics.i18n import tr
from metrics.model import Aggregation, Grain, Scope, Unit
from metrics.registry import KpiRegistry
from metrics.response_curves import CurveFit, fit_response_curves, response_history
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

    rows: pd.DataFrame  # month, journey_id, touchpoint_id, channel, planned, actual, stage_id, ...
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


def load_period_budget(
    ctx: AppContext, start: dt.date, end: dt.date, kpi_ids: tuple[str, ...]
) -> PeriodBudget:
    """Budget months whose first day falls in [start, end], outcomes and funnel for the same dates."""
    budget = load_budget(ctx, start, end, ("month", "journey_id", "touchpoint_id", "channel"))
    rows = attach_touchpoint_dimensions(budget, ctx.touchpoints)
    outcomes = load_kpis(ctx, start, end, by=Scope.TOUCHPOINT, kpi_ids=kpi_ids)
    funnel = load_funnel(ctx, start, end)
    return PeriodBudget(rows, outcomes, funnel, months_between(start, end))


# The spinners are shown by the callers (their text is in the current language; the decorator's is not).
@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.CURVE_FITS)
def _history_and_fits(
    _ctx: AppContext, warehouse: str, item: str, kpi_id: str, first: dt.date, as_of: dt.date
) -> tuple[pd.DataFrame, dict[str, CurveFit]]:
    key, scope = ITEM_KEYS[item]
    # Queried here, not through the cached loaders: only the fits use these frames, and this cache
    # already holds what is built from them.
    spend = budget_frame(_ctx.warehouse, first, as_of, ("month", key), _ctx.scope)
    request = kpi_request(_ctx, first, as_of, by=scope, grain=Grain.MONTH, kpi_ids=(kpi_id,))
    outcome = kpi_frame(_ctx.warehouse, request, _ctx.scope)  # ``warehouse`` (ctx.key) names the scope
    next_day = as_of + dt.timedelta(days=1)
    incomplete = pd.Timestamp(as_of.replace(day=1) if next_day.month == as_of.month else next_day)
    history = response_history(spend.dropna(subset=[key]), outcome, key, incomplete)
    return history, fit_response_curves(history, key)


def load_curve_fits(ctx: AppContext, item: str, kpi_id: str) -> tuple[pd.DataFrame, dict[str, CurveFit]]:
    """Monthly (spend, outcome) history per item over all data, and the curve fitted to each.

    The month of ``as_of`` is left out unless it is complete. Returns (history, fits), cached
    together per warehouse, item level, outcome and ``as_of``.
    """
    with st.spinner(tr("Fitting response curves…")):
        return _history_and_fits(ctx, ctx.key, item, kpi_id, ctx.first_date.replace(day=1), ctx.as_of)


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.CURVE_FITS)
def _samples(_ctx: AppContext, warehouse: str, item: str, kpi_id: str, first: dt.date, as_of: dt.date
             ) -> CurveSamples:
    history, fits = _history_and_fits(_ctx, warehouse, item, kpi_id, first, as_of)
    key = ITEM_KEYS[item][0]
    return bootstrap_curves(history, key, [k for k, f in fits.items() if f.curve is not None])


def load_curve_samples(ctx: AppContext, item: str, kpi_id: str) -> CurveSamples:
    """The bootstrap resamples of the fitted curves (metrics.curve_uncertainty), cached like the fits."""
    with st.spinner(tr("Resampling the response curves…")):
        return _samples(ctx, ctx.key, item, kpi_id, ctx.first_date.replace(day=1), ctx.as_of)
