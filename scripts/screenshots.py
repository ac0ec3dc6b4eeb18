"""Screenshot every page of a running dashboard with headless Chromium at 1440x900, to look at what we build.

    streamlit run dashboard.py --server.port 8510 &
    python scripts/screenshots.py --url http://127.0.0.1:8510 --out screenshots/

Each page gives ``<page>.png``, the first screen a person sees in a 1440x900 window (where no
label may be cut off), and with ``--full`` also ``<page>-full.png``, the whole page. Pages are read
from ui.navigation.PAGES' scripts (url path = script name without .py). Loopback only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH, wait_for_streamlit_page  # noqa: E402


def page_paths() -> list[str]:
    """URL paths of the pages in ui.navigation.PAGES (url path = script name without .py)."""
    from ui.navigation import PAGES

    return [Path(script).stem for script, _title, _icon in PAGES]


VIEWPORT = {"width": 1440, "height": 900}
#: Streamlit scrolls inside its main block, so a "full page" screenshot of the window shows only the
#: first screen; the window is made as tall as that block instead.
_MAIN_HEIGHT_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  return Math.max(main.scrollHeight, document.body.scrollHeight);
}
"""


def _whole_page(page: Page, target: Path) -> None:
    height = min(int(page.evaluate(_MAIN_HEIGHT_JS)) + 40, 20_000)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    page.wait_for_timeout(1500)  # charts re-measure their width after a resize
    page.screenshot(path=str(target), full_page=True)
    page.set_viewport_size(VIEWPORT)
    print(f"{'':20s}         {target}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8510")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--pages", nargs="*", help="only these url paths (default: all)")
    parser.add_argument("--query", default="", help="query string to append, e.g. period=last_90_days")
    parser.add_argument("--full", action="store_true", help="also capture each whole page as <page>-full.png")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM_PATH), args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport=VIEWPORT)
        for i, path in enumerate(args.pages or page_paths()):
            url = f"{args.url}/{'' if i == 0 and not args.pages else path}"
            url += f"?{args.query}" if args.query else ""
            started = time.perf_counter()
            page.goto(url)
            wait_for_streamlit_page(page, timeout_s=120)
            elapsed = time.perf_counter() - started
            target = args.out / f"{path}.png"
            page.screenshot(path=str(target), full_page=True)
            print(f"{path:20s} {elapsed:5.1f} s  {target}")
            if args.full:
                _whole_page(page, args.out / f"{path}-full.png")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
