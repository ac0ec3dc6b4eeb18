"""Browser figures: Playwright driving Debian's Chromium against `streamlit run`, loopback only.

A page counts as rendered when the Streamlit script run has finished and no spinner or skeleton
shows (tests.browser's page-state probe), held for SETTLE_S; the time reported is when that
idle state began, so the settling wait is not counted. Polled every POLL_S.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from tests.browser import _PAGE_STATE_JS, CHROMIUM_ARGS, CHROMIUM_PATH  # the one page-state probe
from tests.servers import StreamlitLauncher

SETTLE_S = 0.5
POLL_S = 0.02
TIMEOUT_S = 120.0


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def rendered_after(page: Any, started: float, must_see: str | None = None) -> float:
    """Seconds from ``started`` until the page was idle (and shows ``must_see``), held SETTLE_S."""
    deadline = time.monotonic() + TIMEOUT_S
    idle_since: float | None = None
    while time.monotonic() < deadline:
        try:
            state = await page.evaluate(_PAGE_STATE_JS)
            if state == "idle" and must_see and must_see not in await page.inner_text("body"):
                state = "old content"
        except Exception:  # navigating: the document is being replaced
            state = "navigating"
        now = time.perf_counter()
        if state != "idle":
            idle_since = None
        elif idle_since is None:
            idle_since = now
        elif now - idle_since >= SETTLE_S:
            return idle_since - started
        await asyncio.sleep(POLL_S)
    raise TimeoutError(f"{page.url} not rendered after {TIMEOUT_S:.0f} s")


async def _load(page: Any, url: str) -> float:
    started = time.perf_counter()
    await page.goto(url, timeout=TIMEOUT_S * 1000)
    return await rendered_after(page, started)


async def _choose_period(page: Any, label: str) -> float:
    """Open the Period selectbox, pick ``label``; seconds until the page shows it re-rendered."""
    box = page.get_by_role("combobox", name="Period").first  # Streamlit 1.67: a react-aria ComboBox
    # Playwright sees the input as inert (react-aria), so drive it with the keyboard as a user can.
    await box.evaluate("e => e.focus()")
    await page.keyboard.press("Control+A")
    await page.keyboard.type(label)
    option = page.get_by_role("option", name=label, exact=True)
    await option.wait_for(timeout=5_000)
    started = time.perf_counter()
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    return await rendered_after(page, started, must_see=f"{label}:")


async def _pages_and_filter(base: str, browser: Any, pages: list[str]) -> dict[str, Any]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    out: dict[str, Any] = {"pages": {}}
    for script in pages:
        stem = Path(script).stem
        url = f"{base}/{stem}"
        entry: dict[str, Any] = {}
        try:
            entry["cold_s"] = await _load(page, url)
            entry["warm_s"] = await _load(page, url)
        except Exception as exc:  # a page still being written: report it and go on
            entry["error"] = f"{type(exc).__name__}"
        out["pages"][script] = entry
        print(
            f"    {stem:16s} cold {entry.get('cold_s', float('nan')):6.2f} s  "
            f"warm {entry.get('warm_s', float('nan')):6.2f} s",
            flush=True,
        )
    await context.close()
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()  # a fresh session: no leftovers of the previous page
    await _load(page, f"{base}/overview")
    try:
        cold = await _choose_period(page, "Last 90 days")
        warm = [await _choose_period(page, label) for label in ("Last full quarter", "Last 90 days") * 3]
        out["filter"] = {
            "what": "period: Last full quarter -> Last 90 days",
            "cold_s": cold,
            "warm_s": statistics.median(warm),
            "warm_all_s": warm,
        }
    except Exception as exc:  # widget markup changes between Streamlit versions: report, go on
        out["filter_error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        print(f"    filter change not measured: {out['filter_error']}", flush=True)
    await context.close()
    return out


async def _session(browser: Any, base: str, stems: list[str]) -> list[float]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    try:
        return [await _load(page, f"{base}/{stem}") for stem in stems]
    finally:
        await context.close()


async def _concurrent(base: str, browser: Any, sessions: int) -> dict[str, Any]:
    stems = ["overview", "journey", "overview"]
    results = await asyncio.gather(
        *(_session(browser, base, stems) for _ in range(sessions)), return_exceptions=True
    )
    times = sorted(t for r in results if isinstance(r, list) for t in r)
    errors = sum(1 for r in results if not isinstance(r, list))
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] if times else float("nan")
    return {
        "sessions": sessions,
        "samples": len(times),
        "errors": errors,
        "p50_s": statistics.median(times) if times else float("nan"),
        "p95_s": p95,
        "max_s": times[-1] if times else float("nan"),
    }


async def _run(base: str, pages: list[str], sessions: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True
        )
        try:
            out = await _pages_and_filter(base, browser, pages)
            print(f"    {sessions} concurrent sessions…", flush=True)
            out["concurrent"] = await _concurrent(base, browser, sessions)
        finally:
            await browser.close()
    return out


def browser_figures(warehouse: Path, pages: list[str], sessions: int) -> dict[str, Any]:
    """Start the app on ``warehouse`` (a fresh server: cold caches), time pages, filter, sessions."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = int(conn.execute("SELECT count(*) FROM touchpoint_kpis").fetchone()[0])  # type: ignore[index]
    launcher = StreamlitLauncher()
    print(f"  browser: streamlit run on {warehouse.name}…", flush=True)
    try:
        base = launcher(
            {"MOT_WAREHOUSE_URL": f"duckdb:///{warehouse.resolve()}", "MOT_DATA_DIR": str(warehouse.parent)}
        )
        server = next(iter(launcher._servers.values()))
        out = asyncio.run(_run(base, pages, sessions))
        out["app_peak_mb"] = _vm_hwm_mb(server.process.pid)
        out["rows"] = rows
    finally:
        launcher.close()
    return out
