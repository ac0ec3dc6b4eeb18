"""Driving the system Chromium with Playwright, and reading a Streamlit page like a user would.

Playwright's own browser download does not work here (no network), so we always launch the
Debian chromium at CHROMIUM_PATH.
"""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The app root carries the script and connection state as attributes; while either says "busy", or
# a spinner / running icon / loading skeleton is on screen, the page is not finished.
_PAGE_STATE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return 'no stApp';
  const conn = app.getAttribute('data-test-connection-state');
  if (conn !== 'CONNECTED') return 'connection ' + conn;
  const script = app.getAttribute('data-test-script-state');
  if (script !== 'notRunning' && script !== 'compilationError') return 'script ' + script;
  const busy = document.querySelector([
    '[data-testid="stSpinner"]',
    '[data-testid="stStatusWidgetRunningIcon"]',
    '[data-testid="stStatusWidgetRunningManIcon"]',
    '[data-testid="stAppSkeleton"]',
    '[data-testid="stSkeleton"]',
  ].join(','));
  return busy ? 'busy ' + busy.getAttribute('data-testid') : 'idle';
}
"""


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True)


def wait_for_streamlit_page(page: Page, timeout_s: float = 60.0, settle_s: float = 0.5) -> None:
    """Wait until the Streamlit script run has finished and the page stopped changing.

    "Finished" must hold for `settle_s` without interruption: right after a click the old run's
    "idle" is still showing for a moment before the rerun starts.
    """
    deadline = time.monotonic() + timeout_s
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_s * 1000)
    idle_since: float | None = None
    state = "unknown"
    while time.monotonic() < deadline:
        state = page.evaluate(_PAGE_STATE_JS)
        now = time.monotonic()
        if state != "idle":
            idle_since = None
        elif idle_since is None:
            idle_since = now
        elif now - idle_since >= settle_s:
            return
        page.wait_for_timeout(100)
    raise TimeoutError(
        f"Streamlit page {page.url} not finished after {timeout_s:.0f} s (last state: {state})"
    )


def page_error_texts(page: Page) -> list[str]:
    """Texts of everything on the page that shows a failure: exceptions, error alerts, tracebacks."""
    texts: list[str] = []
    for selector in (
        '[data-testid="stException"]',
        '[data-testid="stAlert"]:has([data-testid="stAlertContentError"])',
    ):
        for element in page.locator(selector).all():
            text = element.inner_text().strip()
            if text and not any(text in seen or seen in text for seen in texts):
                texts.append(text)
    body = page.locator("body").inner_text()
    if "Traceback" in body and not any("Traceback" in text for text in texts):
        start = body.index("Traceback")
        texts.append(body[start : start + 2000])
    return texts
