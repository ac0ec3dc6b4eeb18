"""Altair charts shared by the overview and journey pages. Each takes a tidy frame and returns a
chart; tests read ``chart.to_dict()``. Status colours come only from metrics.status, so a colour
means the same on every page; targets are layers (line and band), never just text.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import altair as alt
import pandas as pd

from metrics.formatting import MISSING
from metrics.registry import KpiDef
from metrics.status import (
    HEALTH_AT_RISK,
    HEALTH_ON_TARGET,
    STATUS_COLOURS,
    STATUS_LABELS,
    Status,
    health_points,
)

TARGET_COLOUR = "#222222"
BAND_COLOUR = "#9e9e9e"

#: What chart builders return: a layered chart (Altair types .properties() loosely).
Layered: TypeAlias = "alt.LayerChart | alt.FacetChart"


def status_scale() -> alt.Scale:
    """Status label -> colour, the same domain (all five states) everywhere."""
    return alt.Scale(domain=[STATUS_LABELS[s] for s in Status], range=[STATUS_COLOURS[s] for s in Status])


def status_color(field: str = "status_label", title: str = "Status", columns: int | None = None) -> alt.Color:
    """Colour by status; ``columns`` wraps the legend in narrow charts so no state is cut off."""
    legend = alt.Legend(orient="bottom", labelLimit=0) if columns is None else alt.Legend(
        orient="bottom", columns=columns, labelLimit=0)
    return alt.Color(f"{field}:N", scale=status_scale(), title=title, legend=legend)


def with_status_labels(frame: pd.DataFrame, column: str = "status") -> pd.DataFrame:
    """``status_label`` (the colour key), ``status_text`` (the label with both facts, e.g.
    "⊘ On target?", from metrics.judgement) and ``trust_note`` (why a value is not trusted, else
    empty) for tooltips."""
    labels = frame[column].map(lambda s: STATUS_LABELS[Status(s)])
    texts = frame.get("status_text", labels)
    untrusted = frame[column].eq(Status.NOT_TRUSTED.value)
    reasons = frame["trust_reason"].fillna("").astype(str) if "trust_reason" in frame else pd.Series(
        "", index=frame.index)
    return frame.assign(status_label=labels, status_text=texts, trust_note=reasons.where(untrusted, ""))


def health_chart(frame: pd.DataFrame) -> Layered:
    """Journey health 0-100 as bars with their value written beside them (frame: journey, health,
    status), and the 80/60 bands of metrics.status."""
    data = with_status_labels(frame).assign(
        health_text=frame["health"].map(lambda h: MISSING if pd.isna(h) else f"{health_points(h)}"))
    base = alt.Chart(data).encode(
        x=alt.X("health:Q", title="Health score (0-100)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("journey:N", title=None, sort="x", axis=alt.Axis(labelLimit=0)),
    )
    bars = base.mark_bar().encode(
        color=status_color(title="Health", columns=3),
        tooltip=[alt.Tooltip("journey:N", title="Journey"), alt.Tooltip("health_text:N", title="Health"),
                 alt.Tooltip("status_label:N", title="Status")],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(text="health_text:N")
    rules = (
        alt.Chart(pd.DataFrame({"threshold": [HEALTH_AT_RISK, HEALTH_ON_TARGET],
                                "label": ["at risk from", "on target from"]}))
        .mark_rule(color=TARGET_COLOUR, strokeDash=[4, 3])
        .encode(x="threshold:Q", tooltip=[alt.Tooltip("label:N", title="Band"),
                                          alt.Tooltip("threshold:Q", title="Health")])
    )
    return alt.layer(bars, labels, rules).properties(height=alt.Step(34), title="Journey health")


def kpi_status_grid(frame: pd.DataFrame) -> Layered:
    """Journeys x headline KPIs: cell colour = status; the cell shows the value, its target and
    its change against the previous period (not only on hover).

    frame: journey, kpi (display name), text, detail (target and change, two lines), status,
    tooltip columns value_text, target_text, delta_text, reason.
    """
    data = with_status_labels(frame)
    base = alt.Chart(data).encode(
        x=alt.X("kpi:N", title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=0, labelFontSize=12)),
        y=alt.Y("journey:N", title=None, axis=alt.Axis(labelLimit=0, labelFontSize=12)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=status_color(),
        tooltip=[
            alt.Tooltip("journey:N", title="Journey"),
            alt.Tooltip("kpi:N", title="KPI"),
            alt.Tooltip("value_text:N", title="Value"),
            alt.Tooltip("target_text:N", title="Target"),
            alt.Tooltip("delta_text:N", title="vs previous period"),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("reason:N", title="Why"),
        ],
    )
    text = base.mark_text(fontSize=14, fontWeight="bold", color="white", dy=-14).encode(text="text:N")
    detail = base.mark_text(fontSize=11, color="white", dy=6, lineBreak="\n").encode(text="detail:N")
    return alt.layer(cells, text, detail).properties(height=alt.Step(70),
                                                     title="Headline KPIs against target")


def journey_map_chart(cards: pd.DataFrame) -> Layered:
    """The living journey map: stages as columns, touchpoints as cards coloured by status.

    cards: stage (name), position, slot (row inside the stage), label (card text), detail (the
    worst KPI), kano_text, status, moment_of_truth and tooltip columns (summary, trust_text, ...).
    Moments of truth get a dark border and a star.
    """
    data = with_status_labels(cards).assign(
        marker=cards["moment_of_truth"].map(lambda m: "★ moment of truth" if m else "touchpoint")
    )
    stage_order = data.sort_values("position")["stage"].drop_duplicates().tolist()
    base = alt.Chart(data).encode(
        x=alt.X(
            "stage:N",
            sort=stage_order,
            title=None,
            scale=alt.Scale(paddingInner=0.06),
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelFontSize=13,
                labelFontWeight="bold",
                labelLimit=200,
                ticks=False,
                domain=False,
            ),
        ),
        y=alt.Y("slot:O", title=None, axis=None, scale=alt.Scale(paddingInner=0.12)),
    )
    card = base.mark_rect(cornerRadius=6).encode(
        color=status_color(),
        stroke=alt.condition("datum.moment_of_truth", alt.value(TARGET_COLOUR), alt.value("white")),
        strokeWidth=alt.condition("datum.moment_of_truth", alt.value(3), alt.value(0)),
        tooltip=[
            alt.Tooltip("name:N", title="Touchpoint"),
            alt.Tooltip("channel:N", title="Channel"),
            alt.Tooltip("owner:N", title="Owner"),
            alt.Tooltip("marker:N", title="Kind"),
            alt.Tooltip("kano_text:N", title="Kano class"),
            alt.Tooltip("summary:N", title="KPIs"),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("trust_text:N", title="Data quality"),
        ],
    )
    text: dict[str, Any] = {"color": "white", "limit": 118, "fontSize": 11}
    label = base.mark_text(fontWeight="bold", dy=-14, **text).encode(text="label:N")
    detail = base.mark_text(dy=1, **text).encode(text="detail:N")
    kano = base.mark_text(dy=15, fontStyle="italic", **text).encode(text="kano_text:N")
    return alt.layer(card, label, detail, kano).properties(height=alt.Step(70), title="Journey map")


def funnel_chart(conversion: pd.DataFrame) -> Layered:
    """Customers reaching each stage (bars) with the conversion to the next stage as labels.

    conversion: stage (name), position, customers, conversion_text.
    """
    order = conversion.sort_values("position")["stage"].tolist()
    base = alt.Chart(conversion).encode(
        x=alt.X("stage:N", sort=order, title="Stage", axis=alt.Axis(labelAngle=0, labelLimit=140)),
    )
    bars = base.mark_bar(color="#4e79a7").encode(
        y=alt.Y("customers:Q", title="Customers reaching the stage"),
        tooltip=[
            alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("customers:Q", title="Customers", format=",.0f"),
            alt.Tooltip("conversion_text:N", title="Conversion to next stage"),
        ],
    )
    labels = base.mark_text(dy=-8, fontSize=12).encode(y="customers:Q", text="conversion_text:N")
    return alt.layer(bars, labels).properties(
        height=300,
        title=alt.TitleParams("Stage funnel", subtitle="labels: share of customers reaching the next stage"),
    )


def emotional_curve_chart(frame: pd.DataFrame, kpi: KpiDef) -> Layered:
    """A satisfaction KPI by stage (the emotional journey) with its target line and amber band.

    frame: stage, position, value, target, tolerance, status. The band spans the at-risk side.
    """
    data = with_status_labels(frame)
    sign = -1.0 if kpi.higher_is_better else 1.0
    data = data.assign(band_edge=data["target"] + sign * data["tolerance"].fillna(0.0),
                       value_text=data["value"].map(kpi.format), target_text=data["target"].map(kpi.format))
    order = data.sort_values("position")["stage"].tolist()
    title = f"{kpi.name} ({kpi.unit_label})" + (" — lower is better" if not kpi.higher_is_better else "")
    x = alt.X("stage:N", sort=order, title="Stage", axis=alt.Axis(labelAngle=0, labelLimit=140))
    y_scale = alt.Scale(zero=False, nice=True)
    band = (
        alt.Chart(data)
        .mark_area(color=BAND_COLOUR, opacity=0.25)
        .encode(x=x, y=alt.Y("target:Q", scale=y_scale, title=title), y2="band_edge:Q")
    )
    target = (
        alt.Chart(data)
        .mark_line(color=TARGET_COLOUR, strokeDash=[6, 4])
        .encode(
            x=x,
            y=alt.Y("target:Q", scale=y_scale),
            tooltip=[alt.Tooltip("stage:N", title="Stage"), alt.Tooltip("target_text:N", title="Target")],
        )
    )
    line = (
        alt.Chart(data)
        .mark_line(color="#4e79a7", strokeWidth=3)
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale))
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=160, opacity=1)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y_scale),
            color=status_color(),
            tooltip=[
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("value_text:N", title=kpi.name),
                alt.Tooltip("target_text:N", title="Target"),
                alt.Tooltip("status_text:N", title="Status"),
            ],
        )
    )
    return alt.layer(band, target, line, points).properties(
        height=300,
        title=alt.TitleParams(
            f"Emotional journey: {kpi.name} by stage",
            subtitle="dashed line: target · grey band: tolerance (at risk)",
        ),
    )
