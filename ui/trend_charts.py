"""Altair charts for the trends and my-touchpoints pages. Each takes tidy frames and returns a
chart; tests read ``chart.to_dict()``.

The target is a dark step line (it changes only where a target's validity changes), its
tolerance an amber band on the bad side (the at-risk zone), the stretch target a dashed line and
last year's series a lighter line; the KPI's own points carry the status colours of
metrics.status, the same as on every other page. Rates are not forced to start at zero.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from metrics.model import Unit
from metrics.registry import KpiDef
from metrics.status import STATUS_COLOURS, Status
from ui.charts import status_scale, with_status_labels

VALUE_COLOUR = "#1f4e79"
LAST_YEAR_COLOUR = "#9ecae1"
TARGET_COLOUR = "#222222"
STRETCH_COLOUR = "#555555"
SERIES_LAST_YEAR = "Same period last year"
SERIES_TARGET = "Target"
SERIES_STRETCH = "Stretch target"


def value_axis_title(kpi: KpiDef) -> str:
    note = " — lower is better" if not kpi.higher_is_better else ""
    return f"{kpi.name} ({kpi.unit_label}){note}"


def _y_scale(kpi: KpiDef) -> alt.Scale:
    # Counts and money read best from zero; rates and scores would be flattened by it.
    return alt.Scale(zero=kpi.unit in (Unit.COUNT, Unit.CURRENCY), nice=True)


def _series_colour(this_year: str) -> alt.Color:
    domain = [this_year, SERIES_LAST_YEAR, SERIES_TARGET, SERIES_STRETCH]
    scale = alt.Scale(domain=domain, range=[VALUE_COLOUR, LAST_YEAR_COLOUR, TARGET_COLOUR, STRETCH_COLOUR])
    return alt.Color("series:N", scale=scale, title="Line", legend=alt.Legend(orient="bottom"))


def _dash() -> alt.StrokeDash:
    domain = ["solid", "dashed"]
    return alt.StrokeDash("dash:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 4]]), legend=None)


def trend_chart(
    series: pd.DataFrame, points: pd.DataFrame, kpi: KpiDef, grain_label: str,
    last_year: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """One KPI over time against its target.

    series: period_start, value, target, status (metrics.judgement.judge). points: target
    step points (metrics.trends.target_step_points). last_year: period_start (already moved onto
    this year's axis) and value, or None.
    """
    this_year = f"{kpi.name} (this period)"
    x_title = f"Period start ({grain_label})"
    x = alt.X("period_start:T", title=x_title)
    y_title = value_axis_title(kpi)
    layers: list[alt.Chart] = []
    steps = points.dropna(subset=["target"])
    if not steps.empty:
        layers.append(
            alt.Chart(steps).mark_area(interpolate="step-after", color=STATUS_COLOURS[Status.AT_RISK],
                                       opacity=0.22)
            .encode(x=alt.X("date:T", title=x_title),
                    y=alt.Y("target:Q", scale=_y_scale(kpi), title=y_title), y2="band_edge:Q",
                    tooltip=[alt.Tooltip("band_edge:Q", title="Edge of tolerance", format=".2f")])
        )
        target_lines = pd.concat([
            steps.assign(series=SERIES_TARGET, dash="solid", level=steps["target"]),
            steps.dropna(subset=["stretch"]).assign(series=SERIES_STRETCH, dash="dashed",
                                                   level=lambda f: f["stretch"]),
        ], ignore_index=True)
        layers.append(
            alt.Chart(target_lines).mark_line(interpolate="step-after", strokeWidth=2)
            .encode(x=alt.X("date:T", title=x_title), y=alt.Y("level:Q", scale=_y_scale(kpi)),
                    color=_series_colour(this_year), strokeDash=_dash(), detail="series:N",
                    tooltip=[alt.Tooltip("date:T", title="From"), "series:N",
                             alt.Tooltip("level:Q", title="Level", format=".2f"), "target_scope:N"])
        )
    if last_year is not None and not last_year.empty:
        layers.append(
            alt.Chart(last_year.assign(series=SERIES_LAST_YEAR, dash="solid")).mark_line(strokeWidth=2)
            .encode(x=x, y=alt.Y("value:Q", scale=_y_scale(kpi)), color=_series_colour(this_year),
                    strokeDash=_dash(),
                    tooltip=[alt.Tooltip("original_start:T", title="Last year's period"),
                             alt.Tooltip("value:Q", title="Last year", format=".2f")])
        )
    data = with_status_labels(series.dropna(subset=["value"])).assign(series=this_year, dash="solid")
    layers.append(
        alt.Chart(data).mark_line(strokeWidth=3)
        .encode(x=x, y=alt.Y("value:Q", scale=_y_scale(kpi), title=y_title), color=_series_colour(this_year),
                strokeDash=_dash())
    )
    layers.append(
        alt.Chart(data).mark_point(filled=True, size=70, opacity=1)
        .encode(x=x, y=alt.Y("value:Q", scale=_y_scale(kpi)), fill=status_fill(), color=alt.value("white"),
                tooltip=[alt.Tooltip("period_start:T", title="Period"),
                         alt.Tooltip("value:Q", format=".2f"), alt.Tooltip("target:Q", format=".2f"),
                         alt.Tooltip("status_text:N", title="Status"),
                         alt.Tooltip("trust_note:N", title="Not trusted because")])
    )
    return alt.layer(*layers).resolve_scale(fill="independent").properties(
        height=340, title=f"{kpi.name} by {grain_label} against target (amber: tolerance, dashed: stretch)"
    )


def status_fill() -> alt.Fill:
    """Status colours (metrics.status) as a fill, so the line's colour legend stays separate."""
    legend = alt.Legend(orient="bottom")
    return alt.Fill("status_label:N", scale=status_scale(), title="Status", legend=legend)
