"""The data-quality page says what a failing check affects and since which data date, names the
steward, judges touchpoint freshness against the warehouse's own latest date, and serves the
Great Expectations Data Docs over HTTP from the running app.

One planted fault on a clean demo: CSAT above 5 at "Advice in the store" (tp_buy_store_advice,
journey "Buy a phone contract") on 29-31 Oct 2026. The checks run ten days after the data ends,
as a warehouse that loads late would be checked.
"""

from __future__ import annotations

import datetime as dt
import shutil
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page
from streamlit.testing.v1 import AppTest

from checks import history
from checks.data_docs import publish, strip_external
from checks.impact import check_impact
from connectors.state import create_state_engine
from tests.browser import wait_for_streamlit_page
from tests.planted import plant_fault
from ui.quality_sections import SERVED_DOCS

END = dt.date(2026, 11, 22)
CHECKED_ON = END + dt.timedelta(days=10)
FIRST_BAD, LAST_BAD = "2026-10-29", "2026-10-31"
TOUCHPOINT, TP_NAME, JOURNEY = "tp_buy_store_advice", "Advice in the store", "Buy a phone contract"
APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
STEWARDS = "stewards:\n  default: Data team\n  tables:\n    touchpoint_kpis: Jonas Weber\n"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("impact")
    fault = ("UPDATE touchpoint_kpis SET numerator = denominator * 6.5 WHERE touchpoint_id = ? "
             "AND kpi_id = 'csat' AND date BETWEEN ? AND ?", [TOUCHPOINT, FIRST_BAD, LAST_BAD])
    planted = plant_fault(folder, END, [fault], checked_on=CHECKED_ON, docs_dir=folder / "gx")
    contacts = folder / "contacts.yaml"
    contacts.write_text(STEWARDS, encoding="utf-8")
    yield {**planted.env, "MOT_CONTACTS": str(contacts), "run_id": planted.run.run_id}
    shutil.rmtree(SERVED_DOCS / planted.run.run_id, ignore_errors=True)


