"""Charts of the quarterly review page: the same Vega-Lite spec as the PDF and the slides.

review/chart_spec.py builds the spec (review may not import altair); here it becomes an Altair
chart, so the page, the PDF and the slides always draw the same picture.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from review.chart_spec import journey_chart_spec


def journey_review_chart(figures: pd.DataFrame, title: str) -> alt.LayerChart:
    """One journey's judged figures as % of target, with last quarter and last year for comparison."""
    spec = journey_chart_spec(figures, title)
    spec.pop("$schema", None)
    spec["width"] = "container"
    # Streamlit's theme would squeeze a step-sized height; fix it: 26 px per figure row.
    spec["height"] = 26 * max(1, len({row["label"] for row in spec["data"]["values"]}))
    return alt.LayerChart.from_dict(spec, validate=False)


def review_chart_height(chart: alt.LayerChart) -> int:
    """Height to give Streamlit: the plot's rows plus title and axis, so no row label is dropped."""
    return int(chart.to_dict()["height"]) + 90
