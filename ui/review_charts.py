"""Charts of the quarterly review page: the same Vega-Lite spec as the PDF and the slides.

review/chart_spec.py builds the journey's bullet chart (review may not import altair); here it is
sized for the page and handed to Streamlit as the dict Altair would have produced from it, so the
page, the PDF and the slides always draw the same picture.

The spec is not turned into an Altair chart: ``alt.LayerChart.from_dict`` validates every data row
against the schema's ``anyOf`` branches to pick wrapper classes (even with ``validate=False``), and
``st.altair_chart`` validates the whole chart again in ``to_dict()``. For a journey with a few
hundred figures that cost seconds per page run; the dict below costs milliseconds.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import altair as alt
import pandas as pd

from review.chart_spec import bullet_chart_spec, row_step

#: The labels' px size on the page: the packs' 20 px (for a slide or printed page) stood out above
#: the page's own 14 px text; rows, ticks and legend scale with it (review.chart_spec).
PAGE_FONT = 13
ROW_HEIGHT = row_step(PAGE_FONT) + 6  # px per figure row (two-line labels: name, value and target)
#: Px above and below the rows: title, two lines of legend text, the status legend and the x axis.
FRAME_HEIGHT = 240


def journey_review_spec(figures: pd.DataFrame, title: str) -> dict[str, Any]:
    """One journey's KPIs and budget against target as a bullet chart (review.chart_spec).

    A Vega-Lite spec for ``st.vega_lite_chart``, equal to what ``st.altair_chart`` sends for
    ``alt.LayerChart.from_dict`` of the same spec: Altair's schema URL and the inline rows moved to
    a named dataset (named, as Altair names it, by a hash of the rows).
    """
    spec = bullet_chart_spec(figures, title, font=PAGE_FONT)
    values = spec.pop("data")["values"]
    spec["$schema"] = alt.SCHEMA_URL
    spec["width"] = "container"
    # Streamlit's theme would squeeze a step-sized height; fix it per figure row.
    spec["height"] = ROW_HEIGHT * max(1, len({row["row"] for row in values}))
    name = _dataset_name(values)
    spec["data"] = {"name": name}
    spec["datasets"] = {name: values}
    return spec


def review_chart_height(spec: dict[str, Any]) -> int:
    """Height to give Streamlit: the plot's rows plus title, legend and axis, so no row is dropped."""
    return int(spec["height"]) + FRAME_HEIGHT


def _dataset_name(values: list[dict[str, Any]]) -> str:
    """The name Altair gives inline rows (altair.vegalite.v6.api._dataset_name)."""
    if values == [{}]:
        return "empty"
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()
    return "data-" + digest[:32]
