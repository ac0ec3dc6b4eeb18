"""A full data-quality checks run (``python -m checks run``) on a benchmark warehouse: its wall time,
CPU time (``os.wait4``'s rusage of the child) and the peak resident memory of that process alone (its
own VmHWM, written by benchmarks/own_peak.py: wait4's ``ru_maxrss`` carries the benchmark's own peak
into a child it forks), with the
embedded DuckDB bounded as a check run bounds it (MOT_DUCKDB_MEMORY_LIMIT, unset 256MB for a check run
against the app's 128MB: connectors.runtime.embedded_limits; MOT_DUCKDB_THREADS)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def measure_checks_run(warehouse: Path) -> dict[str, Any]:
    """Seconds, CPU seconds (user + system, DuckDB's threads included) and peak MB of one
    ``python -m checks run --no-save`` (Data Docs included)."""
    with tempfile.TemporaryDirectory(prefix="mot-bench-checks-") as work:
        env = {**os.environ, "MOT_WAREHOUSE_URL": f"duckdb:///{warehouse.resolve()}", "MOT_DATA_DIR": work}
        log, peak = Path(work) / "stderr.txt", Path(work) / "peak_kb.txt"
        with log.open("wb") as stderr:
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.own_peak", str(peak), "checks", "run", "--no-save"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
            )
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):  # 1: a critical check failed, as the demo's faults do
            raise RuntimeError(f"checks run failed ({process.returncode}):\n{log.read_text()[-3000:]}")
        peak_kb = int(peak.read_text(encoding="utf-8"))
    return {
        "seconds": seconds,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": peak_kb / 1024,
        "memory_limit": env.get("MOT_DUCKDB_MEMORY_LIMIT", "256MB (default)"),
    }
