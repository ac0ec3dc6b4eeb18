"""Presentation mode in Chromium: no sidebar, no header, no control but the steps; the summary,
then one journey per screen, stepped with the arrow keys and the buttons, left with Esc."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Page

from connectors.demo import build_demo_file
from tests.browser import page_error_texts, wait_for_streamlit_page
from tests.fixtures import DEMO_END

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Everything a person could change or open, other than the steps.
CONTROLS = ("input:visible, textarea:visible, select:visible, [role='combobox']:visible,"
            " [role='tab']:visible, [role='switch']:visible, [data-testid='stDownloadButton']:visible,"
            " summary:visible,"
            " [data-testid='stElementToolbar']:visible")
STEPS = {"← Back", "Next →", "Leave"}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory,
             streamlit_server: Callable[[Mapping[str, str]], str]) -> str:
    folder = tmp_path_factory.mktemp("presentation")
    path = build_demo_file(folder / "demo.duckdb", end=DEMO_END, touchpoints=12, years=3)
    return streamlit_server({"MOT_WAREHOUSE_URL": f"duckdb:///{path}", "MOT_DATA_DIR": str(folder)})


def _settled(page: Page) -> str:
    wait_for_streamlit_page(page, timeout_s=90)
    assert page_error_texts(page) == []
    return page.locator("body").inner_text()


def _no_chrome_and_no_controls(page: Page) -> None:
    for testid in ("stSidebar", "stSidebarCollapsedControl", "stExpandSidebarButton", "stHeader",
                   "stToolbar", "stMainMenu"):
        assert not page.locator(f"[data-testid='{testid}']").first.is_visible(), testid
    assert page.locator(CONTROLS).count() == 0
    buttons = {b.strip() for b in page.locator("button:visible").all_inner_texts()}
    assert {b.split("\n")[0].strip() for b in buttons} <= STEPS, buttons


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("MOT_SCREENSHOTS")  # set it to look at the screens
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def test_presentation_hides_everything_but_the_steps_and_steps_by_keys_and_buttons(
        browser_page: Page, base_url: str) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{base_url}/review")
    _settled(page)
    page.get_by_role("button", name="Presentation").click()
    text = _settled(page)
    assert "Journeys ranked by review score" in text and "Screen 1 of" in text
    assert "Decisions and actions needed" in text
    _no_chrome_and_no_controls(page)
    _shot(page, "present-1-summary")

    page.keyboard.press("ArrowRight")
    text = _settled(page)
    assert "Screen 2 of" in text and "Journeys ranked by review score" not in text
    assert page.locator(".vega-embed").count() == 1  # the journey's bullet chart
    _no_chrome_and_no_controls(page)
    _shot(page, "present-2-journey")
    first_journey = page.locator("h1").first.inner_text()

    page.get_by_role("button", name="Next →").click()
    text = _settled(page)
    assert "Screen 3 of" in text and page.locator("h1").first.inner_text() != first_journey

    page.keyboard.press("ArrowLeft")
    assert "Screen 2 of" in _settled(page)
    assert page.locator("h1").first.inner_text() == first_journey

    page.keyboard.press("Escape")
    _settled(page)
    assert "present" not in page.url
    assert page.locator("[data-testid='stSidebar']").first.is_visible()
    assert page.get_by_role("button", name="Presentation").is_visible()
