"""A clean demo warehouse with a planted fault and a saved check run: what the trust tests share.

tests/test_trust_everywhere.py, tests/test_quality_impact.py and tests/test_summary_check.py each
plant one fault in their own copy of the demo (built without the demo's own faults), run every
check on it and save the run in a state store, then look at how the fault reaches pages, packs,
alerts and the Data quality page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import sqlalchemy as sa

from checks import history
from checks.results import CheckRun
from checks.runner import run_checks
from connectors.demo import build_demo_file
from connectors.runtime import open_for_checks
from connectors.state import create_state_engine


@dataclass(frozen=True)
class Planted:
    """The planted warehouse's URL, its state store's URL and the saved check run."""

    folder: Path
    url: str
    state_url: str
    run: CheckRun

    @property
    def env(self) -> dict[str, str]:
        """The app's settings for this warehouse and store."""
        return {"MOT_WAREHOUSE_URL": self.url, "MOT_STATE_URL": self.state_url,
                "MOT_DATA_DIR": str(self.folder)}


def plant_fault(
    folder: Path,
    end: dt.date,
    statements: Sequence[tuple[str, Sequence[Any]]],
    *,
    checked_on: dt.date | None = None,
    docs_dir: Path | None = None,
    before: Callable[[str], None] | None = None,
) -> Planted:
    """Build the demo up to ``end`` without its faults in ``folder``, call ``before`` with its URL
    (to look at the clean warehouse), run ``statements`` on it, then run every check as of
    ``checked_on`` (default ``end``) and save the run in a SQLite state store beside it."""
    warehouse = folder / "warehouse.duckdb"
    build_demo_file(warehouse, end=end, faults=False)
    url = sa.URL.create("duckdb", database=str(warehouse)).render_as_string()
    if before is not None:
        before(url)
    with duckdb.connect(str(warehouse)) as db:
        for sql, parameters in statements:
            db.execute(sql, list(parameters))
    state_url = sa.URL.create("sqlite", database=str(folder / "state.sqlite")).render_as_string()
    engine = create_state_engine(state_url)
    try:
        run = run_checks(open_for_checks(url), checked_on or end, docs_dir=docs_dir)
        history.save_run(engine, run)
    finally:
        engine.dispose()
    return Planted(folder, url, state_url, run)
