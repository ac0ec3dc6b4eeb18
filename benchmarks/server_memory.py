"""The app server's peak memory through the benchmark's server part, without browsers or the naive read.

``python -m benchmarks.server_memory [--rows 10000000] [--sessions 30] [--env KEY=VALUE ...] [--port N]``

Starts ``streamlit run dashboard.py`` on the demo warehouse of that size (built once in
data/bench/, as ``python -m benchmarks`` does), then, as the benchmark's server part does:

1. one protocol session runs every page twice (the browser figures' cold and warm load);
2. one protocol session runs every page 1 + 5 times (benchmarks.sessions.server_page_times);
3. ``--sessions`` protocol sessions at once, each running Overview, Journey, Overview.

It samples the server's resident set (``VmRSS``) every 0.2 s and reports the kernel's peak
(``VmHWM``) of each step (the mark is reset before each later step, as benchmarks.memory does, so a
step's peak is its own; ``app_peak_mb`` is the highest), and the server's cache sizes from
Streamlit's ``/_stcore/metrics``. ``--env`` passes settings to the server (e.g.
``MALLOC_ARENA_MAX=2``) to compare variants with the same command. The server's MOT_DATA_DIR (its
state store) is a temporary folder unless ``--env`` sets it, so the warehouses' folder is only read.
``--port`` picks the server's port (default: a free one). The cache sizes include
``st.cache_resource`` entries and session states in bytes (Streamlit's expensive memory stats,
computed only when the metrics are read). Each step also reports the resident set's anonymous part
(``RssAnon``: heaps, frames, DuckDB's buffer) and file-backed part (``RssFile``: shared libraries,
mapped files).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import re
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks import sessions as _sessions
from benchmarks.browser import SESSION_PAGES, url_path
from benchmarks.sessions import _connect, protocol_sessions, run_page, server_page_times

#: A first Budget run at 10 M rows fits every touchpoint's response curve: minutes on 2 cores.
_sessions.TIMEOUT_S = 900.0

ROOT = Path(__file__).resolve().parent.parent


def _reset_peak(pid: int) -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) of ``pid`` to its current RSS."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:  # not Linux or not allowed: the peaks are then cumulative
        return False


def _status_mb(pid: int, field: str) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else float("nan")


class _Sampler(threading.Thread):
    """Samples VmRSS of ``pid`` every ``interval`` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.samples = pid, interval, []  # type: ignore[var-annotated]
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.samples.append((time.monotonic(), _status_mb(self.pid, "VmRSS")))
            except OSError:
                return
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def cache_bytes(base: str) -> dict[str, float]:
    """MB per Streamlit cache (st.cache_data / st.cache_resource functions, session state)."""
    with urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=30) as resp:
        text = resp.read().decode()
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line.startswith("cache_memory_bytes{"):
            continue
        labels, value = line.rsplit(" ", 1)
        kind = re.search(r'cache_type="([^"]*)"', labels)
        func = re.search(r'cache="([^"]*)"', labels)
        key = f"{kind.group(1) if kind else '?'}:{func.group(1) if func else '?'}"
        out[key] = out.get(key, 0.0) + float(value) / 1e6
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


async def _every_page_twice(base: str, paths: list[str]) -> dict[str, list[float]]:
    out = {}
    async with _connect(base) as ws:
        for path in paths:
            out[path or "/"] = [round(await run_page(ws, path), 2) for _ in range(2)]
            print(f"    {path or '/'}: {out[path or '/']} s", flush=True)
    return out


def run(
    rows: int, sessions: int, env: dict[str, str], cache_dir: Path, port: int | None = None
) -> dict[str, Any]:
    from benchmarks.__main__ import ensure_warehouse, page_scripts
    from tests import servers
    from tests.servers import StreamlitLauncher

    if port is not None:  # the launcher asks servers.free_port for each server it starts
        servers.free_port = lambda: port

    warehouse, count = ensure_warehouse(rows, cache_dir, dt.date.today())
    scripts = page_scripts()
    paths = [url_path(s, scripts) for s in scripts]
    launcher = StreamlitLauncher()
    out: dict[str, Any] = {"rows": count, "sessions": sessions, "env": env, "steps": {}}
    data_dir = tempfile.TemporaryDirectory(prefix="mot-server-memory-")
    try:
        base = launcher(
            {"MOT_WAREHOUSE_URL": f"duckdb:///{warehouse.resolve()}", "MOT_DATA_DIR": data_dir.name,
             # /_stcore/metrics then sizes st.cache_resource entries and session states in bytes
             # (by default it counts them), when asked for, after the steps.
             "STREAMLIT_SERVER_ENABLE_EXPENSIVE_MEMORY_STATS": "true", **env}
        )
        pid = next(iter(launcher._servers.values())).process.pid
        sampler = _Sampler(pid)
        sampler.start()
        out["started_mb"] = _status_mb(pid, "VmRSS")
        steps = (  # i18n: not shown (keys of the JSON figures)
            ("every page twice", lambda: asyncio.run(_every_page_twice(base, paths))),
            ("warm run per page", lambda: server_page_times(base, paths)),
            (f"{sessions} protocol sessions", lambda: protocol_sessions(base, SESSION_PAGES, sessions)),
        )
        for name, step in steps:
            if out["steps"]:  # the first step's peak includes the start
                _reset_peak(pid)
            started = time.perf_counter()
            result = step()
            out["steps"][name] = {
                "seconds": round(time.perf_counter() - started, 1),
                "peak_mb": round(_status_mb(pid, "VmHWM"), 1),
                "rss_mb": round(_status_mb(pid, "VmRSS"), 1),
                "anon_mb": round(_status_mb(pid, "RssAnon"), 1),
                "file_mb": round(_status_mb(pid, "RssFile"), 1),
            }
            p95 = result.get("p95_s") if isinstance(result, dict) else None
            if isinstance(p95, int | float):
                out["steps"][name].update(p95_s=round(p95, 2), errors=result["errors"])
            print(f"  {name}: {out['steps'][name]}", flush=True)
        out["caches_mb"] = {k: round(v, 1) for k, v in cache_bytes(base).items() if v >= 0.05}
        time.sleep(3)
        out["rss_idle_mb"] = round(_status_mb(pid, "VmRSS"), 1)
        out["app_peak_mb"] = max(step["peak_mb"] for step in out["steps"].values())
        sampler.stop()
    finally:
        launcher.close()
        data_dir.cleanup()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server_memory",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--env", action="append", default=[])  # KEY=VALUE, repeatable
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)
    print(json.dumps(run(args.rows, args.sessions, env, args.cache_dir, args.port)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
