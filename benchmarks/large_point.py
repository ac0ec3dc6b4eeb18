"""The app's server runs on a warehouse above the browser size (the 100 M-row point).

Chromium figures are taken on the 10 M warehouse (benchmarks.browser); a larger warehouse gets the
server's share only: ``streamlit run`` started fresh on it, then one protocol session
(benchmarks.sessions) runs each page once (cold: none of that page's data is cached yet; pages
in the app's order, so the first also pays what of the app's first run the server did not do at
start) and five times more (warm, the median), and the server's peak resident memory (``VmHWM``)
over all of it. Before the runs, the server's start: seconds from launching ``streamlit run`` until
its health check answers (``ready_s``; the warm start, ui/warm_start.py, happens before that) and
the CPU seconds the server process spent until then (``ready_cpu_s``).

The warehouse's monthly KPI summary (touchpoint_kpis_monthly) is in use for those runs when the file
has it (benchmarks.scale.ensure_summary adds it); a second fresh server with MOT_KPI_SUMMARY=off then
runs each page once more, cold only, so the report shows what the summary saves.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.browser import url_path, vm_hwm_mb
from benchmarks.proc import cpu_seconds
from benchmarks.scale import has_summary
from benchmarks.sessions import cold_and_warm_runs
from tests.servers import StreamlitLauncher

#: Warm runs per page after its cold run.
WARM_REPEATS = 5
#: A first Budget run fits every touchpoint's response curve: minutes at 100 M rows on 2 cores.
RUN_TIMEOUT_S = 1800.0


def server_runs(warehouse: Path, pages: list[str], repeats: int = WARM_REPEATS) -> dict[str, Any]:
    """Cold and warm server run per page (script path) and the app's peak RSS, on a fresh server;
    with a monthly summary in the file, also each page's cold run with MOT_KPI_SUMMARY=off."""
    out = _server_runs(warehouse, pages, repeats, summary=True)
    out["summary"] = has_summary(warehouse)
    if out["summary"]:
        off = _server_runs(warehouse, pages, 0, summary=False)
        out["summary_off_cold_s"] = {script: t["cold_s"] for script, t in off["pages"].items()}
        out["summary_off_app_peak_mb"] = off["app_peak_mb"]
        out["summary_off_ready_s"] = off["ready_s"]
    return out


def _server_runs(warehouse: Path, pages: list[str], repeats: int, *, summary: bool) -> dict[str, Any]:
    launcher = StreamlitLauncher()
    with tempfile.TemporaryDirectory(prefix="mot-bench-app-") as data_dir:
        what = "" if summary else " (MOT_KPI_SUMMARY=off, cold runs only)"
        print(f"  server runs: streamlit run on {warehouse.name}{what}…", flush=True)
        try:
            url = f"duckdb:///{warehouse.resolve()}"
            launched = time.perf_counter()
            base = launcher({"MOT_WAREHOUSE_URL": url, "MOT_DATA_DIR": data_dir,
                             "MOT_KPI_SUMMARY": "on" if summary else "off"})
            ready_s = time.perf_counter() - launched
            server = next(iter(launcher._servers.values()))
            ready_cpu_s = cpu_seconds(server.process.pid)
            paths = {script: url_path(script, pages) for script in pages}
            runs = cold_and_warm_runs(base, list(paths.values()), repeats, RUN_TIMEOUT_S)
            out: dict[str, Any] = {"pages": {script: runs[path] for script, path in paths.items()},
                                   "ready_s": ready_s, "ready_cpu_s": ready_cpu_s}
            out["app_peak_mb"] = vm_hwm_mb(server.process.pid)
        finally:
            launcher.close()
    print(f"    server ready {out['ready_s']:7.2f} s (CPU {out['ready_cpu_s']:.2f} s)", flush=True)
    for script, t in out["pages"].items():
        warm = f"  warm {t['warm_s']:6.2f} s" if t["warm_s"] is not None else ""
        print(f"    {Path(script).stem:16s} cold {t['cold_s']:7.2f} s{warm}", flush=True)
    out["repeats"] = repeats
    return out
