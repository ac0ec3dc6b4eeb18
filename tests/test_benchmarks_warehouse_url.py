"""``python -m benchmarks --warehouse-url``: ours against the floor on a given warehouse.

Run on the fixture warehouse (non-canonical names, read through its mapping file) on DuckDB and
on Spark SQL; not timed, only that every covered page is measured and reported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import DEMO_END, FixtureWarehouse

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("dialect", ["duckdb", pytest.param("hive", marks=pytest.mark.spark)])
def test_benchmark_on_a_warehouse_url(dialect: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    fx: FixtureWarehouse = request.getfixturevalue(
        "fixture_warehouse_duckdb" if dialect == "duckdb" else "fixture_warehouse_spark"
    )
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
