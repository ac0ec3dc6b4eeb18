"""The trend chart spec (target steps, band, stretch, axes) and both pages in AppTest on a demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from connectors.demo import build_demo_file
from metrics.model import Grain
from metrics.registry import default_registry
from metrics.status import STATUS_COLOURS, Status
from metrics.targets import target_steps
from metrics.trends import last_year_overlay, target_step_points
from tests.fixtures import DEMO_END
from ui.trend_charts import SERIES_STRETCH, SERIES_TARGET, trend_chart

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = default_registry()


def _targets() -> pd.DataFrame:
    frame = pd.DataFrame(
        [("csat", "all", None, "2025-01-01", "2025-12-31", 4.0, 0.1, None),
         ("csat", "all", None, "2026-01-01", None, 4.2, 0.15, 4.5),
         ("ces", "all", None, "2025-01-01", None, 3.0, 0.3, None)],
        columns=["kpi_id", "scope", "scope_id", "valid_from", "valid_to", "target", "tolerance", "stretch"])
    for column in ("valid_from", "valid_to"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _chart(kpi_id: str) -> dict[str, Any]:
    steps = target_steps(_targets(), kpi_id, {}, dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    points = target_step_points(steps, REGISTRY[kpi_id].higher_is_better)
    series = pd.DataFrame({"period_start": pd.date_range("2025-07-01", periods=12, freq="MS"),
                           "kpi_id": kpi_id, "value": 4.1, "target": 4.0, "status": "on_target"})
    last_year = last_year_overlay(series.assign(period_start=series["period_start"] - pd.DateOffset(years=1)),
                                  Grain.MONTH)
    return trend_chart(series, points, REGISTRY[kpi_id], "month", last_year).to_dict()


def _layer(spec: dict[str, Any], mark: str, **props: object) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    for layer in spec["layer"]:
        m = layer["mark"]
        if m["type"] == mark and all(m.get(k) == v for k, v in props.items()):
            return layer, spec["datasets"][layer["data"]["name"]]
    raise AssertionError(f"no {mark} layer with {props}")


def test_target_is_a_step_line_that_changes_where_validity_changes() -> None:
    spec = _chart("csat")
    layer, rows = _layer(spec, "line", interpolate="step-after")
    target = [(r["date"][:10], r["level"]) for r in rows if r["series"] == SERIES_TARGET]
    # 4.0 from the start of the range, 4.2 from 1 Jan 2026 (when validity changes), drawn to 30 Jun.
    assert target == [("2025-07-01", 4.0), ("2026-01-01", 4.2), ("2026-06-30", 4.2)]
    stretch = [(r["date"][:10], r["level"]) for r in rows if r["series"] == SERIES_STRETCH]
    assert stretch[0] == ("2026-01-01", 4.5)
    assert layer["encoding"]["strokeDash"]["scale"]["range"][1] == [6, 4]  # stretch is dashed


def test_tolerance_band_lies_on_the_bad_side() -> None:
    _, rows = _layer(_chart("csat"), "area", interpolate="step-after")
    assert [(r["target"], round(r["band_edge"], 2)) for r in rows] == [(4.0, 3.9), (4.2, 4.05), (4.2, 4.05)]
    _, rows = _layer(_chart("ces"), "area")  # lower is better: the band is above the target
    assert rows[0]["band_edge"] == pytest.approx(3.3)


def test_axes_units_status_colours_and_no_forced_zero() -> None:
    spec = _chart("ces")
    value_layer, _ = _layer(spec, "line", strokeWidth=3)
    y = value_layer["encoding"]["y"]
    assert y["title"] == "CES (score) — lower is better" and y["scale"]["zero"] is False
    assert value_layer["encoding"]["x"]["title"] == "Period start (month)"
    points, _ = _layer(spec, "point")
    fill = points["encoding"]["fill"]["scale"]
    colour_of = dict(zip(fill["domain"], fill["range"], strict=True))
    assert colour_of["On target"] == STATUS_COLOURS[Status.ON_TARGET]
    colours = _layer(spec, "line", strokeWidth=2)[0]["encoding"]["color"]["scale"]["domain"]
    assert "Same period last year" in colours


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = build_demo_file(tmp_path_factory.mktemp("trends") / "demo.duckdb", end=DEMO_END, touchpoints=12,
                           years=3)
    return f"duckdb:///{path}"


@pytest.fixture
def app(demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("MOT_WAREHOUSE_URL", demo_url)
    monkeypatch.setenv("MOT_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    yield at


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize("grain", ["day", "week", "month", "quarter"])
def test_trends_page_renders_at_every_grain(app: AppTest, grain: str) -> None:
    app.query_params["grain"] = grain
    at = _open(app, "pages/trends.py")
    assert at.title[0].value == "Trends against targets"
    assert any("vs previous period" in m.value for m in at.markdown)
    assert len(at.dataframe) >= 2  # one pacing table per KPI


def test_trends_page_names_the_kpis_measured_when_the_choice_has_none(app: AppTest) -> None:
    app.query_params["scope"] = "touchpoint"
    app.query_params["touchpoint_id"] = "tp_buy_delivery"  # measures CSAT, CES and reach only
    at = _open(app, "pages/trends.py")
    at.multiselect[0].set_value(["engagement_rate"]).run()
    warning = at.warning[0].value
    assert "KPIs measured here:" in warning and "CSAT" in warning and "CES" in warning


@pytest.mark.parametrize("scope", ["journey", "stage", "touchpoint", "channel"])
def test_trends_page_renders_for_every_scope(app: AppTest, scope: str) -> None:
    app.query_params["scope"] = scope
    at = _open(app, "pages/trends.py")
    at.multiselect[0].set_value(["csat", "ces"]).run()  # measured at every touchpoint of the demo
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert f"scope: {scope}" in " ".join(c.value for c in at.caption)


def test_my_touchpoints_page_lists_reasons(app: AppTest) -> None:
    at = _open(app, "pages/my_touchpoints.py")
    assert at.title[0].value.startswith("My touchpoints: ")
    headers = [h.value for h in at.subheader]
    assert headers[:2] == ["Alerts", "What to fix first"]
    assert "Pain points" in headers and "Actions" in headers
    assert at.dataframe, "the status table is shown"
    for owner in at.selectbox[0].options[:4]:  # several owners: map owners and touchpoint owners
        at.selectbox[0].set_value(owner).run()
        assert not at.exception and not at.error, owner
