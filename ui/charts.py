"""Altair charts shared by the overview and journey pages. Each takes a tidy frame and returns a
chart; tests read ``chart.to_dict()``. Status colours come only from metrics.status, so a colour
means the same on every page; targets are layers (line and band), never just text.
"""

from __future__ import annotations

from typing import TypeAlias

import altair as alt
import pandas as pd

from metrics.formatting import MISSING
from metrics.status import (
    HEALTH_AT_RISK,
    HEALTH_ON_TARGET,
    STATUS_COLOURS,
    Status,
    health_points,
)

TARGET_COLOUR = "#222222"
BAND_COLOUR = "#9e9e9e"



@alt.theme.register("mot", enable=True)
def _mot_theme() -> alt.theme.ThemeConfig:
    """Charts fill their column's width but keep the plot height they ask for. Streamlit sizes a
    chart's box to the spec's height; with Vega's default autosize the title, axes and legend were
    squeezed into that box, leaving a plot a third of the height asked for (measured in Chromium)."""
    return alt.theme.ThemeConfig({"autosize": {"type": "fit-x", "contains": "padding"}})


#: What chart builders return: a layered chart (Altair types .properties() loosely).
Layered: TypeAlias = "alt.LayerChart | alt.FacetChart"


def status_scale() -> alt.Scale:
    """Status label -> colour, the same domain (all five states) everywhere."""
    return alt.Scale(domain=[s.label for s in Status], range=[STATUS_COLOURS[s] for s in Status])


def status_color(field: str = "status_label", title: str = "Status", columns: int | None = None) -> alt.Color:
    """Colour by status; ``columns`` wraps the legend in narrow charts so no state is cut off."""
    legend = alt.Legend(orient="bottom", labelLimit=0) if columns is None else alt.Legend(
        orient="bottom", columns=columns, labelLimit=0)
    return alt.Color(f"{field}:N", scale=status_scale(), title=title, legend=legend)


def with_status_labels(frame: pd.DataFrame, column: str = "status") -> pd.DataFrame:
    """``status_label`` (the colour key), ``status_text`` (the label with both facts, e.g.
    "⊘ On target?", from metrics.judgement) and ``trust_note`` (why a value is not trusted, else
    empty) for tooltips."""
    labels = frame[column].map(lambda s: Status(s).label)
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

