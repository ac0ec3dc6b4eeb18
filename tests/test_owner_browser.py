"""Browser tests: trends and my-touchpoints render; owners' priorities are worst first; an action is
recorded, shown with its KPI before and after its start, and carried into the PDF pack."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from connectors.demo import build_demo_file
from tests.browser import page_error_texts, wait_for_streamlit_page
from tests.fixtures import DEMO_END

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory,
             streamlit_server: Callable[[Mapping[str, str]], str]) -> str:
    folder = tmp_path_factory.mktemp("owner_browser")
    path = build_demo_file(folder / "demo.duckdb", end=DEMO_END, touchpoints=12, years=3)
    return streamlit_server({"MOT_WAREHOUSE_URL": f"duckdb:///{path}", "MOT_DATA_DIR": str(folder)})


@pytest.mark.parametrize(("path", "heading"), [("trends", "Trends against targets"),
                                                ("my_touchpoints", "My touchpoints")])
def test_page_renders_in_the_browser(browser_page: Page, base_url: str, path: str, heading: str,
                                     tmp_path: Path) -> None:
    browser_page.goto(f"{base_url}/{path}")
    wait_for_streamlit_page(browser_page, timeout_s=90)
    assert page_error_texts(browser_page) == []
    assert heading in browser_page.locator("h1").first.inner_text()
    if path == "trends":
        browser_page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
        assert browser_page.locator('[data-testid="stVegaLiteChart"]').count() >= 2
    else:
        assert browser_page.locator('[data-testid="stDataFrame"]').count() >= 1


# --- owners' priorities and actions (issue #16) ------------------------------------------------

FAULT_MAP_OWNER = "Sofia%20Lindqvist"  # owns the "Report a fault" map, with the fault hotline
TIERS = ["Moment of truth off target", "Must-be off target", "Off target or at risk", "On target",
         "Cannot be judged"]


def _grid_rows(page: Page, index: int, width: int) -> list[list[str]]:
    cells = page.locator('[data-testid="stDataFrame"]').nth(index).locator('[role="gridcell"]')
    texts = [c.inner_text() for c in cells.all()]
    return [texts[i:i + width] for i in range(0, len(texts) - width + 1, width)]


def test_my_touchpoints_lists_the_worst_first(browser_page: Page, base_url: str) -> None:
    browser_page.goto(f"{base_url}/my_touchpoints?owner_name={FAULT_MAP_OWNER}")
    wait_for_streamlit_page(browser_page, timeout_s=90)
    assert page_error_texts(browser_page) == []
    body = browser_page.locator("body").inner_text()
    assert "Bands below" not in body and "bands below" not in body
    # Status, #, Priority, Touchpoint (with its marks), KPI, Value, Target, Why it comes here, Trend
    rows = _grid_rows(browser_page, 0, 9)
    assert rows, "the priorities table is empty"
    assert [int(r[1]) for r in rows] == list(range(1, len(rows) + 1))
    tiers = [TIERS.index(r[2]) for r in rows]
    assert tiers == sorted(tiers), "priorities are not worst first"
    # The case: the fault hotline's first-contact resolution (a moment of truth) leads and is
    # alerted as off target several periods in a row although its status did not change.
    assert rows[0][2] == "Moment of truth off target"
    assert rows[0][3] == "★ ◆ Fault hotline" and rows[0][4] == "First-contact resolution"
    assert "periods in a row" in rows[0][7]
    assert "Fault hotline — First-contact resolution off target" in body


def test_an_action_is_recorded_shown_and_carried_into_the_pack(browser_page: Page, base_url: str) -> None:
    page = browser_page
    page.goto(f"{base_url}/my_touchpoints?owner_name={FAULT_MAP_OWNER}")
    wait_for_streamlit_page(page, timeout_s=90)
    page.get_by_text("Record an action").click()
    page.get_by_label("What will be done").fill("Second-level team answers the fault hotline")
    for part, digits in (("month", "08"), ("day", "01")):  # starts 2026-08-01; data end 2026-11-22
        page.get_by_role("spinbutton", name=f"{part}, Starts on").click()
        page.keyboard.type(digits)
    page.get_by_role("button", name="Record action").click()
    wait_for_streamlit_page(page, timeout_s=90)
    assert page_error_texts(page) == []
    assert "recorded on Fault hotline" in page.locator("body").inner_text()
    # Touchpoint, KPI, Action, Who, Due, Status, Started, Before, Since, Target, Effect
    (row,) = [r for r in _grid_rows(page, -1, 11) if r[2] == "Second-level team answers the fault hotline"]
    assert row[:2] == ["Fault hotline", "First-contact resolution"]
    assert row[6] == "Aug 1, 2026"
    for judged in (row[7], row[8]):  # a value with its judged status, never empty or "nan"
        assert "%" in judged and ("Off target" in judged or "At risk" in judged or "On target" in judged)
    assert row[9].endswith("%") and row[10]

    page.goto(f"{base_url}/review")
    wait_for_streamlit_page(page, timeout_s=120)
    page.get_by_role("tab", name="Report a fault").click()
    wait_for_streamlit_page(page, timeout_s=30)
    assert "Actions and whether they work" in page.locator("body").inner_text()
    page.get_by_role("button", name="Build PDF pack").click()
    wait_for_streamlit_page(page, timeout_s=180)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    flat = " ".join(text.split())
    assert "Second-level team answers the fault hotline" in flat
    assert f"Before the start (Aug 1, 2026): {row[7]}" in flat and f"since: {row[8]}" in flat
