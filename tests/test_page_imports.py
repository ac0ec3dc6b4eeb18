"""A page's first run loads only what the page uses: the Overview (the page every viewer opens
first, paying the app's first run) never loads Altair, scipy or Great Expectations.

Each page runs once under AppTest in a fresh Python process, on the DuckDB fixture warehouse with an
empty state store (no check has run yet), and the process lists the modules it then holds. Altair
(with its schema validator, about 0.35 s and 25 MB) is for pages that draw a Vega chart; scipy is
for the Budget What-if's curve fits that the batch fitter cannot finish; Great Expectations only
runs checks; the quarterly review package (its store, pack and export writers) is for the review
page and the actions tables.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import FixtureWarehouse
from tests.test_pages_apptest import PAGES, app_env

ROOT = Path(__file__).resolve().parent.parent

#: The child: run one page of the app once, then print any error and every module it holds.
_RUN_PAGE = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)
if sys.argv[2] != sys.argv[3]:
    at.switch_page(sys.argv[2])
at.run(timeout=120)
errors = [str(e.value) for e in [*at.exception, *at.error]]
print(json.dumps({"errors": errors, "modules": sorted(sys.modules)}))
"""

#: Page -> top-level packages (or our modules) its first run must not load.
NOT_LOADED: dict[str, tuple[str, ...]] = {
    "pages/overview.py": ("altair", "scipy", "great_expectations", "review"),
    "pages/my_touchpoints.py": ("altair", "scipy", "great_expectations"),
    "pages/budget.py": ("great_expectations", "review"),
    "pages/data_quality.py": ("altair", "scipy", "great_expectations"),  # before any check has run
}


def _loaded(env: dict[str, str], page: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN_PAGE, str(ROOT / "dashboard.py"), page, PAGES[0][0]],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300, check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["errors"] == [], found["errors"]
    return set(found["modules"])


@pytest.mark.parametrize("page", list(NOT_LOADED))
def test_a_page_loads_only_what_it_uses(
    fixture_warehouse_duckdb: FixtureWarehouse, tmp_path: Path, page: str
) -> None:
    fx = fixture_warehouse_duckdb
    loaded = _loaded(app_env(fx.url, fx.mapping_path, tmp_path), page)
    assert "pandas" in loaded and "ui.context" in loaded, "the page did not run"
    unwanted = sorted(m for m in loaded if m.split(".")[0] in NOT_LOADED[page] or m in NOT_LOADED[page])
    assert unwanted == [], f"{page} loaded {unwanted[:10]}"
