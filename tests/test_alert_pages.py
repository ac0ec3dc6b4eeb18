"""The alert history in the app (AppTest on the DuckDB fixture warehouse): My touchpoints lists what
was sent to the owner and saves a mute; Data quality lists which alerts went to whom."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from connectors.alert_store import active_mutes, record_deliveries
from connectors.runtime import state_engine
from metrics.alerts.links import kpi_alert_link, owner_link
from tests.fixtures import FixtureWarehouse, fixture_frames
from tests.test_pages_apptest import app_env, assert_rendered, run_page


@pytest.fixture
def env(fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path) -> dict[str, str]:
    fx = fixture_warehouse_duckdb
    return app_env(fx.url, fx.mapping_path, tmp_path)


def _delivery(person: str, status: str = "sent") -> dict[str, object]:
    return {"alert_key": "target_crossing:tp_x:csat:2026-11-16T00:00:00", "person": person,
            "channel": "email",
            "address": "owner@example.com", "status": status, "attempted_at": "2026-11-23T07:00:00+00:00",
            "error": None if status == "sent" else "SMTP server down", "kind": "target_crossing",
            "touchpoint_id": "tp_x", "kpi_id": "csat", "summary": "Web shop · CSAT: went off target <b>",
            "link": "https://mot.example.com/trends?kpi=csat"}


def test_my_touchpoints_lists_sent_alerts_and_saves_a_mute(env: dict[str, str]) -> None:
    at = run_page(env, "pages/my_touchpoints.py")
    assert_rendered(at)
    owner = str(at.selectbox(key="url_owner_name").value)
    engine = state_engine(env["MOT_STATE_URL"])
    record_deliveries(engine, [_delivery(owner)])
    at = run_page(env, "pages/my_touchpoints.py", {"owner_name": owner})
    assert_rendered(at)
    tables = [t.value for t in at.dataframe]
    history = next(t for t in tables if "summary" in t.columns)
    assert list(history["summary"]) == ["Web shop · CSAT: went off target <b>"]  # literal text
    mute = next(s for s in at.selectbox if s.label == "Mute")
    assert mute.options[0].startswith("Every alert of")
    next(b for b in at.button if b.label == "Mute").click().run(timeout=90)
    assert_rendered(at)
    saved = active_mutes(engine, dt.date.today(), [owner])
    assert len(saved) == 1 and saved["touchpoint_id"].iloc[0]
    assert saved["until"].iloc[0] > dt.date.today().isoformat()
    assert any("Muted for" in s.value for s in at.success)


def test_data_quality_lists_who_got_which_alert(env: dict[str, str]) -> None:
    record_deliveries(state_engine(env["MOT_STATE_URL"]), [_delivery("Data team", "failed")])
    at = run_page(env, "pages/data_quality.py")
    assert_rendered(at)
    table = next(t.value for t in at.dataframe if "recipient" in t.columns)
    assert list(table["recipient"]) == ["Data team"] and "SMTP server down" in list(table["error"])
    assert any(s.value == "Alerts sent: to whom, and whether they arrived" for s in at.subheader)


def test_an_alert_link_opens_the_view_that_explains_it(env: dict[str, str]) -> None:
    """The parameters of metrics.alerts.links are the ones the pages read: Trends opens on the
    touchpoint's KPI at the alert's grain; My touchpoints on the owner's weekly view."""
    touchpoints = fixture_frames()["touchpoints"]
    touchpoint_id, owner = (str(v) for v in touchpoints[["touchpoint_id", "owner"]].iloc[-1])
    link = urlsplit(kpi_alert_link("https://mot.example.com", touchpoint_id, "csat", "week"))
    assert link.path == "/trends"
    at = run_page(env, "pages/trends.py", {k: v[0] for k, v in parse_qs(link.query).items()})
    assert_rendered(at)
    assert at.selectbox(key="url_scope").value == "touchpoint"
    assert at.selectbox(key="url_grain").value == "week"
    assert at.selectbox(key="url_touchpoint_id").value == touchpoint_id
    assert list(at.multiselect(key="url_kpi").value) == ["csat"]

    link = urlsplit(owner_link("https://mot.example.com", owner, "week"))
    at = run_page(env, "pages/my_touchpoints.py", {k: v[0] for k, v in parse_qs(link.query).items()})
    assert_rendered(at)
    assert at.selectbox(key="url_owner_name").value == owner
    assert at.selectbox(key="url_owner_grain").value == "week"
