"""python -m benchmarks.compare_plans BEFORE_WORKLOADS [--rows N] [--repeats R]: two versions of the
page plans, timed interleaved in one process on one warehouse.

``BEFORE_WORKLOADS`` is another version's benchmarks/page_workloads.py (for example from a
``git worktree`` of main). For each page, its plan there and here are each run once, their SQL
captured, and then ours and the floor of both are timed in turn ``--repeats`` times, so the noise of
a shared machine hits before and after alike; the ratios of one run are comparable, absolute
times only within it. Besides wall time it reports CPU time (``time.process_time``: this process,
DuckDB's threads included), which other processes on a loaded machine disturb far less. The
connectors code is this tree's for both: what differs is the calls.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa

from benchmarks import page_workloads as here

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks._before_workloads", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def compare(url: str, before: ModuleType, repeats: int, today: dt.date) -> dict[str, Any]:
    from connectors.warehouse import open_warehouse

    wh = open_warehouse(url, None)
    ctx = here.open_context(wh, today)
    raw = wh.engine.raw_connection()
    versions = {"before": before, "after": here}
    out: dict[str, Any] = {}
    try:
        for page in here.WORKLOADS:
            if page not in before.WORKLOADS:
                continue
            plans = {k: v.WORKLOADS[page](ctx) for k, v in versions.items()}
            sent = {}
            for k, plan in plans.items():
                versions[k].run_page_ours(ctx, plan)  # warm-up, as python -m benchmarks does
                sent[k] = versions[k].capture_statements(ctx, plan)
                here.run_floor(raw.driver_connection, sent[k])
            times: dict[str, dict[str, list[float]]] = {
                k: {"ours": [], "floor": [], "ours_cpu": [], "floor_cpu": []} for k in plans}
            for _ in range(repeats):
                for k, plan in plans.items():
                    wall, cpu = time.perf_counter(), time.process_time()
                    for call in plan.calls:  # the calls alone (python -m benchmarks leaves metrics out too)
                        versions[k].run_ours(ctx.warehouse, call)
                    times[k]["ours_cpu"].append(time.process_time() - cpu)
                    times[k]["ours"].append(time.perf_counter() - wall)
                    wall, cpu = time.perf_counter(), time.process_time()
                    here.run_floor(raw.driver_connection, sent[k])
                    times[k]["floor_cpu"].append(time.process_time() - cpu)
                    times[k]["floor"].append(time.perf_counter() - wall)
            row: dict[str, Any] = {}
            for k in plans:
                ms = {name: statistics.median(values) * 1000 for name, values in times[k].items()}
                row[k] = {"statements": len(sent[k]), **{f"{n}_ms": v for n, v in ms.items()},
                          "ratio": ms["ours"] / ms["floor"], "cpu_ratio": ms["ours_cpu"] / ms["floor_cpu"]}
            out[page] = row
            b, a = row["before"], row["after"]
            print(f"{Path(page).stem:<15} statements {b['statements']:>2} -> {a['statements']:<2}  "
                  f"wall: ours {b['ours_ms']:6.1f} -> {a['ours_ms']:6.1f} ms, "
                  f"floor {b['floor_ms']:6.1f} -> {a['floor_ms']:6.1f}, "
                  f"ours/floor {b['ratio']:.2f}x -> {a['ratio']:.2f}x;  "
                  f"CPU: ours {b['ours_cpu_ms']:6.1f} -> {a['ours_cpu_ms']:6.1f} ms, "
                  f"floor {b['floor_cpu_ms']:6.1f} -> {a['floor_cpu_ms']:6.1f}, "
                  f"ours/floor {b['cpu_ratio']:.2f}x -> {a['cpu_ratio']:.2f}x", flush=True)
    finally:
        raw.close()
        wh.engine.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    from benchmarks.__main__ import ensure_warehouse
    from connectors.demo_file import demo_end_for

    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_plans",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the other version's benchmarks/page_workloads.py")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    today = dt.date.today()
    path, count = ensure_warehouse(args.rows, args.cache_dir, demo_end_for(today))
    url = sa.URL.create("duckdb", database=str(path.resolve())).render_as_string()
    print(f"{count:,} fact rows; load average at start {os.getloadavg()}", flush=True)
    figures = compare(url, _load(args.before), args.repeats, today)
    print(f"load average at end {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps({"rows": count, "pages": figures}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
