"""A small smoke of the benchmark command (issue 7): it runs and reports every covered page.

Not a timed test: only that `python -m benchmarks` works end to end on a 200k-row warehouse
(built in a temporary cache directory) and writes its figures. The real figures come from the
full run in README "Performance".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_command_runs_on_a_small_warehouse(tmp_path: Path) -> None:
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
            str(tmp_path / "bench"),
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
