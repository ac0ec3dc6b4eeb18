"""python -m benchmarks [--rows N ...] [--json PATH] [--skip-browser]: measure every page's data.

For each warehouse size: build (or reuse) a demo warehouse in data/bench/, then time our path and
the floor in this process (interleaved, median of --repeats after one warm-up run, or of more runs
when a page's pair takes under a second: ``timed_runs``), and measure
peak memory (and the naive pattern's times) in fresh processes (benchmarks.memory), and a full
checks run. Then, unless --skip-browser, time the pages in Chromium against `streamlit run` on the
largest warehouse of at most --browser-rows rows (10 M), and on every larger one (the 100 M point)
time each page's cold and warm server run with the app's peak memory (benchmarks.large_point).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import sqlalchemy as sa
import streamlit

from benchmarks import memory, report, scale
from benchmarks.checks_run import measure_checks_run
from benchmarks.page_workloads import (
    NO_WAREHOUSE_CALLS,
    WORKLOADS,
    capture_statements,
    open_context,
    run_floor,
    run_page_ours,
)
from connectors.demo_file import demo_end_for
from connectors.warehouse import open_warehouse

ROOT = Path(__file__).resolve().parent.parent
#: Fact rows per touchpoint over five years of the demo (1,036,674 rows / 150 touchpoints).
ROWS_PER_TOUCHPOINT = 6911
YEARS = 5
#: Above this many touchpoints (about 20 M rows) the pandas demo generator needs more memory than a
#: benchmark machine has (over 20 GB at 100 M rows): such warehouses are copies (benchmarks.scale).
SCALE_ABOVE_TOUCHPOINTS = 3000
#: The browser part runs on the largest size of at most this many rows; larger sizes get server runs.
BROWSER_ROWS = 10_000_000
#: Leave the naive pattern out when the machine lacks this multiple of its expected peak memory.
NAIVE_MEMORY_MARGIN = 1.3


def page_scripts() -> list[str]:
    """The page scripts in ui.navigation.PAGES."""
    from ui.navigation import PAGES

    return [script for script, _title, _icon in PAGES]


def ensure_warehouse(rows: int, cache_dir: Path, end: dt.date) -> tuple[Path, int]:
    """A demo warehouse with about ``rows`` fact rows (built once with data up to ``end``, then
    reused whatever its end: timings do not depend on the dates) and its row count."""
    from connectors.demo import MIN_TOUCHPOINTS, build_demo_file

    touchpoints = max(MIN_TOUCHPOINTS, round(rows / ROWS_PER_TOUCHPOINT))
    if touchpoints > SCALE_ABOVE_TOUCHPOINTS:  # copies of a 10 M demo, built inside DuckDB
        copies = max(1, round(touchpoints / scale.BASE_TOUCHPOINTS))
        touchpoints = copies * scale.BASE_TOUCHPOINTS
        path = cache_dir / f"warehouse-tp{touchpoints}-y{YEARS}-copies.duckdb"
    else:
        path = cache_dir / f"warehouse-tp{touchpoints}-y{YEARS}.duckdb"
    if not path.exists():
        print(f"  building {path} ({touchpoints} touchpoints, {YEARS} years)…", flush=True)
        cache_dir.mkdir(parents=True, exist_ok=True)
        if touchpoints > SCALE_ABOVE_TOUCHPOINTS:
            scale.ensure_scaled(path, touchpoints, YEARS, end)
        else:
            build_demo_file(path, end=end, touchpoints=touchpoints, years=YEARS)
    added = scale.ensure_summary(path)  # a warehouse cached before the summary existed gets it here
    if added is not None:
        print(f"  monthly KPI summary added in {added:.1f} s", flush=True)
    with duckdb.connect(str(path), read_only=True) as conn:
        count = conn.execute("SELECT count(*) FROM touchpoint_kpis").fetchone()[0]  # type: ignore[index]
    return path, int(count)


#: Seconds of interleaved runs (ours and the floor) a page gets at least: a page of a few ms repeats
#: more than --repeats times, up to MAX_TIMED_RUNS. At 1 M rows a page's statement varies by a few
#: tenths of a ms from run to run, as much as our own share of a 3 ms page, and the median of 7
#: pairs put the same code at 1.38-1.65x of the floor in four runs of one hour.
TIMING_BUDGET_S = 1.0
MAX_TIMED_RUNS = 101


def timed_runs(repeats: int, pair_s: float) -> int:
    """Timed runs of ours and the floor for a page whose pair took ``pair_s``: at least
    ``repeats``, more while they fit TIMING_BUDGET_S, at most MAX_TIMED_RUNS."""
    return max(repeats, min(MAX_TIMED_RUNS, int(TIMING_BUDGET_S / max(pair_s, 1e-6))))


def time_ours_and_floor(
    url: str, pages: list[str], today: dt.date, repeats: int, mapping: Path | None = None
) -> dict[str, Any]:
    """Median seconds of our path and of the floor per page, interleaved so noise hits both."""
    wh = open_warehouse(url, mapping)
    ctx = open_context(wh, today)
    raw = wh.engine.raw_connection()
    out: dict[str, Any] = {}
    try:
        for page in pages:
            plan = WORKLOADS[page](ctx)
            started = time.perf_counter()
            frames, _ = run_page_ours(ctx, plan)
            first = time.perf_counter() - started
            statements = capture_statements(ctx, plan)
            started = time.perf_counter()
            run_floor(raw.driver_connection, statements)
            pair_s = first + time.perf_counter() - started
            ours, floor, metric = [], [], []
            for _ in range(timed_runs(repeats, pair_s)):
                started = time.perf_counter()
                _, metric_s = run_page_ours(ctx, plan)
                ours.append(time.perf_counter() - started - metric_s)
                metric.append(metric_s)
                started = time.perf_counter()
                run_floor(raw.driver_connection, statements)
                floor.append(time.perf_counter() - started)
            out[page] = {
                "calls": len(plan.calls),
                "repeats": len(ours),
                "result_rows": int(sum(len(f) for f in frames)),
                "ours_first_s": first,
                "ours_s": statistics.median(ours),
                "floor_s": statistics.median(floor),
                "metrics_s": statistics.median(metric) if plan.metrics else None,
            }
    finally:
        raw.close()
        wh.engine.dispose()
    return out


def _available_mb() -> float:
    text = Path("/proc/meminfo").read_text()
    return next(int(line.split()[1]) for line in text.splitlines() if line.startswith("MemAvailable")) / 1024


def bench_size(rows: int, pages: list[str], args: argparse.Namespace, naive_mb_per_row: float | None) -> dict:
    path, count = ensure_warehouse(rows, args.cache_dir, demo_end_for(args.today))
    url = sa.URL.create("duckdb", database=str(path.resolve())).render_as_string()
    print(f"== {count:,} fact rows ({path.name})", flush=True)
    print("  timing our path and the floor…", flush=True)
    timings = time_ours_and_floor(url, pages, args.today, args.repeats)
    result: dict[str, Any] = {"rows": count, "requested_rows": rows, "warehouse": str(path), "pages": timings}
    for kind in ("ours", "floor", "naive"):
        expected = (naive_mb_per_row or 0) * count
        if kind == "naive" and expected * NAIVE_MEMORY_MARGIN > _available_mb():
            result["naive_skipped"] = f"needs about {expected:,.0f} MB, {_available_mb():,.0f} MB available"
            print(f"  naive pattern skipped: {result['naive_skipped']}", flush=True)
            continue
        print(
            f"  {kind}: fresh process for peak memory{' and timing' if kind == 'naive' else ''}…", flush=True
        )
        result[kind] = memory.measure(url, kind, args.today, pages)
    if not args.skip_checks_run:
        print("  a full checks run (python -m checks run)…", flush=True)
        result["checks_run"] = measure_checks_run(path)
    return result


def machine_facts() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "sqlalchemy": sa.__version__,
        "streamlit": streamlit.__version__,
        "os": platform.platform(),
        "date": dt.date.today().isoformat(),
    }


def split_sizes(
    sizes: list[dict[str, Any]], browser_rows: int
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The size the browser part runs on (the largest asked for with at most ``browser_rows`` rows,
    else the smallest) and the sizes above it, which get server runs instead."""
    if not sizes:
        return None, []
    asked = [s.get("requested_rows", s.get("rows", 0)) for s in sizes]
    at = max((i for i, rows in enumerate(asked) if rows <= browser_rows), default=0)
    return sizes[at], sizes[at + 1 :]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows",
        type=int,
        action="append",
        help="fact rows of a warehouse size; repeat for several (default 1M and 10M)",
    )
    parser.add_argument(
        "--warehouse-url", help="time ours against the floor on this warehouse instead of demo sizes"
    )
    parser.add_argument("--mapping", type=Path, help="mapping file for --warehouse-url")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument(
        "--skip-browser", action="store_true", help="no Chromium/Streamlit figures (nor server runs)"
    )
    parser.add_argument(
        "--browser-rows",
        type=int,
        default=BROWSER_ROWS,
        help="run the browser part on the largest --rows size of at most this many rows (default "
        "10M); each larger size gets cold and warm server runs per page and the app's peak memory",
    )
    parser.add_argument("--skip-checks-run", action="store_true", help="no full checks run per size")
    parser.add_argument("--repeats", type=int, default=7,
                        help="timed runs per page and path (7; a page of a few ms: up to 101 within 1 s)")
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions (10)")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="the app's 'today' (default: the clock, as the app does)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = sorted(args.rows or [1_000_000, 10_000_000])
    in_app = page_scripts()
    pages = [p for p in in_app if p in WORKLOADS]
    started = time.perf_counter()
    figures: dict[str, Any] = {
        "machine": machine_facts(),
        "command": "python -m " + " ".join(["benchmarks", *(argv if argv is not None else sys.argv[1:])]),
        "sizes": [],
        "not_covered": [p for p in in_app if p not in WORKLOADS and p not in NO_WAREHOUSE_CALLS],
        "no_warehouse_calls": {p: why for p, why in NO_WAREHOUSE_CALLS.items() if p in in_app},
    }
    naive_mb_per_row: float | None = None
    if args.warehouse_url:
        from benchmarks.warehouse_url import bench_warehouse_url

        sizes, args.skip_browser = [], True
        figures["sizes"].append(bench_warehouse_url(args.warehouse_url, args.mapping, pages, args.today,
                                                    args.repeats))
    for rows in sizes:
        size = bench_size(rows, pages, args, naive_mb_per_row)
        if "naive" in size:
            naive_mb_per_row = (size["naive"]["load_peak_mb"] - size["naive"]["baseline_mb"]) / size["rows"]
        figures["sizes"].append(size)
    browser_size, large = split_sizes(figures["sizes"], args.browser_rows)
    if not args.skip_browser and browser_size is not None:
        from benchmarks.browser import browser_figures

        figures["browser"] = browser_figures(Path(browser_size["warehouse"]), list(in_app), args.sessions)
    if not args.skip_browser:
        from benchmarks.large_point import server_runs

        for size in large:
            size["server_runs"] = server_runs(Path(size["warehouse"]), list(in_app))
    figures["elapsed_s"] = time.perf_counter() - started
    print(report.render(figures))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, default=str))
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
