"""Concurrent sessions without browsers: Streamlit's own websocket protocol, loopback only.

Ten Chromium tabs on this 2-core machine spend most of the CPU on themselves (their renderers
parse Streamlit's bundle and draw Vega charts), so a browser p95 measures the test rig as much as
the app. In real use every viewer's browser runs on the viewer's machine. This client speaks the
protocol the browser speaks (``streamlit.proto`` messages over ``/_stcore/stream``): it asks for a
page run, as the browser does on navigation, and times the request until the server's
``script_finished`` message, when every element of the page has been sent. The server does all of
its work (script run, data, charts serialised); only the drawing is left out.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.typing import Origin, Subprotocol

TIMEOUT_S = 120.0


async def run_page(ws: Any, page_name: str, query_string: str = "", timeout_s: float | None = None,
                   through_rerun: bool = False) -> float:
    """Ask the server to run a page in this session; seconds until the run finished successfully
    (waiting at most ``timeout_s``, default TIMEOUT_S, for each message). ``through_rerun``: a run
    that ends early for a rerun is followed to the rerun's end (a server's first deep link reruns:
    ui/context.py leaves Streamlit's pages/-folder mode, as the browser sees it)."""
    request = BackMsg()
    request.rerun_script.page_name = page_name
    request.rerun_script.query_string = query_string
    started = time.perf_counter()
    await ws.send(request.SerializeToString())
    while True:
        message = ForwardMsg()
        message.ParseFromString(await asyncio.wait_for(ws.recv(), timeout_s or TIMEOUT_S))
        if message.WhichOneof("type") != "script_finished":
            continue
        if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            return time.perf_counter() - started
        if not (through_rerun and message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN):
            raise RuntimeError(f"page {page_name or '/'!r} ended with status {message.script_finished}")


def _connect(base: str) -> Any:
    """A new session on the server at ``base``, as the browser opens one (async context manager)."""
    uri = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    protocols = [Subprotocol("streamlit")]
    return websockets.connect(uri, subprotocols=protocols, origin=Origin(base), max_size=None)


async def _session(base: str, pages: list[str]) -> list[float]:
    async with _connect(base) as ws:
        return [await run_page(ws, page) for page in pages]


async def _concurrent(base: str, pages: list[str], sessions: int) -> dict[str, Any]:
    await _session(base, pages)  # warm the caches first: the browser figures time cold starts
    results = await asyncio.gather(*(_session(base, pages) for _ in range(sessions)), return_exceptions=True)
    times = sorted(t for r in results if isinstance(r, list) for t in r)
    errors = [f"{type(r).__name__}: {r}" for r in results if not isinstance(r, list)]
    return summarise(times, sessions, errors)


def summarise(times: list[float], sessions: int, errors: list[str]) -> dict[str, Any]:
    """p50/p95/max of sorted page times (nearest-rank p95)."""
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] if times else float("nan")
    return {
        "sessions": sessions,
        "samples": len(times),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "p50_s": statistics.median(times) if times else float("nan"),
        "p95_s": p95,
        "max_s": times[-1] if times else float("nan"),
    }


async def _page_times(base: str, pages: list[str], repeats: int) -> dict[str, float]:
    out: dict[str, float] = {}
    async with _connect(base) as ws:
        for page in pages:
            await run_page(ws, page)  # the browser figures ran it already; this makes sure
            out[page] = statistics.median([await run_page(ws, page) for _ in range(repeats)])
    return out


def server_page_times(base: str, pages: list[str], repeats: int = 5) -> dict[str, float]:
    """Median seconds of a warm run of each page (URL path) in one protocol session, alone."""
    return asyncio.run(_page_times(base, pages, repeats))


async def _cold_and_warm(base: str, pages: list[str], repeats: int, timeout_s: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with _connect(base) as ws:
        for page in pages:
            cold = await run_page(ws, page, timeout_s=timeout_s)
            warm = [await run_page(ws, page, timeout_s=timeout_s) for _ in range(repeats)]
            median = statistics.median(warm) if warm else None  # repeats=0: cold runs only
            out[page] = {"cold_s": cold, "warm_s": median, "warm_all_s": warm}
    return out


def cold_and_warm_runs(
    base: str, pages: list[str], repeats: int = 5, timeout_s: float = 900.0
) -> dict[str, Any]:
    """Each page's first run on the server at ``base`` (cold: none of its data cached yet) and the
    median of ``repeats`` warm runs after it, in one protocol session, page after page."""
    return asyncio.run(_cold_and_warm(base, pages, repeats, timeout_s))


def protocol_sessions(base: str, pages: list[str], sessions: int) -> dict[str, Any]:
    """``sessions`` protocol clients at once, each running ``pages`` (URL paths) in order."""
    out = asyncio.run(_concurrent(base, pages, sessions))
    out["pages"] = [p or "/" for p in pages]
    return out
