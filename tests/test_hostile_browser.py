"""Every page on the hostile-names warehouse (tests/hostile.py), in Chromium: data shows as its
characters, and no name makes the browser fetch or link anywhere but the app itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Page

from checks.history import save_run
from checks.runner import run_checks
from connectors.runtime import open_for_checks
from connectors.state import create_state_engine
from tests.browser import page_error_texts, wait_for_streamlit_page
from tests.fixtures import DEMO_END
from tests.hostile import (
    AUTHOR,
    CLOSED_BY,
    CLOSED_QUARTER,
    COMMENT,
    HOSTILE_KPI,
    HOSTILE_KPI_NAME,
    IMAGE,
    JOURNEYS,
    MAIL,
    build_hostile_warehouse,
    close_hostile_quarter,
    hostile_frames,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Where every link on the page leads, resolved as the browser resolves it.
_LINKS_JS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"
#: What every element loads or could load (images, frames, scripts, stylesheets, icons), resolved.
_RESOURCES_JS = """
() => [...document.querySelectorAll('[src], [srcset], link[href]')].flatMap(e => [
    e.getAttribute('src') === null ? null : e.src,
    ...(e.getAttribute('srcset') || '').split(',').map(s => s.trim().split(/\\s+/)[0]),
    e.tagName === 'LINK' ? e.href : null,
]).filter(a => a)
"""

#: Whether a table's cell text (its accessible copy of the canvas) holds exactly this text.
_TABLE_HAS_JS = """
text => [...document.querySelectorAll('[data-testid="stDataFrame"]')].some(t => t.textContent.includes(text))
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory,
             streamlit_server: Callable[[Mapping[str, str]], str]) -> str:
    folder = tmp_path_factory.mktemp("hostile")
    url = build_hostile_warehouse(folder / "hostile.duckdb")
    state_url = f"sqlite:///{folder / 'state.sqlite'}"
    close_hostile_quarter(url, state_url)
    state = create_state_engine(state_url)
    try:  # a stored check run, so the Data quality page shows its tables and chart
        save_run(state, run_checks(open_for_checks(url), DEMO_END + dt.timedelta(days=1), trigger="test"))
    finally:
        state.dispose()
    return streamlit_server({"MOT_WAREHOUSE_URL": url, "MOT_STATE_URL": state_url,
                             "MOT_DATA_DIR": str(folder)})


def _first_touchpoint(journey_id: str) -> str:
    touchpoints = hostile_frames()["touchpoints"]
    return str(touchpoints.loc[touchpoints["journey_id"] == journey_id, "name"].iloc[0])


#: test id: (page path, query parameters, texts that must show literally, texts a table must hold).
PAGES: dict[str, tuple[str, dict[str, object], list[str], list[str]]] = {
    "overview": (  # a journey card's title and owner line (one Markdown element, ui.card_markup)
        "home", {}, [JOURNEYS["buy"][0], f"Map owner: {MAIL} · Persona: {JOURNEYS['buy'][1]}"],
        [JOURNEYS["buy"][0], JOURNEYS["move"][0]],
    ),
    "journey": (
        "journey", {"journey": "buy"},
        [f"Journey: {JOURNEYS['buy'][0]}", f"Persona: {JOURNEYS['buy'][1]} · Map owner: {MAIL} ·"],
        [_first_touchpoint("buy")],
    ),
    "trends": (
        "trends", {"kpi": HOSTILE_KPI, "scope": "journey", "journey_id": "buy"},
        [HOSTILE_KPI_NAME, f"scope: journey · {JOURNEYS['buy'][0]}."], [],
    ),
    "my_touchpoints": (
        "my_touchpoints", {"owner_name": MAIL}, [f"My touchpoints: {MAIL}"], [_first_touchpoint("buy")],
    ),
    "budget": ("budget", {"tab": "Plan against actual"}, [], [JOURNEYS["fault"][0]]),
    "review": (
        "review", {"quarter": CLOSED_QUARTER},
        [f"frozen by {CLOSED_BY} at", f"Closed by {CLOSED_BY} at", f"Journey: {COMMENT} ({AUTHOR},",
         JOURNEYS["buy"][0], JOURNEYS["switch"][0]],  # the last two: tab labels
        [JOURNEYS["fault"][0]],
    ),
    "review-presentation": (
        "review", {"quarter": CLOSED_QUARTER, "present": "true", "slide": "2"},  # 1 is the summary
        [f"{JOURNEYS['buy'][0]} — {CLOSED_QUARTER}", f"Journey: {COMMENT} ({AUTHOR},"], [],
    ),
    "review-presentation-summary": (
        "review", {"quarter": CLOSED_QUARTER, "present": "true", "slide": "1"},
        ["Journeys ranked by review score", JOURNEYS["buy"][0], JOURNEYS["switch"][0]], [],
    ),
    "data_quality": ("data_quality", {}, ["All checks pass"], []),
}


def _foreign(addresses: list[str], app: str, inline: tuple[str, ...] = ()) -> list[str]:
    """Addresses that leave the app: another host, or a scheme that is not the app's (javascript:,
    mailto:, file: ...) unless listed in ``inline`` (data: and blob: load nothing from anywhere)."""
    own = urlsplit(app)
    return [a for a in addresses if urlsplit(a).scheme not in inline
            and (urlsplit(a).scheme, urlsplit(a).netloc) != (own.scheme, own.netloc)]


@pytest.mark.parametrize(("path", "params", "shown", "in_tables"), PAGES.values(), ids=PAGES.keys())
def test_hostile_names_show_literally_and_fetch_nothing(
    browser_page: Page, base_url: str, path: str, params: dict[str, object], shown: list[str],
    in_tables: list[str],
) -> None:
    requested: list[str] = []
    browser_page.on("request", lambda request: requested.append(request.url))
    browser_page.goto(f"{base_url}/{path}?{urlencode(params)}")
    wait_for_streamlit_page(browser_page, timeout_s=90)
    if path == "journey":
        tooltips = _hover_first_chart(browser_page)
        assert any(IMAGE in text for text in tooltips), tooltips  # a card's tooltip names its touchpoint
    assert page_error_texts(browser_page) == []
    assert _foreign(requested, base_url, inline=("data", "blob")) == []
    assert _foreign(browser_page.evaluate(_LINKS_JS), base_url) == []
    assert _foreign(browser_page.evaluate(_RESOURCES_JS), base_url, inline=("data", "blob")) == []
    text = browser_page.locator("body").inner_text()
    for expected in shown:
        assert expected in text, expected
    for expected in in_tables:  # a table draws its cells on a canvas and fills the text in after
        browser_page.wait_for_function(_TABLE_HAS_JS, arg=expected, timeout=15_000)


def _hover_first_chart(page: Page) -> list[str]:
    """Move over the first chart in a grid of points; the texts of the tooltips that showed.

    Vega's tooltip is HTML: a name must arrive there as text, never as an element."""
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    texts = []
    for fx in (0.15, 0.3, 0.45, 0.6, 0.75, 0.9):
        for fy in (0.2, 0.35, 0.5, 0.65, 0.8):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            page.wait_for_timeout(120)
            tooltip = page.locator("#vg-tooltip-element")
            if tooltip.count() and tooltip.is_visible():
                assert tooltip.locator("img, a, script, b").count() == 0, tooltip.inner_html()
                texts.append(tooltip.inner_text())
    return texts
