"""The app's server runs on a warehouse above the browser size (the 100 M-row point).

Chromium figures are taken on the 10 M warehouse (benchmarks.browser); a larger warehouse gets the
server's share only: ``streamlit run`` started fresh on it, then one protocol session
(benchmarks.sessions) runs each page once (cold: none of that page's data is cached yet; pages
in the app's order, so the first also pays the app's first run) and five times more (warm, the
median), and the server's peak resident memory (``VmHWM``) over all of it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmarks.browser import url_path, vm_hwm_mb
from benchmarks.sessions import cold_and_warm_runs
from tests.servers import StreamlitLauncher

#: Warm runs per page after its cold run.
WARM_REPEATS = 5
#: A first Budget run fits every touchpoint's response curve: minutes at 100 M rows on 2 cores.
RUN_TIMEOUT_S = 1800.0


def server_runs(warehouse: Path, pages: list[str], repeats: int = WARM_REPEATS) -> dict[str, Any]:
    """Cold and warm server run per page (script path) and the app's peak RSS, on a fresh server."""
    launcher = StreamlitLauncher()
    with tempfile.TemporaryDirectory(prefix="mot-bench-app-") as data_dir:
        print(f"  server runs: streamlit run on {warehouse.name}…", flush=True)
        try:
            url = f"duckdb:///{warehouse.resolve()}"
            base = launcher({"MOT_WAREHOUSE_URL": url, "MOT_DATA_DIR": data_dir})
            server = next(iter(launcher._servers.values()))
            paths = {script: url_path(script, pages) for script in pages}
            runs = cold_and_warm_runs(base, list(paths.values()), repeats, RUN_TIMEOUT_S)
            out: dict[str, Any] = {"pages": {script: runs[path] for script, path in paths.items()}}
            out["app_peak_mb"] = vm_hwm_mb(server.process.pid)
        finally:
            launcher.close()
    for script, t in out["pages"].items():
        print(f"    {Path(script).stem:16s} cold {t['cold_s']:7.2f} s  warm {t['warm_s']:6.2f} s", flush=True)
    out["repeats"] = repeats
    return out
