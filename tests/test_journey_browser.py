"""The journey page in Chromium: the emotional curve leaves a gap at a stage without a value and
says so, and the map's filters narrow the map (on a warehouse with a stage that has no CSAT)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import duckdb
import pytest
from playwright.sync_api import Page

from connectors.demo import build_demo_file
from tests.browser import page_error_texts, wait_for_streamlit_page
from tests.fixtures import DEMO_END

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory,
             streamlit_server: Callable[[Mapping[str, str]], str]) -> str:
    folder = tmp_path_factory.mktemp("journey")
    path = build_demo_file(folder / "demo.duckdb", end=DEMO_END, touchpoints=20, years=2)
    with duckdb.connect(str(path)) as con:  # the middle stage 'Decision' measures no CSAT at all
        con.execute("DELETE FROM touchpoint_kpis WHERE kpi_id = 'csat' AND touchpoint_id IN "
                    "(SELECT touchpoint_id FROM touchpoints WHERE stage_id = 'buy.decision')")
        # and so does the monthly summary built from the facts, as a refreshed summary would
        con.execute("DELETE FROM touchpoint_kpis_monthly WHERE kpi_id = 'csat' AND touchpoint_id IN "
                    "(SELECT touchpoint_id FROM touchpoints WHERE stage_id = 'buy.decision')")
    return streamlit_server({"MOT_WAREHOUSE_URL": f"duckdb:///{path}", "MOT_DATA_DIR": str(folder)})


def _open(page: Page, url: str) -> str:
    page.goto(url)
    wait_for_streamlit_page(page, timeout_s=90)
    assert page_error_texts(page) == []
    return page.locator("body").inner_text()


def test_emotional_curve_leaves_a_gap_where_a_stage_has_no_value(browser_page: Page, base_url: str) -> None:
    text = _open(browser_page, f"{base_url}/journey?journey=buy&feeling=csat")
    assert "Emotional journey: CSAT by stage" in text
    assert "No CSAT in the period for: Decision" in text
    assert "leaves a gap there instead of drawing across it" in text


def test_map_filters_narrow_the_map(browser_page: Page, base_url: str) -> None:
    text = _open(browser_page, f"{base_url}/journey?journey=buy")
    everything = int(text.split(" touchpoints match the filters")[0].split()[-1].split(" of ")[-1])
    browser_page.get_by_text("Moments of truth only").click()
    wait_for_streamlit_page(browser_page, timeout_s=60)
    caption = browser_page.get_by_text("touchpoints match the filters").inner_text()
    shown, total = caption.split(" touchpoints match")[0].split(" of ")
    assert int(total) == everything and 0 < int(shown) < everything, caption
