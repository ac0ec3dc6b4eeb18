"""The browser fixtures drive the system Chromium against a loopback HTTP server."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.servers import static_http_server

pytestmark = pytest.mark.browser


def test_chromium_renders_a_static_page(browser_page: Page, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<!doctype html><title>probe</title>"
        "<h1 id='greeting'>Moments of Truth</h1>"
        "<script>document.getElementById('greeting').dataset.js = 'ran';</script>",
        encoding="utf-8",
    )
    with static_http_server(tmp_path) as base_url:
        browser_page.goto(f"{base_url}/index.html")
        heading = browser_page.locator("#greeting")
        assert heading.inner_text() == "Moments of Truth"
        assert heading.get_attribute("data-js") == "ran"
        assert browser_page.title() == "probe"
