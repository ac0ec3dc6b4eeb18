"""Peak memory of each path, measured in a fresh process per (warehouse, path).

Method: the worker (``python -m benchmarks.memory``) imports everything and opens the warehouse,
then for each page resets the kernel's peak-RSS mark (``5 > /proc/self/clear_refs``), runs the
page's calls once and reads ``VmHWM`` from ``/proc/self/status``: the page's peak resident set
size, imports and open warehouse included. ``baseline_mb`` is the RSS before any page ran. The
naive worker also times its load (once) and each page's pandas grouping (median of 3), since
loading 10 M rows twice would dominate the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

KINDS = ("ours", "floor", "naive")


def status_kb(field: str) -> int:
    """A field of this process's /proc/self/status in kB (VmHWM, VmRSS, ...); 0 when absent."""
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:  # not Linux, or not allowed: the peak then covers the whole process so far
        return False


def _page_peak(run: Any) -> dict[str, float]:
    resettable = _reset_peak()
    before = status_kb("VmRSS")
    run()
    return {
        "peak_mb": status_kb("VmHWM") / 1024,
        "delta_mb": (status_kb("VmHWM") - before) / 1024,
        "per_page_reset": resettable,
    }


def _worker(url: str, kind: str, today: dt.date, pages: list[str]) -> dict[str, Any]:
    from benchmarks.naive import answer, load_tables
    from benchmarks.page_workloads import (
        WORKLOADS,
        capture_statements,
        open_context,
        run_floor,
        run_page_ours,
    )
    from connectors.warehouse import open_warehouse

    ctx = open_context(open_warehouse(url, None), today)
    plans = {page: WORKLOADS[page](ctx) for page in pages}
    out: dict[str, Any] = {"kind": kind, "baseline_mb": status_kb("VmRSS") / 1024, "pages": {}}
    if kind == "ours":
        for page, plan in plans.items():
            out["pages"][page] = _page_peak(lambda plan=plan: run_page_ours(ctx, plan))
    elif kind == "floor":
        statements = {page: capture_statements(ctx, plan) for page, plan in plans.items()}
        raw = ctx.warehouse.engine.raw_connection()
        _reset_peak()
        out["baseline_mb"] = status_kb("VmRSS") / 1024
        for page in plans:
            out["pages"][page] = _page_peak(
                lambda page=page: run_floor(raw.driver_connection, statements[page])
            )
        raw.close()
    else:
        _reset_peak()
        started = time.perf_counter()
        tables = load_tables(ctx.warehouse)
        out["load_s"] = time.perf_counter() - started
        out["load_peak_mb"] = status_kb("VmHWM") / 1024
        out["rows_loaded"] = len(tables["facts"])
        for page, plan in plans.items():
            seconds = []
            for _ in range(3):
                started = time.perf_counter()
                for call in plan.calls:
                    answer(tables, call)
                seconds.append(time.perf_counter() - started)
            out["pages"][page] = {
                "group_s": statistics.median(seconds),
                "peak_mb": status_kb("VmHWM") / 1024,
            }
    out["process_peak_mb"] = status_kb("VmHWM") / 1024
    return out


def measure(url: str, kind: str, today: dt.date, pages: list[str], timeout_s: float = 900) -> dict[str, Any]:
    """Run the worker for one path in a fresh interpreter; its JSON result."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.memory",
        "--url",
        url,
        "--kind",
        kind,
        "--today",
        today.isoformat(),
        "--pages",
        *pages,
    ]
    result = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if result.returncode != 0:
        raise RuntimeError(f"memory worker ({kind}) failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument("--url", required=True)
    parser.add_argument("--kind", choices=KINDS, required=True)
    parser.add_argument("--today", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--pages", nargs="+", required=True)
    args = parser.parse_args(argv)
    print(json.dumps(_worker(args.url, args.kind, args.today, args.pages)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
