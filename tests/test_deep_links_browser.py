"""A copied link shows what the sender saw: Trends KPIs, the Budget tab and controls, presentation mode,
and a journey card on the Overview opens the Journey page for its journey.

Streamlit's ``bind="query-params"`` keeps these widgets in the URL; this checks, in Chromium, that
opening such a link cold restores the view (and that links without the parameters still work).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from playwright.sync_api import Page

from connectors.demo import build_demo_file
from tests.browser import page_error_texts, wait_for_streamlit_page
from tests.fixtures import DEMO_END

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory,
             streamlit_server: Callable[[Mapping[str, str]], str]) -> str:
    folder = tmp_path_factory.mktemp("deep_links")
    path = build_demo_file(folder / "demo.duckdb", end=DEMO_END, touchpoints=12, years=3)
    return streamlit_server({"MOT_WAREHOUSE_URL": f"duckdb:///{path}", "MOT_DATA_DIR": str(folder)})


def _open(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_streamlit_page(page, timeout_s=90)
    assert page_error_texts(page) == []


def test_trends_kpis_from_repeated_parameters(browser_page: Page, base_url: str) -> None:
    _open(browser_page, f"{base_url}/trends?kpi=nps&kpi=ces")
    browser_page.locator("h3").first.wait_for(timeout=60_000)  # a loaded machine may settle late
    headings = browser_page.locator("h3").all_inner_texts()
    assert any(h.startswith("NPS") for h in headings) and any(h.startswith("CES") for h in headings), headings
    assert not any(h.startswith("CSAT") for h in headings), headings


def test_budget_tab_and_control_from_the_url(browser_page: Page, base_url: str) -> None:
    _open(browser_page, f"{base_url}/budget?tab=What-if&reallocate=Channel")
    selected = browser_page.locator('[role="tab"][aria-selected="true"]').inner_text()
    assert "What-if" in selected
    assert browser_page.get_by_role("radio", name="Channel").is_checked()


def test_presentation_mode_from_the_url(browser_page: Page, base_url: str) -> None:
    _open(browser_page, f"{base_url}/review?present=true&slide=2")
    assert "Screen 2 of" in browser_page.locator("body").inner_text()
    _open(browser_page, f"{base_url}/review")  # the old link still opens the normal review
    assert "Quarterly review" in browser_page.locator("h1").first.inner_text()


def _open_card(page: Page, index: int) -> str:
    """Click the ``index``-th journey card's link on the Overview; return the journey's name."""
    links = page.locator('[data-testid="stPageLink"] a[href*="journey?"]')
    assert links.count() >= 2, "the Overview shows fewer than two journey cards"
    link = links.nth(index)
    name = link.inner_text().split("Open journey:", 1)[1].strip()
    assert "period=last_90_days" in (link.get_attribute("href") or "")
    link.click()
    page.wait_for_url("**/journey?**", timeout=30_000)
    wait_for_streamlit_page(page, timeout_s=90)
    assert page_error_texts(page) == []
    return name


def test_a_journey_card_opens_the_journey_page_for_that_journey(browser_page: Page, base_url: str) -> None:
    _open(browser_page, f"{base_url}/overview?period=last_90_days")
    first = _open_card(browser_page, 0)
    assert browser_page.locator("h1").first.inner_text() == f"Journey: {first}"
    # the link carries the period, and the Journey page keeps it after the in-app page switch
    assert "Last 90 days" in browser_page.locator("body").inner_text()
    assert "period=last_90_days" in browser_page.url
    # back on the Overview, another card opens its own journey, not the one chosen before
    browser_page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Overview").click()
    wait_for_streamlit_page(browser_page, timeout_s=90)
    second = _open_card(browser_page, 1)
    assert second != first
    assert browser_page.locator("h1").first.inner_text() == f"Journey: {second}"
