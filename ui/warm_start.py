"""What a fresh server does before it accepts its first visitor (issue #19: the app's first run).

``streamlit run dashboard.py`` serves dashboard.py's ``app`` (``st.App``) and runs ``lifespan``
before the server takes its first request, so the work every server otherwise did in the first
visitor's run is done at start:

- the modules dashboard.py and the default page import (pandas and SQLAlchemy among them; the
  default page is the first page anyone opens). Other pages load theirs on their first visit, as
  before, so a server never holds Altair or scipy for a page nobody opened
  (tests/test_page_imports.py);
- Streamlit's emoji catalogue, which it compiles the first time it checks an icon (ours are
  emoji: ui/navigation.py);
- what ``prepare_context`` caches for the whole server with the configured settings: the opened
  warehouse, its dimension tables and date bounds (ui/context.py). A person's login and access
  scope need a session and stay in the first run; so does building a missing or stale demo, which
  shows its progress on the page;
- the heap freeze the first page run ends with (ui/server_load.py).

Nothing here may keep the server from starting: a step that fails is logged in one line and
skipped, and the first page then shows the problem as it does without a warm start.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import datetime as dt
import importlib
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from streamlit.logger import get_logger

ROOT = Path(__file__).resolve().parent.parent
#: The longest the server waits for its warm start before it takes requests anyway.
WARM_START_TIMEOUT_S = 30.0
_LOG = get_logger(__name__)


def first_run_modules() -> list[str]:
    """The modules dashboard.py's page run and the default page's script (ui.navigation.PAGES[0])
    import, in their order."""
    from ui.navigation import PAGES

    names: list[str] = []
    for script in ("dashboard.py", PAGES[0][0]):
        for node in ast.walk(ast.parse((ROOT / script).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.append(node.module)
    return list(dict.fromkeys(name for name in names if name != "__future__"))


def import_first_run_modules() -> None:
    for name in first_run_modules():
        importlib.import_module(name)


def check_icons() -> None:
    """Validate the app's and every page's icon as st.set_page_config and st.Page do; the first
    check compiles Streamlit's emoji catalogue (about 0.25 s)."""
    from streamlit.string_util import validate_icon_or_emoji

    from ui.navigation import APP_ICON, PAGES

    for icon in (APP_ICON, *(icon for _, _, icon in PAGES)):
        validate_icon_or_emoji(icon)


def open_context(today: dt.date) -> None:
    """Fill the server-wide caches ``prepare_context`` would fill for the configured settings."""
    from connectors.demo_file import demo_is_current, read_demo_info
    from connectors.runtime import load_settings
    from ui import context

    settings = load_settings()
    if settings.is_demo and not demo_is_current(read_demo_info(settings.demo_path), today):
        raise _Skipped("the demo warehouse is missing or stale; the first page builds it")  # i18n: not shown
    context.open_server_context(settings, today)


def freeze_long_lived_objects() -> None:
    """What the first page run does last (dashboard.py): collect once and freeze what is alive now,
    the modules and cached objects above, so later collections skip them."""
    from ui.server_load import freeze_long_lived_objects as freeze

    freeze()


class _Skipped(Exception):
    """A step that has nothing to do at start (not a problem)."""


def warm_up(today: dt.date) -> dict[str, float]:
    """Every step, each in its own try: seconds per step that finished."""
    steps: tuple[tuple[str, Callable[[], Any]], ...] = (
        ("imports", import_first_run_modules),
        ("icons", check_icons),
        ("context", lambda: open_context(today)),
        ("freeze", freeze_long_lived_objects),
    )
    done: dict[str, float] = {}
    for name, step in steps:
        started = time.perf_counter()
        try:
            step()
        except _Skipped as exc:
            _LOG.info("Warm start: %s skipped: %s", name, exc)  # i18n: not shown
            continue
        except Exception as exc:  # never keep the server from starting; the first page says it
            _LOG.warning("Warm start: %s failed, the first page will show it: %s: %s",  # i18n: not shown
                         name, type(exc).__name__, exc)
            continue
        done[name] = time.perf_counter() - started
    return done


@contextlib.asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """st.App's lifespan: warm up (in a worker thread) before the server takes requests, for at
    most WARM_START_TIMEOUT_S; a warm-up still busy then (a warehouse host that does not answer)
    goes on in the background while the server serves."""
    started = time.perf_counter()
    work = asyncio.ensure_future(asyncio.to_thread(warm_up, dt.date.today()))
    try:
        done = await asyncio.wait_for(asyncio.shield(work), WARM_START_TIMEOUT_S)
    except TimeoutError:
        _LOG.warning("Warm start: still busy after %.0f s; serving now, it goes on in the "  # i18n: not shown
                     "background", WARM_START_TIMEOUT_S)
    except Exception as exc:  # warm_up catches its steps' errors itself; this is the last guard
        _LOG.warning("Warm start failed: %s: %s", type(exc).__name__, exc)  # i18n: not shown
    else:
        _LOG.info("Warm start: ready in %.2f s (%s)", time.perf_counter() - started,  # i18n: not shown
                  ", ".join(f"{name} {seconds:.2f} s" for name, seconds in done.items()))
    yield
