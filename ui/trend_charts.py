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

from metrics.formatting import current_language, date_text
from metrics.i18n import N_, tr
from metrics.model import Grain, Unit
from metrics.registry import KpiDef, KpiRegistry
from metrics.samples import with_sample_sizes
from metrics.status import STATUS_COLOURS, Status
from metrics.trends import grain_text, period_text, scope_text
from ui.charts import status_scale, with_status_labels

VALUE_COLOUR = "#1f4e79"
LAST_YEAR_COLOUR = "#9ecae1"
TARGET_COLOUR = "#222222"
STRETCH_COLOUR = "#555555"
#: The lines of the legend (English, marked; a chart shows them with ``tr``).
SERIES_LAST_YEAR = N_("Same period last year")
SERIES_TARGET = N_("Target")
SERIES_STRETCH = N_("Stretch target")


def value_axis_title(kpi: KpiDef) -> str:
    if kpi.higher_is_better:
        return f"{kpi.name} ({kpi.unit_label})"
    return tr("{kpi} ({unit}) — lower is better").format(kpi=kpi.name, unit=kpi.unit_label)


def _this_period(kpi: KpiDef) -> str:
    return tr("{kpi} (this period)").format(kpi=kpi.name)


def _y_scale(kpi: KpiDef) -> alt.Scale:
    # Counts and money read best from zero; rates and scores would be flattened by it.
    return alt.Scale(zero=kpi.unit in (Unit.COUNT, Unit.CURRENCY), nice=True)


def _series_colour(this_year: str) -> alt.Color:
    domain = [this_year, tr(SERIES_LAST_YEAR), tr(SERIES_TARGET), tr(SERIES_STRETCH)]
    scale = alt.Scale(domain=domain, range=[VALUE_COLOUR, LAST_YEAR_COLOUR, TARGET_COLOUR, STRETCH_COLOUR])
    legend = alt.Legend(orient="bottom", labelLimit=0, columns=2)
    return alt.Color("series:N", scale=scale, title=tr("Line"), legend=legend)


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
    this_year = _this_period(kpi)
    x_title = tr("Period start ({grain})").format(grain=grain_text(grain_label))
    x = alt.X("period_start:T", title=x_title, axis=time_axis(grain_label))
    y_title = value_axis_title(kpi)
    layers: list[alt.Chart] = []
    steps = points.dropna(subset=["target"])
    if not steps.empty:
        steps = steps.assign(band_text=steps["band_edge"].map(kpi.format),
                             from_text=steps["date"].map(date_text))
        layers.append(
            alt.Chart(steps).mark_area(interpolate="step-after", color=STATUS_COLOURS[Status.AT_RISK],
                                       opacity=0.22)
            .encode(x=alt.X("date:T", title=x_title, axis=time_axis(grain_label)),
                    y=alt.Y("target:Q", scale=_y_scale(kpi), title=y_title), y2="band_edge:Q",
                    tooltip=[alt.Tooltip("band_text:N", title=tr("Edge of tolerance"))])
        )
        target_lines = pd.concat([
            steps.assign(series=tr(SERIES_TARGET), dash="solid", level=steps["target"]),
            steps.dropna(subset=["stretch"]).assign(series=tr(SERIES_STRETCH), dash="dashed",
                                                   level=lambda f: f["stretch"]),
        ], ignore_index=True)
        target_lines["level_text"] = target_lines["level"].map(kpi.format)
        target_lines["target_scope"] = target_lines["target_scope"].map(scope_text)
        layers.append(
            alt.Chart(target_lines).mark_line(interpolate="step-after", strokeWidth=2)
            .encode(x=alt.X("date:T", title=x_title, axis=time_axis(grain_label)),
                    y=alt.Y("level:Q", scale=_y_scale(kpi)),
                    color=_series_colour(this_year), strokeDash=_dash(), detail="series:N",
                    tooltip=[alt.Tooltip("from_text:N", title=tr("From")),
                             alt.Tooltip("series:N", title=tr("Line")),
                             alt.Tooltip("level_text:N", title=tr("Level")),
                             alt.Tooltip("target_scope:N", title=tr("Set for"))])
        )
    if last_year is not None and not last_year.empty:
        earlier = last_year.assign(
            series=tr(SERIES_LAST_YEAR), dash="solid", value_text=last_year["value"].map(kpi.format),
            period_text=last_year["original_start"].map(lambda d: period_text(d, Grain(grain_label))))
        layers.append(
            alt.Chart(earlier).mark_line(strokeWidth=2)
            .encode(x=x, y=alt.Y("value:Q", scale=_y_scale(kpi)), color=_series_colour(this_year),
                    strokeDash=_dash(),
                    tooltip=[alt.Tooltip("period_text:N", title=tr("Last year's period")),
                             alt.Tooltip("value_text:N", title=tr("Last year"))])
        )
    data = _readable(with_status_labels(series.dropna(subset=["value"])), kpi, grain_label)
    layers.append(
        alt.Chart(data).mark_line(strokeWidth=3)
        .encode(x=x, y=alt.Y("value:Q", scale=_y_scale(kpi), title=y_title), color=_series_colour(this_year),
                strokeDash=_dash())
    )
    layers.append(
        # A value from too few responses is hollow: its status colour as the ring, white inside.
        alt.Chart(data).mark_point(filled=True, size=80, opacity=1, strokeWidth=2)
        .encode(x=x, y=alt.Y("value:Q", scale=_y_scale(kpi)),
                fill=alt.condition("datum.too_few", alt.value("white"), status_fill()),
                stroke=alt.condition("datum.too_few", alt.Stroke("status_label:N", scale=status_scale(),
                                                                 legend=None), alt.value("white")),
                tooltip=[alt.Tooltip("period_text:N", title=tr("Period")),
                         alt.Tooltip("value_text:N", title=kpi.name),
                         alt.Tooltip("target_text:N", title=tr("Target")),
                         alt.Tooltip("sample_text:N", title=tr("Sample")),
                         alt.Tooltip("status_text:N", title=tr("Status")),
                         alt.Tooltip("trust_note:N", title=tr("Not trusted because"))])
    )
    title = tr("{kpi} by {grain} against target (amber: tolerance, dashed: stretch)").format(
        kpi=kpi.name, grain=grain_text(grain_label))
    return alt.layer(*layers).resolve_scale(fill="independent").properties(height=340, title=title)


