"""Smoke test in a real headless Chromium: every page of the running app opens without error text.

The app runs with `streamlit run dashboard.py` on the DuckDB fixture warehouse (non-canonical
names through tests/fixture_mapping.yaml). Only a browser shows whether Vega-Lite charts render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser import page_error_texts, wait_for_streamlit_page
from tests.fixtures import FixtureWarehouse
from tests.servers import in_own_thread
from tests.test_pages_apptest import PAGES, app_env

pytestmark = pytest.mark.browser

PAGES_WITH_CHARTS = ("pages/journey.py",)
#: Pages whose status grid is an HTML table (ui.status_grid): coloured cells, each with its hover text.
PAGES_WITH_STATUS_GRIDS = ("pages/overview.py",)


@pytest.fixture(scope="module")
def base_url(
    streamlit_server: Callable[[Mapping[str, str]], str],
    fixture_warehouse_duckdb: FixtureWarehouse,
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    fx = fixture_warehouse_duckdb
    return streamlit_server(app_env(fx.url, fx.mapping_path, tmp_path_factory.mktemp("browser-app")))


def _url(base_url: str, path: str) -> str:
    return base_url + "/" + Path(path).stem


@pytest.mark.parametrize(("path", "title"), [(p, t) for p, t, _ in PAGES])
def test_page_opens_without_errors(browser_page: Page, base_url: str, path: str, title: str) -> None:
    browser_page.goto(_url(base_url, path))
    wait_for_streamlit_page(browser_page, timeout_s=90)
    assert page_error_texts(browser_page) == []
    assert browser_page.locator("h1").count() >= 1, "the page shows no title"
    nav = browser_page.locator('[data-testid="stSidebar"]')
    assert title in nav.inner_text(), f"{title!r} is not in the navigation"
    if path in PAGES_WITH_CHARTS:
        charts = browser_page.locator(".vega-embed")
        charts.first.wait_for(state="attached", timeout=30_000)
        rendered = browser_page.locator(".vega-embed canvas, .vega-embed svg.marks")
        assert rendered.count() >= 1, "no Vega-Lite chart was drawn"
    if path in PAGES_WITH_STATUS_GRIDS:
        cells = browser_page.locator("td[data-status]")
        assert cells.count() >= 1, "no status grid cell was drawn"
        assert "Status" in (cells.first.get_attribute("title") or ""), "a grid cell has no hover text"


def test_first_page_is_the_root(browser_page: Page, base_url: str) -> None:
    browser_page.goto(base_url + "/")
    wait_for_streamlit_page(browser_page, timeout_s=90)
    assert page_error_texts(browser_page) == []
    first_path, first_title, _ = PAGES[0]
    root_heading = browser_page.locator("h1").first.inner_text()
    browser_page.goto(_url(base_url, first_path))
    wait_for_streamlit_page(browser_page, timeout_s=90)
    assert browser_page.locator("h1").first.inner_text() == root_heading


def test_protocol_sessions_run_pages_as_a_browser_asks_for_them(base_url: str) -> None:
    """benchmarks.sessions speaks Streamlit's websocket protocol: every run it asks for finishes."""
    from benchmarks.sessions import protocol_sessions

    # its own event loop: sync Playwright owns this thread's
    figures = in_own_thread(protocol_sessions, base_url, ["", "journey", "trends"], 2)
    assert figures["errors"] == 0, figures["first_error"]
    assert figures["samples"] == 6
    assert 0 < figures["p50_s"] <= figures["p95_s"] <= figures["max_s"]


def test_every_chart_fits_its_box(browser_page: Page, base_url: str) -> None:
    """A chart drawn taller than the box Streamlit gives it runs under the text below (the trend
    chart asked for a 440 px box and drew 669 px: its axis and legend lay under the next lines)."""
    browser_page.goto(_url(base_url, "pages/trends.py"))
    wait_for_streamlit_page(browser_page, timeout_s=90)
    browser_page.locator(".vega-embed canvas, .vega-embed svg.marks").first.wait_for(timeout=30_000)
    browser_page.wait_for_timeout(1500)
    sizes = browser_page.evaluate("""() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
        .map(box => {
            const drawn = box.querySelector('canvas, svg.marks');
            return drawn ? [box.getBoundingClientRect().height, drawn.getBoundingClientRect().height] : null;
        }).filter(Boolean)""")
    assert sizes, "no chart was drawn on the Trends page"
    assert all(drawn <= box + 2 for box, drawn in sizes), sizes
