"""Cold and warm server runs of chosen pages, beside a blank Streamlit page measured in the same run.

``python -m benchmarks.page_runs WAREHOUSE.duckdb [--pages budget 'budget?tab=What-if' trends]
[--repeats 5] [--port 8610]``

For each page: a fresh ``streamlit run dashboard.py`` (headless, loopback) on the DuckDB file (opened
read-only; the state store in a temporary MOT_DATA_DIR), one protocol session
(benchmarks.sessions) runs the page once (cold: the first run of a fresh server, imports and
warehouse reads included), then ``--repeats`` times more (warm: the median). The blank page
(benchmarks/blank_app.py) is timed the same way on its own server first. Besides wall times it
reports the server's CPU seconds of the cold run and per warm run (``/proc/PID/stat``), steadier
than wall time on a shared machine, and the server's peak resident memory over its runs (VmHWM,
``peak_mb``). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks import sessions
from benchmarks.proc import cpu_seconds
from benchmarks.sessions import _connect, run_page

ROOT = Path(__file__).resolve().parent.parent
#: A cold Budget run on a large warehouse may fit thousands of curves.
sessions.TIMEOUT_S = 900.0


def _peak_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM"))
    return round(int(line.split()[1]) / 1024, 1)


def _start(script: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit run {script.name} did not answer on port {port}")


async def _runs(base: str, page: str, repeats: int, pid: int) -> dict[str, Any]:
    page, _, query = page.partition("?")
    async with _connect(base) as ws:
        before = cpu_seconds(pid)
        cold = await run_page(ws, page, query, through_rerun=True)
        cold_cpu = cpu_seconds(pid) - before
        warm, cpu = [], []
        for _ in range(repeats):
            before = cpu_seconds(pid)
            warm.append(await run_page(ws, page, query))
            cpu.append(cpu_seconds(pid) - before)
    return {"cold_s": round(cold, 3), "cold_cpu_s": round(cold_cpu, 3),
            "warm_s": round(statistics.median(warm), 3), "warm_min_s": round(min(warm), 3),
            "warm_cpu_s": round(statistics.median(cpu), 3)}


def measure(script: Path, page: str, port: int, repeats: int, env: dict[str, str]) -> dict[str, Any]:
    """Cold and warm runs of ``page`` (URL path) on a fresh server of ``script``."""
    process = _start(script, port, env)
    try:
        runs = asyncio.run(_runs(f"http://127.0.0.1:{port}", page, repeats, process.pid))
        return {**runs, "peak_mb": _peak_mb(process.pid)}
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.page_runs",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path, help="a DuckDB file (e.g. /work/bench/warehouse-….duckdb)")
    parser.add_argument("--pages", nargs="+", default=["budget", "trends"],
                        help="URL paths, each with a query string if wanted (budget?tab=What-if)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--port", type=int, default=8610)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="page-runs-") as data_dir:
        env = {"MOT_WAREHOUSE_URL": f"duckdb:///{args.warehouse.resolve()}", "MOT_DATA_DIR": data_dir}
        out: dict[str, Any] = {"warehouse": args.warehouse.name, "load_before": os.getloadavg()[0],
                               "blank": measure(ROOT / "benchmarks" / "blank_app.py", "", args.port,
                                                args.repeats, {})}
        print(f"  blank: {out['blank']}", file=sys.stderr, flush=True)
        for page in args.pages:
            out[page] = measure(ROOT / "dashboard.py", page, args.port, args.repeats, env)
            out[page]["warm_over_blank"] = round(out[page]["warm_s"] / out["blank"]["warm_s"], 1)
            print(f"  {page}: {out[page]}", file=sys.stderr, flush=True)
        out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
