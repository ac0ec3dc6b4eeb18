"""Future-dated rows never widen the quarters a review offers or accepts (review_quarters, the CLI).

The hand-sized review warehouse (facts in 2025Q3, 2026Q2, 2026Q3) gets the 2026Q3 rows once more,
dated a year later, like the demo's "future dates" fault (a mistyped year). On 2026-10-05 a review
may offer 2025Q3 to 2026Q3 and nothing after.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from connectors.demo import write_warehouse
from connectors.warehouse import Warehouse, open_warehouse
from review.pack import EmptyQuarterError, FutureQuarterError, build_quarter_figures
from review.quarters import parse_quarter, review_quarters
from tests.test_review_exports import _cli
from tests.test_review_fixtures import review_frames, review_registry  # noqa: F401 - pytest fixture

AS_OF = dt.date(2026, 10, 5)
OFFERED = ["2026Q3", "2026Q2", "2026Q1", "2025Q4", "2025Q3"]


def _with_future_rows(path: Path, dialect: str, future_day: dt.date) -> str:
    """The review warehouse on ``dialect`` plus its 2026Q3 facts again, dated ``future_day``."""
    frames = review_frames()
    facts = frames["touchpoint_kpis"]
    in_q3 = pd.to_datetime(facts["date"]) >= pd.Timestamp("2026-07-01")
    frames["touchpoint_kpis"] = pd.concat([facts, facts[in_q3].assign(date=future_day)], ignore_index=True)
    url = sa.URL.create(dialect, database=str(path)).render_as_string()
    engine = sa.create_engine(url)
    try:
        write_warehouse(engine, frames)
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "duckdb"])
def future_wh(request: pytest.FixtureRequest, tmp_path: Path) -> Warehouse:
    url = _with_future_rows(tmp_path / f"warehouse.{request.param}", request.param, dt.date(2027, 7, 11))
    return open_warehouse(url, None)


def test_quarters_come_from_rows_dated_on_or_before_as_of(future_wh: Warehouse) -> None:
    assert [q.label for q in review_quarters(future_wh, AS_OF)] == OFFERED
    # the planted rows are there: a clock a year on sees 2027Q3 too
    assert review_quarters(future_wh, dt.date(2027, 12, 31))[0].label == "2027Q3"
    assert review_quarters(future_wh, dt.date(2025, 7, 1)) == []  # before the first fact


def test_a_quarter_after_as_of_is_refused_naming_the_quarters_to_choose(
    future_wh: Warehouse, review_registry  # noqa: F811
) -> None:
    offered = re.escape("Choose a quarter from 2025Q3 to 2026Q3 "
                        "(the quarters with data dated on or before 2026-10-05).")
    with pytest.raises(FutureQuarterError, match=r"2027Q3 starts after 2026-10-05.*" + offered):
        build_quarter_figures(future_wh, review_registry, parse_quarter("2027Q3"), as_of=AS_OF)
    with pytest.raises(EmptyQuarterError, match=r"no KPI data for 2026Q4\. " + offered):
        build_quarter_figures(future_wh, review_registry, parse_quarter("2026Q4"), as_of=AS_OF)
    shown = build_quarter_figures(future_wh, review_registry, parse_quarter("2026Q3"), as_of=AS_OF)
    assert shown.quarter == "2026Q3" and shown.data_through == dt.date(2026, 7, 11)


def test_cli_refuses_a_future_quarter_with_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    # The CLI reads the real clock, so the planted rows sit far enough ahead to stay in the future.
    url = _with_future_rows(tmp_path / "warehouse.sqlite", "sqlite", dt.date(2099, 1, 11))
    env = {"MOT_WAREHOUSE_URL": url, "MOT_STATE_URL": f"sqlite:///{tmp_path / 'state.sqlite'}"}
    out = tmp_path / "pack.csv"
    export = _cli(env, "export", "--quarter", "2099Q1", "--format", "csv", "--out", str(out))
    assert export.returncode == 2, export.stdout
    assert "2099Q1 starts after" in export.stderr and "Choose a quarter from 2025Q3 to" in export.stderr
    assert "2099" not in export.stderr.split("Choose a quarter")[1] and "Traceback" not in export.stderr
    assert not out.exists()
    close = _cli(env, "close", "--quarter", "2099Q1", "--by", "Ana")
    assert close.returncode == 2 and "2099Q1 starts after" in close.stderr
    empty = _cli(env, "export", "--quarter", "2024Q1", "--format", "csv", "--out", str(out))
    assert empty.returncode == 2 and "2099" not in empty.stderr and not out.exists()
