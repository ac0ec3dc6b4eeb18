"""Charts read German in German: the spec carries a Vega locale (month and day names, decimal comma)
built from Babel's CLDR data when the chart is built, and none in English (Vega's own default)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import altair as alt
import pandas as pd
import pytest

from metrics.formatting import set_language
from metrics.registry import default_registry
from ui.cached_charts import _to_spec
from ui.charts import health_chart, vega_locale
from ui.trend_charts import trend_chart

REGISTRY = default_registry()


@pytest.fixture
def german() -> Iterator[None]:
    set_language("de")
    yield
    set_language("en")


def _trend() -> alt.LayerChart:
    series = pd.DataFrame({"period_start": pd.date_range("2025-07-01", periods=6, freq="MS"),
                           "kpi_id": "csat", "value": 4.1, "target": 4.0, "status": "on_target"})
    points = pd.DataFrame(columns=["date", "target", "band_edge", "stretch", "target_scope"])
    return trend_chart(series, points, REGISTRY["csat"], "month")


def _health() -> alt.LayerChart:
    return health_chart(pd.DataFrame({"journey": ["Buy"], "health": [1234.5 / 20], "status": ["at_risk"]}))


def _month_axis(spec: dict[str, Any]) -> dict[str, Any]:
    return next(layer["encoding"]["x"]["axis"] for layer in spec["layer"]
                if layer["encoding"]["x"]["field"] == "period_start")


def test_a_chart_built_in_german_carries_the_german_locale(german: None) -> None:
    for spec in (_trend().to_dict(), _health().to_dict()):
        locale = spec["config"]["locale"]
        assert locale["number"]["decimal"] == "," and locale["number"]["thousands"] == "."
        assert locale["number"]["grouping"] == [3] and locale["number"]["currency"] == ["", " €"]
        assert locale["time"]["months"][0] == "Januar" and locale["time"]["shortMonths"][10] == "Nov."
        assert locale["time"]["days"][0] == "Sonntag" and locale["time"]["date"] == "%d.%m.%Y"
    # The month axis names months through that locale ('Nov. 2026'), and the titles are German.
    spec = _trend().to_dict()
    assert _month_axis(spec)["format"] == "%b %Y"
    assert spec["title"].startswith("CSAT je Monat gegen Ziel")


def test_a_chart_built_in_english_carries_no_locale() -> None:
    for spec in (_trend().to_dict(), _health().to_dict()):
        assert "locale" not in spec.get("config", {})
    assert vega_locale("en") is None
    spec = _trend().to_dict()
    assert _month_axis(spec)["format"] == "%b %Y"
    assert spec["title"].startswith("CSAT by month against target")


@pytest.mark.skipif(_to_spec is None, reason="this Streamlit has no Altair-to-spec conversion")
def test_the_spec_streamlit_draws_reads_the_language_at_build_time(german: None) -> None:
    """ui.cached_charts draws Streamlit's own conversion of the chart: the theme is called there, in
    the language of the run that builds it (the cached spec is keyed by language)."""
    assert _to_spec is not None
    german_spec = _to_spec(_health())
    assert german_spec["config"]["locale"]["time"]["months"][11] == "Dezember"
    set_language("en")
    assert "locale" not in _to_spec(_health()).get("config", {})
