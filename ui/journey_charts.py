"""Charts of the journey page: the living map (and its strip of stages by channel for large
journeys), the stage funnel and the emotional curve. Status colours come from ui.charts, so a colour
means the same here as on every other page; targets are drawn, never only written.
"""

from __future__ import annotations

import textwrap
from typing import Any, Literal

import altair as alt
import pandas as pd

from metrics.i18n import tr
from metrics.journey_map import MORE
from metrics.registry import KpiDef
from ui.charts import BAND_COLOUR, TARGET_COLOUR, Layered, status_color, with_status_labels

__all__ = ["emotional_curve_chart", "funnel_chart", "journey_map_chart", "stage_strip_chart"]

#: Card geometry: rows are this many pixels high; text starts this far above a row's centre.
CARD_STEP = 150
_TOP = -(CARD_STEP // 2) + 10
#: Stage names wrap on the axis instead of being cut off or skipped.
STAGE_LINE = 16
#: Vega splits an axis label into lines at this character (labels are wrapped in Python).
_SPLIT_LABEL = "split(datum.label, '\\n')"


def stage_label(name: object) -> str:
    """A stage name wrapped for an axis ('Onboarding and\\nfirst use'); every stage is labelled."""
    return "\n".join(textwrap.wrap(str(name), STAGE_LINE, break_long_words=True) or [""])


def _stage_axis(order: list[str], title: str | None,
                orient: Literal["top", "bottom"] = "bottom") -> alt.X:
    return alt.X(
        "stage_label:N",
        sort=order,
        title=title,
        scale=alt.Scale(paddingInner=0.06),
        axis=alt.Axis(orient=orient, labelAngle=0, labelOverlap=False, labelLimit=0, labelExpr=_SPLIT_LABEL,
                      labelFontSize=12, ticks=False),
    )


def journey_map_chart(cards: pd.DataFrame) -> Layered:
    """The living journey map: stages as columns, touchpoints as cards coloured by status.

    cards (metrics.journey_map.journey_map_cards, optionally limit_cards/filter_cards): stage,
    position, slot, title and body (wrapped card text: name; key KPI; value and target; channel
    and owner; Kano class), kind (MORE for a stage's '+ N more' card), status, moment_of_truth and
    tooltip columns. Moments of truth get a dark border and a star.
    """
    moment, touchpoint = tr("★ moment of truth"), tr("touchpoint")
    data = with_status_labels(cards).assign(
        marker=cards["moment_of_truth"].map(lambda m: moment if m else touchpoint),
        stage_label=cards["stage"].map(stage_label),
    )
    order = data.sort_values("position")["stage_label"].drop_duplicates().tolist()
    base = alt.Chart(data).encode(
        x=_stage_axis(order, None, orient="top"),
        y=alt.Y("slot:O", title=None, axis=None, scale=alt.Scale(paddingInner=0.08)),
    )
    is_card = alt.datum.kind != MORE
    card = base.transform_filter(is_card).mark_rect(cornerRadius=6).encode(
        color=status_color(),
        stroke=alt.condition("datum.moment_of_truth", alt.value(TARGET_COLOUR), alt.value("white")),
        strokeWidth=alt.condition("datum.moment_of_truth", alt.value(3), alt.value(0)),
        tooltip=[
            alt.Tooltip("name:N", title=tr("Touchpoint")),
            alt.Tooltip("channel:N", title=tr("Channel")),
            alt.Tooltip("owner:N", title=tr("Owner")),
            alt.Tooltip("marker:N", title=tr("Kind")),
            alt.Tooltip("kano_text:N", title=tr("Kano class")),
            alt.Tooltip("summary:N", title=tr("KPIs")),
            alt.Tooltip("status_text:N", title=tr("Status")),
            alt.Tooltip("trust_text:N", title=tr("Data quality")),
        ],
    )
    more = base.transform_filter(~is_card).mark_rect(
        cornerRadius=6, fill="white", stroke="#666666", strokeDash=[5, 4], strokeWidth=1.5
    )
    text: dict[str, Any] = {"baseline": "top", "lineBreak": "\n", "fontSize": 11, "lineHeight": 14,
                            "limit": 0}
    title = base.mark_text(fontWeight="bold", dy=_TOP, **text).encode(
        text="title:N", color=alt.condition(is_card, alt.value("white"), alt.value("#222222"))
    )
    title_lines = int(data["title"].astype(str).str.count("\n").max() or 0) + 1 if len(data) else 1
    body = base.mark_text(dy=_TOP + 14 * title_lines + 3, **text).encode(
        text="body:N", color=alt.condition(is_card, alt.value("white"), alt.value("#444444"))
    )
    return alt.layer(card, more, title, body).properties(height=alt.Step(CARD_STEP), title=tr("Journey map"))


def stage_strip_chart(counts: pd.DataFrame) -> Layered:
    """Touchpoints per stage (columns) and channel (rows), one coloured count per status.

    counts (metrics.journey_map.stage_channel_counts): stage, position, channel, status, touchpoints.
    """
    data = with_status_labels(counts).assign(stage_label=counts["stage"].map(stage_label))
    order = data.sort_values("position")["stage_label"].drop_duplicates().tolist()
    base = alt.Chart(data).encode(
        x=_stage_axis(order, None, orient="top"),
        xOffset=alt.XOffset("status_label:N", sort=None),
        y=alt.Y("channel:N", title=tr("Channel"), axis=alt.Axis(labelLimit=200)),
    )
    tooltip = [alt.Tooltip("stage:N", title=tr("Stage")), alt.Tooltip("channel:N", title=tr("Channel")),
               alt.Tooltip("status_label:N", title=tr("Status")),
               alt.Tooltip("touchpoints:Q", title=tr("Touchpoints"))]
    dots = base.mark_circle(opacity=1).encode(
        color=status_color(),
        size=alt.Size("touchpoints:Q", title=tr("Touchpoints"), scale=alt.Scale(range=[120, 700]),
                      legend=None),
        tooltip=tooltip,
    )
    numbers = base.mark_text(fontSize=11, fontWeight="bold", color="white").encode(
        text="touchpoints:Q", tooltip=tooltip
    )
    return alt.layer(dots, numbers).properties(
        height=alt.Step(30),
        title=alt.TitleParams(tr("Touchpoints by stage and channel"),
                              subtitle=tr("each dot counts the touchpoints of one status")),
    )


def funnel_chart(conversion: pd.DataFrame) -> Layered:
    """Customers reaching each stage (bars) with the conversion to the next stage as labels.

    conversion: stage (name), position, customers, conversion_text.
    """
    data = conversion.assign(stage_label=conversion["stage"].map(stage_label))
    order = data.sort_values("position")["stage_label"].tolist()
    base = alt.Chart(data).encode(x=_stage_axis(order, tr("Stage")))
    bars = base.mark_bar(color="#4e79a7").encode(
        y=alt.Y("customers:Q", title=tr("Customers reaching the stage")),
        tooltip=[
            alt.Tooltip("stage:N", title=tr("Stage")),
            alt.Tooltip("customers:Q", title=tr("Customers"), format=",.0f"),
            alt.Tooltip("conversion_text:N", title=tr("Conversion to next stage")),
        ],
    )
    labels = base.mark_text(dy=-8, fontSize=12).encode(y="customers:Q", text="conversion_text:N")
    return alt.layer(bars, labels).properties(
        height=300,
        title=alt.TitleParams(tr("Stage funnel"),
                              subtitle=tr("labels: share of customers reaching the next stage")),
    )


def emotional_curve_chart(frame: pd.DataFrame, kpi: KpiDef) -> Layered:
    """A satisfaction KPI by stage (the emotional journey) against its target.

    frame (metrics.journey_map.emotional_curve): every stage of the journey with stage, position,
    value (NaN where the stage has none), target, tolerance, status, value_text, target_text. The
    line breaks at a stage without a value instead of bridging it; each stage's target is a dark
    tick with its tolerance band behind it, so a lone value still shows its target.
    """
    data = with_status_labels(frame).assign(stage_label=frame["stage"].map(stage_label))
    sign = -1.0 if kpi.higher_is_better else 1.0
    data = data.assign(band_edge=data["target"] + sign * data["tolerance"].fillna(0.0))
    order = data.sort_values("position")["stage_label"].tolist()
    title = f"{kpi.name} ({kpi.unit_label})" if kpi.higher_is_better else tr(
        "{kpi} ({unit}) — lower is better").format(kpi=kpi.name, unit=kpi.unit_label)
    x = _stage_axis(order, tr("Stage"))
    y_scale = alt.Scale(zero=False, nice=True)
    tooltip = [
        alt.Tooltip("stage:N", title=tr("Stage")),
        alt.Tooltip("value_text:N", title=kpi.name),
        alt.Tooltip("target_text:N", title=tr("Target")),
        alt.Tooltip("status_text:N", title=tr("Status")),
    ]
    band = alt.Chart(data).mark_bar(color=BAND_COLOUR, opacity=0.25, width={"band": 0.5}).encode(
        x=x, y=alt.Y("target:Q", scale=y_scale, title=title), y2="band_edge:Q"
    )
    target = alt.Chart(data).mark_tick(color=TARGET_COLOUR, thickness=3, width={"band": 0.5}).encode(
        x=x, y=alt.Y("target:Q", scale=y_scale), tooltip=tooltip
    )
    line = alt.Chart(data).mark_line(
        color="#4e79a7", strokeWidth=3, invalid="break-paths-show-domains"
    ).encode(x=x, y=alt.Y("value:Q", scale=y_scale))
    points = alt.Chart(data).mark_point(filled=True, size=180, opacity=1).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale), color=status_color(columns=3), tooltip=tooltip
    )
    missing = alt.Chart(data).transform_filter("!isValid(datum.value)").mark_text(
        text=tr("no value"), fontStyle="italic", color="#555555", baseline="bottom"
    ).encode(x=x, y=alt.value(295))
    return alt.layer(band, target, line, points, missing).properties(
        height=300,
        title=alt.TitleParams(
            tr("Emotional journey: {kpi} by stage").format(kpi=kpi.name),
            subtitle=tr("dark tick: target · grey band: tolerance (at risk) · gaps: stages without a value"),
        ),
    )
