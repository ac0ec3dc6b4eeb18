"""Browser figures: Playwright driving Debian's Chromium against `streamlit run`, loopback only.

A page counts as rendered when the Streamlit script run has finished and no spinner or skeleton
shows (tests.browser's page-state probe), held for SETTLE_S; the time reported is when that
idle state began, so the settling wait is not counted. Polled every POLL_S.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from benchmarks.proc import cpu_seconds
from benchmarks.sessions import protocol_sessions, server_page_times, summarise
from tests.browser import _PAGE_STATE_JS, CHROMIUM_ARGS, CHROMIUM_PATH  # the one page-state probe
from tests.servers import StreamlitLauncher

SETTLE_S = 0.5
POLL_S = 0.02
TIMEOUT_S = 120.0


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def chromium_cpu_s() -> float:
    """CPU seconds (user and system) spent so far by every running Chromium process on the machine.

    The difference across one page load, with nothing else drawing, is what the browser spent on
    it: download, parse, script, layout and paint in every Chromium process, not only the tab's.
    """
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().startswith("chrom"):
                total += cpu_seconds(int(entry.name))
        except OSError:  # the process ended meanwhile
            continue
    return total


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


async def _cold_and_warm(page: Any, url: str) -> dict[str, float]:
    """A first load in a new browser session (its cache empty) and a reload: seconds, and Chromium's
    CPU seconds for each (from navigation until the page settled)."""
    out: dict[str, float] = {}
    for name in ("cold", "warm"):
        cpu = chromium_cpu_s()
        out[f"{name}_s"] = await _load(page, url)
        out[f"{name}_cpu_s"] = chromium_cpu_s() - cpu
    return out


async def _choose_period(page: Any, label: str) -> float:
    """Open the Period selectbox, pick ``label``; seconds until the page shows it re-rendered.

    Streamlit 1.67's selectbox is a react-aria ComboBox whose text input Playwright sees as inert;
    its "Open" button takes a real click, as a user's mouse does, and so do the options.
    """
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Period").first
    await box.get_by_role("button", name="Open").click()
    option = page.get_by_role("option", name=label, exact=True)
    await option.wait_for(timeout=10_000)
    started = time.perf_counter()
    await option.click()
    return await rendered_after(page, started, must_see=f"{label}:")


def url_path(script: str, pages: list[str]) -> str:
    """The page's URL path: the stem, except the default (first) page, which lives at "/"."""
    return "" if pages and script == pages[0] else Path(script).stem


async def _pages_and_filter(base: str, browser: Any, pages: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"pages": {}}
    for script in pages:
        stem = Path(script).stem
        url = f"{base}/{url_path(script, pages)}"
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await context.new_page()  # each page's first load in a new session, as a viewer's
        entry: dict[str, Any] = {}
        try:
            entry.update(await _cold_and_warm(page, url))
        except Exception as exc:  # a page still being written: report it and go on
            entry["error"] = f"{type(exc).__name__}"
        out["pages"][script] = entry
        nan = float("nan")
        print(
            f"    {stem:16s} cold {entry.get('cold_s', nan):6.2f} s  warm {entry.get('warm_s', nan):6.2f} s  "
            f"Chromium CPU {entry.get('cold_cpu_s', nan):5.2f} / {entry.get('warm_cpu_s', nan):5.2f} s",
            flush=True,
        )
        await context.close()
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()  # a fresh session: no leftovers of the previous page
    await _load(page, f"{base}/")  # the default page, Overview
    try:
        # Both labels are shown verbatim in the period caption ("Last 30 days: 26 Oct – …").
        labels = ("Last 90 days", "Last 30 days")
        cold = [await _choose_period(page, label) for label in labels]  # first sight: cache misses
        warm = [await _choose_period(page, label) for label in labels * 3]
        out["filter"] = {
            "what": "overview period: Last 30 days <-> Last 90 days, after both were seen once",
            "cold_s": max(cold),
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


async def _concurrent(base: str, browser: Any, sessions: int, stems: list[str]) -> dict[str, Any]:
    results = await asyncio.gather(
        *(_session(browser, base, stems) for _ in range(sessions)), return_exceptions=True
    )
    times = sorted(t for r in results if isinstance(r, list) for t in r)
    errors = [f"{type(r).__name__}: {r}" for r in results if not isinstance(r, list)]
    return summarise(times, sessions, errors)


#: What each concurrent session opens: Overview (the default page, at "/"), Journey, Overview.
SESSION_PAGES = ["", "journey", ""]


@contextlib.asynccontextmanager
async def _chromium() -> AsyncIterator[Any]:
    """Debian's Chromium, headless, driven by Playwright; closed on the way out."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            await browser.close()


async def _run(base: str, pages: list[str], sessions: int) -> dict[str, Any]:
    async with _chromium() as browser:
        out = await _pages_and_filter(base, browser, pages)
        print(f"    {sessions} concurrent browser sessions…", flush=True)
        out["concurrent"] = await _concurrent(base, browser, sessions, SESSION_PAGES)
    return out


async def _blank_run(base: str, sessions: int) -> dict[str, Any]:
    """The blank page: one session's first load and reload (with Chromium's CPU), then the
    concurrent sessions."""
    async with _chromium() as browser:
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            loads = await _cold_and_warm(await context.new_page(), f"{base}/")
        finally:
            await context.close()
        return {"loads": loads, "concurrent": await _concurrent(base, browser, sessions,
                                                                 [""] * len(SESSION_PAGES))}


def browser_figures(warehouse: Path, pages: list[str], sessions: int) -> dict[str, Any]:
    """Start the app on ``warehouse`` (a fresh server: cold caches), time pages, filter, sessions.

    Then the same number of sessions twice more: protocol clients on the same server (the
    server's share, benchmarks.sessions) and browsers on a blank Streamlit page (the rig's share).
    """
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = int(conn.execute("SELECT count(*) FROM touchpoint_kpis").fetchone()[0])  # type: ignore[index]
    launcher = StreamlitLauncher()
    blank = StreamlitLauncher(script="benchmarks/blank_app.py")
    print(f"  browser: streamlit run on {warehouse.name}…", flush=True)
    try:
        base = launcher(
            {"MOT_WAREHOUSE_URL": f"duckdb:///{warehouse.resolve()}", "MOT_DATA_DIR": str(warehouse.parent)}
        )
        server = next(iter(launcher._servers.values()))
        out = asyncio.run(_run(base, pages, sessions))
        print("    server time per page (one protocol session, warm)…", flush=True)
        server_runs = server_page_times(base, [url_path(p, pages) for p in pages])
        for script in pages:
            out["pages"][script]["server_warm_s"] = server_runs[url_path(script, pages)]
        print(f"    {sessions} concurrent protocol sessions (no browser)…", flush=True)
        out["protocol"] = protocol_sessions(base, SESSION_PAGES, sessions)
        out["app_peak_mb"] = vm_hwm_mb(server.process.pid)
        out["rows"] = rows
        launcher.close()  # free the cores before measuring the rig alone
        print(f"    {sessions} concurrent browser sessions on a blank page…", flush=True)
        blank_base = blank()
        blank_run = asyncio.run(_blank_run(blank_base, sessions))
        out["blank_loads"], out["concurrent_blank"] = blank_run["loads"], blank_run["concurrent"]
        print("    server time of the blank page (Streamlit's floor, warm)…", flush=True)
        out["blank_server_warm_s"] = server_page_times(blank_base, [""])[""]
    finally:
        launcher.close()
        blank.close()
    return out
