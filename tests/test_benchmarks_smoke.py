"""A small smoke of the benchmark command (issue 7): it runs and reports every covered page.

Not a timed test: only that `python -m benchmarks` works end to end on a 200k-row warehouse
(built in a temporary cache directory) and writes its figures. The real figures come from the
full run in README "Performance".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import report
from benchmarks.__main__ import ensure_warehouse, split_sizes

REPO_ROOT = Path(__file__).resolve().parent.parent
SMALL_ROWS = 200_000


@pytest.fixture(scope="module")
def bench_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory holding the 200k-row demo warehouse (built once for this module)."""
    folder = tmp_path_factory.mktemp("bench")
    ensure_warehouse(SMALL_ROWS, folder, dt.date.today())
    return folder


def test_benchmark_command_runs_on_a_small_warehouse(tmp_path: Path, bench_dir: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--rows",
            "200000",
            "--skip-browser",
            "--repeats",
            "2",
            "--cache-dir",
            str(bench_dir),
            "--json",
            str(out),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(out.read_text())
    size = figures["sizes"][0]
    assert 150_000 < size["rows"] < 260_000
    assert "pages/overview.py" in size["pages"] and "pages/journey.py" in size["pages"]
    for page, timing in size["pages"].items():
        assert timing["ours_s"] > 0 and timing["floor_s"] > 0, page
        assert size["ours"]["pages"][page]["peak_mb"] > 0, page
    assert 0 < size["naive"]["rows_loaded"] <= size["rows"]  # orphan fact rows drop out of the join
    assert "Ours / floor" in result.stdout and "Goals" in result.stdout
    assert size["checks_run"]["seconds"] > 0 and size["checks_run"]["peak_mb"] > 0
    assert "Checks run under" in result.stdout


def test_browser_part_runs_on_the_10m_size_and_larger_sizes_get_server_runs() -> None:
    sizes = [
        {"rows": 1_007_474, "requested_rows": 1_000_000},
        {"rows": 10_032_602, "requested_rows": 10_000_000},
        {"rows": 100_600_000, "requested_rows": 100_000_000},
    ]
    browser, large = split_sizes(sizes, 10_000_000)
    assert browser is sizes[1] and large == [sizes[2]]
    assert split_sizes(sizes[:1], 10_000_000) == (sizes[0], [])
    assert split_sizes(sizes[2:], 10_000_000) == (sizes[2], [])  # nothing smaller: the browser runs on it
    assert split_sizes([], 10_000_000) == (None, [])


def _size(rows: int, ratio: float) -> dict[str, Any]:
    page = {"calls": 3, "result_rows": 10, "ours_first_s": 0.1, "ours_s": 0.01 * ratio, "floor_s": 0.01,
            "metrics_s": None}
    pages = {"pages/overview.py": page, "pages/budget.py": page}
    return {"rows": rows, "requested_rows": rows, "pages": pages,
            "naive_skipped": "needs about 90,000 MB",
            "checks_run": {"seconds": 75.0, "cpu_s": 80.0, "peak_mb": 700.0, "memory_limit": "256MB"}}


def test_report_renders_the_large_point_and_every_goal() -> None:
    """The report of a 10 M + 100 M run: the server-run table and each goal's status, from a small
    figures dict (no timing: only that every section and goal is rendered)."""
    large = _size(100_000_000, 1.2)
    large["server_runs"] = {
        "repeats": 5, "app_peak_mb": 650.0,
        "pages": {"pages/overview.py": {"cold_s": 2.0, "warm_s": 0.3},
                  "pages/budget.py": {"cold_s": 20.0, "warm_s": 0.9}},
        "summary": True, "summary_off_app_peak_mb": 700.0,
        "summary_off_cold_s": {"pages/overview.py": 8.4, "pages/budget.py": 20.5},
    }
    runs = {"pages/overview.py": {"cold_s": 1.0, "warm_s": 0.5, "server_warm_s": 0.08,
                                  "cold_cpu_s": 2.4, "warm_cpu_s": 1.2},
            "pages/journey.py": {"cold_s": 1.1, "warm_s": 0.6, "server_warm_s": 0.09,
                                 "cold_cpu_s": 3.0, "warm_cpu_s": 0.9},
            "pages/budget.py": {"cold_s": 2.0, "warm_s": 0.8, "server_warm_s": 0.3}}
    concurrent = {"sessions": 10, "samples": 30, "errors": 0, "p50_s": 1.0, "p95_s": 3.0, "max_s": 3.5}
    figures = {
        "machine": {"cpu": "x", "cores": 2, "memory_gb": 8, "os": "Linux", "python": "3.11", "duckdb": "1",
                    "pandas": "2", "sqlalchemy": "2", "streamlit": "1", "load_average": (0.1, 0.2, 0.3)},
        "command": "python -m benchmarks", "elapsed_s": 60.0,
        "sizes": [_size(10_000_000, 1.4), large],
        "browser": {"rows": 10_000_000, "pages": runs, "app_peak_mb": 450.0, "blank_server_warm_s": 0.02,
                    "blank_loads": {"cold_s": 0.8, "warm_s": 0.2, "cold_cpu_s": 1.0, "warm_cpu_s": 0.3},
                    "concurrent": concurrent, "concurrent_blank": {**concurrent, "p95_s": 1.5},
                    "protocol": {**concurrent, "p95_s": 1.2},
                    "filter": {"what": "period", "cold_s": 0.4, "warm_s": 0.2, "warm_all_s": [0.2] * 6}},
    }
    text = report.render(figures)
    assert "Server runs (`streamlit run`, 100,000,000 fact rows)" in text
    assert "| budget | 20,000.0 | 900.0 | 20,500.0 |" in text
    assert "MOT_KPI_SUMMARY=off" in text
    assert "Ours within 1.5x of the floor at 10.0 M rows: met" in text
    assert "Ours against the floor at 100.0 M rows (no goal)" in text
    assert "cold server run under 3,000 ms at 100.0 M rows: MISSED: budget by 17,000 ms" in text
    assert "warm server run under 500 ms at 100.0 M rows: MISSED: budget by 400 ms" in text
    assert "App peak memory under 500 MB at 100.0 M rows: MISSED by 150 MB (650 MB)" in text
    assert "App peak memory under 500 MB at 10.0 M rows: met (450 MB)" in text
    assert "Checks run under 60 s at 100.0 M rows: MISSED by 15.0 s (75.0 s, CPU 80.0 s)" in text
    assert "Checks run under 1,024 MB at 100.0 M rows: met" in text
    assert "<= 3x the blank page (20 ms) at 10.0 M rows: MISSED: budget by 200 ms" in text
    assert "p95 of 10 concurrent browsers <= 1.5x the blank page's: MISSED by 0.5x (2.0x" in text
    assert "p95 of 10 concurrent protocol sessions under 2,000 ms: met (1,200 ms)" in text
    assert "Warm filter change under 300 ms: met (200 ms)" in text
    # Chromium's CPU per load, where measured ("–" for figures from before it was), and against the blank's
    assert "| overview | 1,000.0 | 500.0 | 2.40 / 1.20 | 80.0 | 4.0x |" in text
    assert "| budget | 2,000.0 | 800.0 | – | 300.0 | 15.0x |" in text
    assert "| blank page (Streamlit's floor) | 800.0 | 200.0 | 1.00 / 0.30 | 20.0 | 1.0x |" in text
    assert ("against the blank page's: first loads 2.4x (overview) to 3.0x (journey); "
            "reloads 3.0x (journey) to 4.0x (overview).") in text


def test_server_runs_time_every_page_cold_and_warm(bench_dir: Path) -> None:
    """benchmarks.large_point on the 200k warehouse: every page runs cold and warm on a fresh server."""
    from benchmarks.__main__ import page_scripts
    from benchmarks.large_point import server_runs

    warehouse = next(bench_dir.glob("warehouse-*.duckdb"))
    pages = page_scripts()
    figures = server_runs(warehouse, pages, repeats=1)
    assert list(figures["pages"]) == pages
    for page, runs in figures["pages"].items():
        assert runs["cold_s"] > 0 and runs["warm_s"] > 0, page
    assert figures["app_peak_mb"] > 0
    # The demo warehouse has the monthly KPI summary: each page once more, cold, without it.
    assert figures["summary"] and list(figures["summary_off_cold_s"]) == pages
    assert all(cold > 0 for cold in figures["summary_off_cold_s"].values())


def test_own_peak_is_the_childs_not_the_benchmarks(tmp_path: Path) -> None:
    """A child forked from a large process reports that process's peak through wait4's ru_maxrss;
    benchmarks/own_peak.py reports the child's own (the checks run's peak, benchmarks/checks_run.py),
    and passes the module's exit status on."""
    held = bytearray(400 * 2**20)  # the parent's peak, as the benchmark's after the floor's reads
    out = tmp_path / "peak_kb.txt"
    command = [sys.executable, "-m", "benchmarks.own_peak", str(out), "json.tool", "--no-such"]
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 2  # argparse's exit for a bad option, passed on
    assert usage.ru_maxrss > 400 * 1024 and len(held) == 400 * 2**20
    assert 0 < int(out.read_text(encoding="utf-8")) < 200 * 1024


def test_page_plans_read_the_parts_the_pages_read(bench_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With parts small enough for the 200k-row demo, the Overview's and My touchpoints' plans send
    one KPI statement per part, as the pages do (ui/read_parts.py), and their metrics still run."""
    from benchmarks.page_workloads import WORKLOADS, open_context, run_page_ours
    from connectors.warehouse import open_warehouse
    from ui import read_parts

    path = next(bench_dir.glob("warehouse-*.duckdb"))
    wh = open_warehouse(f"duckdb:///{path}", None)
    try:
        ctx = open_context(wh, dt.date.today())
        assert wh.has_summary
        pages = ("pages/overview.py", "pages/my_touchpoints.py")
        whole = {page: len(WORKLOADS[page](ctx).calls) for page in pages}
        monkeypatch.setattr(read_parts, "OWNER_PART_TOUCHPOINTS", 2)
        monkeypatch.setattr(read_parts, "TREND_PART_TOUCHPOINTS", 2)
        for page, calls in whole.items():
            plan = WORKLOADS[page](ctx)
            assert len(plan.calls) > calls, page
            frames, _seconds = run_page_ours(ctx, plan)
            assert len(frames) == len(plan.calls) and all(len(f) for f in frames[:2]), page
    finally:
        wh.engine.dispose()
