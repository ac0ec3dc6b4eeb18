"""The Trends page's sections: each KPI's chart and, beside it, the latest period against earlier
ones and pacing to the end of the quarter and year (metrics.trends rules; values judged by
metrics.judgement)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from metrics.changes import change_verdict
from metrics.formatting import percent_text
from metrics.i18n import N_, tr
from metrics.judgement import judge_pacing
from metrics.model import Filters, Grain, Period
from metrics.registry import KpiDef, KpiRegistry
from metrics.samples import with_sample_sizes
from metrics.status import Status
from metrics.targets import target_steps
from metrics.trends import (
    TO_DATE_TEXT,
    compare_periods,
    last_year_overlay,
    period_text,
    scope_chain,
    target_step_points,
    to_date_periods,
)
from metrics.trust import TrustEvidence
from ui import caching
from ui.cached_charts import chart_spec
from ui.context import AppContext
from ui.loaders import yardstick
from ui.period_loaders import Spans, load_judged_periods, load_kpi_periods, of_period
from ui.quality_loaders import load_trust
from ui.text import literal
from ui.trend_charts import trend_chart

#: The latest period's line, per grain (shown with ``tr``).
LATEST = {
    Grain.DAY: N_("Latest day ({period}): **{value}**"),
    Grain.WEEK: N_("Latest week ({period}): **{value}**"),
    Grain.MONTH: N_("Latest month ({period}): **{value}**"),
    Grain.QUARTER: N_("Latest quarter ({period}): **{value}**"),
    Grain.YEAR: N_("Latest year ({period}): **{value}**"),
}
#: A change against an earlier period, per comparison (shown with ``tr``).
AGAINST = {"previous": N_("{verdict} vs previous period"),
           "last_year": N_("{verdict} vs same period last year")}


@dataclass(frozen=True)
class TrendSection:
    """One KPI's chart (ui.cached_charts.chart_spec) and the Markdown beside it."""

    kpi_id: str
    chart: Any
    comparison: str


@dataclass(frozen=True)
class TrendView:
    """The judged series of the shown window (every KPI) and one section per KPI, in order."""

    series: pd.DataFrame
    sections: tuple[TrendSection, ...]


def load_trend_view(ctx: AppContext, windows: dict[str, Period], grain: Grain, filters: Filters,
                    kpi_ids: tuple[str, ...], keys: dict[str, str],
                    evidence: TrustEvidence | None = None) -> TrendView:
    """The Trends page's judged series (``windows``: "current" and, when shown, "last_year") with
    each KPI's target steps, chart and comparison, built once per request.

    Cached under the judged periods' keys (warehouse key with language and scope, dimensions
    version, check run, request): a warm run neither rebuilds the target steps and comparisons
    (over half of a warm Trends run at 10 M rows) nor hashes the frames to find the charts.
    ``evidence``: the run's ``load_trust(ctx)`` when the caller has it (each call reads the state store)."""
    evidence = evidence or load_trust(ctx)
    spans = tuple((label, p.start, p.end) for label, p in windows.items())
    return _trend_view(ctx, ctx.key, ctx.dimensions_version, evidence.key, spans, grain, filters, kpi_ids,
                       tuple(sorted(keys.items())))


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.JUDGED_FRAMES)
def _trend_view(_ctx: AppContext, key: str, dimensions_version: str, evidence_key: str, spans: Spans,
                grain: Grain, filters: Filters, kpi_ids: tuple[str, ...],
                keys: tuple[tuple[str, str], ...]) -> TrendView:
    windows = {label: Period(start, end, label) for label, start, end in spans}
    judged = load_judged_periods(_ctx, windows, grain=grain, filters=filters, kpi_ids=kpi_ids,
                                 keys=dict(keys))
    series, shown = judged["current"], windows["current"]
    last_year = pd.DataFrame()
    if "last_year" in judged:
        last_year = last_year_overlay(judged["last_year"], grain)
        last_year = last_year[last_year["period_start"] >= pd.Timestamp(shown.start)]
    sections = []
    for kpi_id in kpi_ids:
        kpi = _ctx.registry[kpi_id]
        kpi_series = series[series["kpi_id"] == kpi_id]
        kpi_last_year = last_year[last_year["kpi_id"] == kpi_id] if not last_year.empty else last_year
        steps = target_steps(_ctx.targets, kpi_id, scope_chain(dict(keys)), shown.start, shown.end)
        points = target_step_points(steps, kpi.higher_is_better)
        chart = chart_spec(trend_chart, kpi_series, points, kpi, grain.value,
                           kpi_last_year if "last_year" in judged else None)
        sections.append(TrendSection(kpi_id, chart, comparison_text(kpi_series, kpi_last_year, kpi,
                                                                    _ctx.registry, grain)))
    return TrendView(series, tuple(sections))