def _results(env: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    engine = create_state_engine(env["MOT_STATE_URL"])
    try:
        return history.run_results(engine, env["run_id"]), history.run_scopes(engine, env["run_id"])
    finally:
        engine.dispose()


def test_failing_since_is_the_first_bad_rows_date_with_kpis_and_journeys(planted: dict[str, str]) -> None:
    _, scopes = _results(planted)
    touchpoints = pd.DataFrame({"touchpoint_id": [TOUCHPOINT], "journey_id": ["buy"], "name": [TP_NAME]})
    stages = pd.DataFrame({"stage_id": ["buy.decision"], "journey_id": ["buy"]})
    journeys = pd.DataFrame({"journey_id": ["buy"], "name": [JOURNEY]})
    impact = check_impact(scopes, touchpoints, stages, journeys, {"csat": "CSAT"}).set_index("check_id")
    row = impact.loc["touchpoint_kpis.value_range"]
    # the run was ten days after the data; the bad rows are weeks before: the data date wins
    assert pd.Timestamp(row["data_since"]).date() == dt.date.fromisoformat(FIRST_BAD)
    assert pd.Timestamp(row["data_until"]).date() == dt.date.fromisoformat(LAST_BAD)
    assert (row["kpis"], row["journeys"], row["touchpoints"]) == ("CSAT", JOURNEY, TP_NAME)


def test_touchpoints_are_fresh_against_the_warehouse_not_the_check_day(planted: dict[str, str]) -> None:
    results, _ = _results(planted)
    outcome = results.set_index("check_id")["outcome"]
    # every touchpoint delivers up to the warehouse's last day: none is stale ...
    assert outcome["touchpoint_kpis.touchpoint_freshness"] == "passed"
    # ... while the warehouse as a whole is ten days behind the day it was checked
    assert outcome["touchpoint_kpis.freshness"] == "failed"


def test_page_lists_impact_steward_and_names(planted: dict[str, str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in planted.items():
        if key.startswith("MOT_"):
            monkeypatch.setenv(key, value)
    monkeypatch.delenv("MOT_MAPPING", raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, [e.message for e in at.exception]
    failing = at.dataframe[0].value.set_index("name")
    row = failing.loc["KPI values in range for their unit"]
    assert pd.Timestamp(row["data_since"]).date() == dt.date.fromisoformat(FIRST_BAD)
    assert row["kpis"] == "CSAT" and row["journeys"] == JOURNEY
    assert "Overview" in row["pages"] and "Journey" in row["pages"]
    assert row["steward"] == "Jonas Weber"
    assert "break this rule" in row["plain"] and "expect_column" not in row["plain"]
    # the Great Expectations wording stays behind a toggle
    texts = " ".join(t.value for t in at.text)
    assert "expect_column" not in texts
    at.toggle[0].set_value(True).run()
    assert "expect_column" in " ".join(t.value for t in at.text)
    # freshness shows touchpoint names, not ids
    assert any(TP_NAME in df.value.to_string() for df in at.dataframe)
    # checks that never failed are one line, not rows of a grid
    assert any("passed in every one of the latest" in c.value for c in at.caption)


def test_published_docs_load_nothing_from_other_hosts(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><head><script src="https://code.jquery.com/jquery.js"></script>'
        '<link rel="stylesheet" href="https://cdn.example.com/b.css"><link href="./static/s.css">'
        '</head><body><table><td>mot_evidence</td></table>'
        '<img src="https://tracker.example.com/p.png"><a href="https://greatexpectations.io">GX</a></body></html>')
    (site / "static" / "s.css").write_text("td {}")
    run_id = "20261201T101010-abcdef"
    for run in (run_id, "20261130T101010-000000"):
        folder = site / "validations" / "mot" / "fact_profile" / run / "20261201T101011Z"
        folder.mkdir(parents=True)
        (folder / "mot_evidence-fact_profile.html").write_text("<table><td>ok</td></table>")
    published = publish(site, tmp_path / "served", run_id)
    listed = (published / "run.html").read_text()
    assert f'href="validations/mot/fact_profile/{run_id}/' in listed and ">mot.fact_profile<" in listed
    assert not (published / "validations" / "mot" / "fact_profile" / "20261130T101010-000000").exists()
    html = (published / "index.html").read_text()
    assert "jquery" not in html and "cdn.example.com" not in html and "tracker" not in html
    assert "./static/s.css" in html and "mot_evidence" in html and "greatexpectations.io" in html
    assert (published / "static" / "s.css").is_file()
    assert strip_external("<p>x</p>") == "<p>x</p>"
    with pytest.raises(OSError):
        publish(site, tmp_path / "served", "../escape")


def test_running_app_serves_the_data_docs(
    planted: dict[str, str], streamlit_server: Callable[[Mapping[str, str]], str], browser_page: Page
) -> None:
    page = browser_page
    base = streamlit_server({k: v for k, v in planted.items() if k.startswith("MOT_")})
    page.goto(f"{base}/data_quality")
    wait_for_streamlit_page(page, timeout_s=120)
    link = page.get_by_role("link", name="Open the Great Expectations Data Docs of this run")
    href = link.get_attribute("href")
    assert href and planted["run_id"] in href
    address = urllib.parse.urljoin(page.url, href)
    assert address.startswith(f"{base}/app/static/data-docs/")
    with urllib.request.urlopen(address, timeout=30) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "text/html"
        assert "fact_profile" in response.read().decode()  # the run's page lists its suites
    # the browser opens the run's page and, from it, a validation page with its result tables
    page.goto(address)
    page.get_by_role("link", name="mot.fact_profile").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{base}/app/static/data-docs/{planted['run_id']}/validations/")
    assert page.locator("table").count() > 0
    body = page.content()
    assert "cdn.jsdelivr.net" not in body and "code.jquery.com" not in body
