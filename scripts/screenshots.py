"""Screenshot every page of a running dashboard with headless Chromium, to look at what we build.

    streamlit run dashboard.py --server.port 8510 &
    python scripts/screenshots.py --url http://127.0.0.1:8510 --out screenshots/

Pages are read from ui.navigation.PAGES' scripts (url path = script name without .py). Loopback only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH, wait_for_streamlit_page  # noqa: E402


def page_paths() -> list[str]:
    """URL paths of the pages in ui.navigation.PAGES (url path = script name without .py)."""
    from ui.navigation import PAGES

    return [Path(script).stem for script, _title, _icon in PAGES]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8510")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--pages", nargs="*", help="only these url paths (default: all)")
    parser.add_argument("--query", default="", help="query string to append, e.g. period=last_90_days")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM_PATH), args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": 1440, "height": 900})
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
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
