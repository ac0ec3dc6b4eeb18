"""Bad input never crashes a run: it becomes a failed check with a reason, and history is kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from checks import history
from checks.catalogue import CHECKS
from checks.runner import run_checks
from connectors.demo import write_warehouse
from connectors.runtime import open_for_checks
from connectors.state import create_state_engine
from metrics.model import TABLES
from tests.test_checks_rules import END, clean_frames


def _duckdb(
    path: Path, frames: dict[str, pd.DataFrame], renamed: dict[str, dict[str, str]] | None = None
) -> str:
    url = sa.URL.create("duckdb", database=str(path)).render_as_string()
    engine = sa.create_engine(url)
    renames = renamed or {}
    write_warehouse(engine, frames, lambda t: (None, t, {c: renames.get(t, {}).get(c, c) for c in TABLES[t]}))
    engine.dispose()
    return url


def _by_id(run: object) -> dict[str, object]:
    return {r.check.check_id: r for r in run.results}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=2",
        "duckdb:////no/such/file.duckdb",
        "not a url",
    ],
)
def test_unreachable_warehouse_is_a_failed_check_and_history_is_kept(url: str, tmp_path: Path) -> None:
    state = create_state_engine(
        sa.URL.create("sqlite", database=str(tmp_path / "s.sqlite")).render_as_string()
    )
    good = run_checks(open_for_checks(_duckdb(tmp_path / "ok.duckdb", clean_frames())), END)
    history.save_run(state, good)
    run = run_checks(open_for_checks(url), END)
    results = _by_id(run)
    reachable = results["warehouse.reachable"]
    assert reachable.outcome.value == "failed" and reachable.reason  # type: ignore[attr-defined]
    assert {r.outcome.value for r in run.results if r.check.check_id != "warehouse.reachable"} == {"error"}
    history.save_run(state, run)
    assert set(history.list_runs(state)["run_id"]) == {good.run_id, run.run_id}
    assert len(history.run_results(state, good.run_id)) == len(CHECKS)


def test_empty_tables_fail_rows_present_and_the_run_goes_on(tmp_path: Path) -> None:
    frames = {name: frame.iloc[:0] for name, frame in clean_frames().items()}
    run = run_checks(open_for_checks(_duckdb(tmp_path / "empty.duckdb", frames)), END)
    results = _by_id(run)
    for table in TABLES:
        assert results[f"{table}.rows_present"].outcome.value == "failed", table  # type: ignore[attr-defined]
        assert results[f"{table}.schema"].outcome.value == "passed", table  # type: ignore[attr-defined]
    assert results["touchpoint_kpis.freshness"].outcome.value == "failed"  # type: ignore[attr-defined]


def test_missing_columns_fail_the_schema_check_and_other_checks_still_run(tmp_path: Path) -> None:
    # channel is required; weight would not do: it is optional (metrics.model.OPTIONAL_COLUMNS)
    renamed = {"touchpoint_kpis": {"denominator": "den_old"}, "touchpoints": {"channel": "channel_x"}}
    run = run_checks(open_for_checks(_duckdb(tmp_path / "missing.duckdb", clean_frames(), renamed)), END)
    results = _by_id(run)
    schema = results["touchpoint_kpis.schema"]
    assert schema.outcome.value == "failed"  # type: ignore[attr-defined]
    assert "denominator" in schema.sample.to_string()  # type: ignore[attr-defined]
    assert results["touchpoints.schema"].outcome.value == "failed"  # type: ignore[attr-defined]
    profile_check = results["touchpoint_kpis.unique_keys"]
    assert profile_check.outcome.value == "error"  # type: ignore[attr-defined]
    assert "den" in profile_check.reason.lower()  # type: ignore[attr-defined]
    assert results["journeys.keys"].outcome.value == "passed"  # type: ignore[attr-defined]
    assert results["funnel.values"].outcome.value == "passed"  # type: ignore[attr-defined]


def test_wrong_column_type_fails_the_schema_check_without_crashing(tmp_path: Path) -> None:
    url = _duckdb(tmp_path / "types.duckdb", clean_frames())
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE touchpoint_kpis ALTER numerator TYPE VARCHAR")
        connection.exec_driver_sql("ALTER TABLE stages ALTER position TYPE VARCHAR")
    engine.dispose()
    run = run_checks(open_for_checks(url), END)
    results = _by_id(run)
    assert results["touchpoint_kpis.schema"].outcome.value == "failed"  # type: ignore[attr-defined]
    assert results["stages.schema"].outcome.value == "failed"  # type: ignore[attr-defined]
    assert results["journeys.keys"].outcome.value == "passed"  # type: ignore[attr-defined]
    assert all(r.reason for r in run.results if r.failed)


def test_as_of_before_the_data_makes_rows_future(tmp_path: Path) -> None:
    warehouse = open_for_checks(_duckdb(tmp_path / "early.duckdb", clean_frames()))
    run = run_checks(warehouse, END - dt.timedelta(days=10))
    assert _by_id(run)["touchpoint_kpis.no_future_dates"].outcome.value == "failed"  # type: ignore[attr-defined]