def pacing_table(ctx: AppContext, kpi: KpiDef, filters: Filters, keys: dict[str, str],
                 kpi_ids: tuple[str, ...] = (), evidence: TrustEvidence | None = None) -> pd.DataFrame:
    """Quarter- and year-to-date value, projection, target and judged status of one KPI.

    ``kpi_ids``: the page's KPIs, whose to-date sums come from one warehouse statement (cached), so
    every table after the first reads no warehouse. Cached like ui.loaders.load_judged (warehouse
    key, dimensions version, check run, request): judging the two to-date periods was a third of a
    warm Trends run at 10 M rows. ``evidence`` as in ``load_trend_view``."""
    evidence = evidence or load_trust(ctx)
    return _pacing(ctx, evidence, ctx.key, ctx.dimensions_version, evidence.key, ctx.first_date, ctx.as_of,
                   kpi.kpi_id, filters, tuple(sorted(keys.items())), kpi_ids or (kpi.kpi_id,))


@st.cache_data(ttl=caching.WAREHOUSE_TTL_SECONDS, show_spinner=False, max_entries=caching.JUDGED_FRAMES)
def _pacing(_ctx: AppContext, _evidence: TrustEvidence, key: str, dimensions_version: str, evidence_key: str,
            first_date: dt.date, as_of: dt.date, kpi_id: str, filters: Filters,
            keys: tuple[tuple[str, str], ...], kpi_ids: tuple[str, ...]) -> pd.DataFrame:
    ctx, kpi = _ctx, _ctx.registry[kpi_id]
    rows = []
    judging = yardstick(ctx, _evidence)
    paces = to_date_periods(ctx.as_of)
    to_date = {label: Period(max(p.start, ctx.first_date), p.end, label)
               for label, (p, _whole) in paces.items()}
    all_sums = load_kpi_periods(ctx, to_date, filters=filters, kpi_ids=kpi_ids)
    for label, (_to_date, whole) in paces.items():
        sums = of_period(all_sums, label)
        sums = sums[sums["kpi_id"] == kpi.kpi_id].reset_index(drop=True)
        paced = judge_pacing(sums.assign(**dict(keys)), whole, ctx.as_of, judging)
        for r in paced.itertuples(index=False):
            rows.append({tr("Pace"): tr(TO_DATE_TEXT[label]), tr("Value"): kpi.format(r.value),
                         tr("Projected"): kpi.format(r.projected), tr("Target"): kpi.format(r.target),
                         tr("Elapsed"): percent_text(100 * r.elapsed_share, 0),
                         tr("Status"): str(r.status_text)})
    return pd.DataFrame(rows)


def comparison_text(kpi_series: pd.DataFrame, kpi_last_year: pd.DataFrame, kpi: KpiDef,
                    registry: KpiRegistry, grain: Grain) -> str:
    """The latest period's value, its trust, and its change against the previous period and the
    same period last year (Markdown; data shown literally)."""
    latest = kpi_series.dropna(subset=["value"]).tail(2)
    if latest.empty:
        return tr("No value in the latest period.")
    current = latest.tail(1)[["kpi_id", "period_start", "value"]]
    earlier = {"previous": latest.head(1)[["kpi_id", "value"]] if len(latest) == 2 else current.iloc[:0]}
    if not kpi_last_year.empty:
        earlier["last_year"] = kpi_last_year[kpi_last_year["period_start"] == current["period_start"].iloc[0]]
    row = compare_periods(current, {k: v[["kpi_id", "value"]] for k, v in earlier.items()}, ["kpi_id"],
                          registry).iloc[0]
    parts = [tr(LATEST[grain]).format(period=period_text(row["period_start"], grain),
                                      value=kpi.format(row["value"]))]
    judged = with_sample_sizes(latest.tail(1), registry).iloc[0]
    if judged["sample_text"]:
        parts.append(str(judged["sample_text"]))
    if judged["status"] == Status.NOT_TRUSTED.value:
        parts.append(tr("{status} not trusted: {reason}").format(
            status=judged["status_text"], reason=literal(judged["trust_reason"])))
    for suffix, against in AGAINST.items():
        delta = row.get(f"delta_{suffix}")
        if delta is not None and pd.notna(delta):
            verdict = change_verdict(float(delta), kpi.unit.value, kpi.scale, kpi.higher_is_better)
            parts.append(tr(against).format(verdict=verdict))
    return " · ".join(parts)
