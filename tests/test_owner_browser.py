"""Browser smoke test: the trends and my-touchpoints pages render charts and no errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Page

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