#: Quarter labels that carry the year; ticks every three months so each sits on a quarter start.
_QUARTER_LABEL = "'Q' + (floor(month(datum.value) / 3) + 1) + ' ' + year(datum.value)"


#: Vega time formats of the axis labels per language: (day and week, month). The month words come
#: from the chart's locale (ui.charts.vega_locale): 'Nov 2026' in English, 'Nov. 2026' in German.
_TIME_FORMATS = {"en": ("%d %b %Y", "%b %Y"), "de": ("%d.%m.%Y", "%b %Y")}


def time_axis(grain_label: str) -> alt.Axis:
    """A time axis whose every label names its year: '12 Nov 2026', 'Nov 2026', 'Q4 2026' in
    English; '12.11.2026', 'Nov. 2026', 'Q4 2026' in German (the spec's Vega locale names the
    months in the current language, the same words as metrics.formatting.month_text)."""
    if grain_label == "quarter":
        return alt.Axis(labelOverlap=True, labelLimit=0, labelExpr=_QUARTER_LABEL,
                        tickCount={"interval": "month", "step": 3})
    day_format, month_format = _TIME_FORMATS.get(current_language(), _TIME_FORMATS["en"])
    if grain_label in ("day", "week"):
        return alt.Axis(labelOverlap=True, labelLimit=0, format=day_format)
    return alt.Axis(labelOverlap=True, labelLimit=0, format=month_format)


def _readable(data: pd.DataFrame, kpi: KpiDef, grain_label: str) -> pd.DataFrame:
    """Value, target, period and sample as text for tooltips, and the too-few mark."""
    registry = KpiRegistry([kpi])
    out = with_sample_sizes(data, registry) if "denominator" in data else data.assign(
        sample_text="", too_few=False)
    return out.assign(
        series=_this_period(kpi), dash="solid",
        value_text=out["value"].map(kpi.format), target_text=out["target"].map(kpi.format),
        period_text=out["period_start"].map(lambda d: period_text(d, Grain(grain_label))),
    )


def status_fill() -> alt.Fill:
    """Status colours (metrics.status) as a fill, so the line's colour legend stays separate."""
    legend = alt.Legend(orient="bottom", labelLimit=0, columns=3)
    return alt.Fill("status_label:N", scale=status_scale(), title=tr("Status"), legend=legend)
