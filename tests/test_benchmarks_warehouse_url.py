"""``python -m benchmarks --warehouse-url``: ours against the floor on a given warehouse.

Run on the DuckDB fixture warehouse (non-canonical names, read through its mapping file); not
timed, only that every covered page is measured and reported. On Spark the same command took five
minutes in the test run (each query is a Spark job), too long for every CI run: the README's Spark
table comes from running it by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.fixtures import DEMO_END, FixtureWarehouse

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_on_a_warehouse_url(fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path) -> None:
    fx = fixture_warehouse_duckdb
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--warehouse-url", fx.url, "--mapping", str(fx.mapping_path),
         "--repeats", "1", "--today", (DEMO_END.replace(day=DEMO_END.day + 1)).isoformat(),
         "--json", str(out)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    size = json.loads(out.read_text())["sizes"][0]
    assert size["rows"] == 32_850 and size["warehouse"] == fx.url
    assert "pages/overview.py" in size["pages"] and "pages/review.py" in size["pages"]
    for page, timing in size["pages"].items():
        assert timing["ours_s"] > 0 and timing["floor_s"] > 0, page
    assert "Ours / floor" in result.stdout and "Naive pattern not run" in result.stdout
