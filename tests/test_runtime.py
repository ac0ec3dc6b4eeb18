"""One runtime (connectors/runtime.py): settings from one secrets reader, one state-store engine per
URL, tables prepared once per engine, DuckDB options set once where its engine is made."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from checks.history import list_runs, prepare_history
from checks.runner import run_checks
from connectors.runtime import (
    KpiTableError,
    WarehouseUnavailable,
    kpi_registry_from,
    load_settings,
    open_for_checks,
    read_secrets,
    state_engine,
)
from connectors.settings import SettingsError
from connectors.warehouse import Warehouse
from review.store import comment_frame, prepare_review_store
from tests.test_checks_bad_input import _duckdb
from tests.test_checks_rules import END, clean_frames


def _sqlite(path: Path) -> str:
    return sa.URL.create("sqlite", database=str(path)).render_as_string()


def test_environment_wins_over_secrets_and_secrets_over_defaults(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    data = tmp_path / "data"
    secrets.write_text(f'MOT_WAREHOUSE_URL = "duckdb:///from-secrets.duckdb"\nMOT_DATA_DIR = "{data}"\n')
    from_secrets = load_settings({}, secrets)
    assert from_secrets.warehouse_url == "duckdb:///from-secrets.duckdb"
    assert data.is_dir()  # MOT_DATA_DIR is created on load, as the app and every command need it
    from_env = load_settings({"MOT_WAREHOUSE_URL": "duckdb:///from-env.duckdb"}, secrets)
    assert from_env.warehouse_url == "duckdb:///from-env.duckdb"
    assert load_settings({"MOT_DATA_DIR": str(data)}, tmp_path / "none.toml").warehouse_url is None


def test_unreadable_secrets_file_is_a_settings_error(tmp_path: Path) -> None:
    assert read_secrets(tmp_path / "missing.toml") == {}
    broken = tmp_path / "secrets.toml"
    broken.write_text("MOT_WAREHOUSE_URL = \n")
    with pytest.raises(SettingsError, match="secrets.toml cannot be read"):
        load_settings({}, broken)
    with pytest.raises(SettingsError, match="cannot be read"):
        read_secrets(tmp_path)  # a folder


def test_one_state_engine_per_url_with_tables_made_once(tmp_path: Path) -> None:
    url = _sqlite(tmp_path / "state.sqlite")
    engine = state_engine(url)
    assert state_engine(url) is engine
    assert state_engine(_sqlite(tmp_path / "other.sqlite")) is not engine
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    prepare_history(engine)
    prepare_review_store(engine)
    assert any("CREATE TABLE" in s for s in statements)
    statements.clear()
    for _ in range(3):
        assert list_runs(engine).empty and comment_frame(engine, "2026Q3").empty
    # Only the reads themselves: no table inspection or creation per call.
    assert len(statements) == 6 and all(s.lstrip().upper().startswith("SELECT") for s in statements)


def test_unopenable_warehouse_comes_back_as_the_reason(tmp_path: Path) -> None:
    missing = open_for_checks(f"duckdb:///{tmp_path / 'no.duckdb'}")
    assert isinstance(missing, WarehouseUnavailable) and "does not exist" in missing.reason
    secret = open_for_checks("postgresql+psycopg://reader:hunter2@127.0.0.1:1/db?connect_timeout=2")
    assert isinstance(secret, WarehouseUnavailable)
    assert "hunter2" not in secret.label + secret.reason and "Cannot reach the warehouse" in secret.reason


def test_bad_kpi_table_says_what_to_fix() -> None:
    frame = pd.DataFrame([{"kpi_id": "x", "name": "X", "unit": "furlongs", "direction": "higher_is_better",
                           "aggregation": "sum", "scale": 1.0, "description": ""}])
    with pytest.raises(KpiTableError) as caught:
        kpi_registry_from(frame)
    assert "furlongs" in caught.value.detail and "Each KPI needs a unit" in str(caught.value)


@pytest.mark.slow
def test_check_runs_add_nothing_to_the_warehouse_engine(tmp_path: Path) -> None:
    """"Run checks now" reuses the app's engine: DuckDB's options are set where the engine is made,
    so pressing it again adds no listener (it used to add one per press)."""
    wh = open_for_checks(_duckdb(tmp_path / "w.duckdb", clean_frames()))
    assert isinstance(wh, Warehouse)
    listeners = len(wh.engine.pool.dispatch.connect)
    for _ in range(2):
        run_checks(wh, END)
    assert len(wh.engine.pool.dispatch.connect) == listeners
    with wh.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT current_setting('enable_progress_bar')").scalar() is False
    wh.engine.dispose()


def test_an_in_memory_state_store_is_one_store_for_every_thread() -> None:
    """MOT_STATE_URL=sqlite:// keeps nothing after a restart, but within the process every session
    (each its own thread) sees the tables and rows the first one made."""
    import threading

    from connectors.state import create_state_engine

    engine = create_state_engine("sqlite://")
    prepare_review_store(engine)
    seen: list[object] = []

    def read() -> None:
        try:
            seen.append(len(comment_frame(engine, "2026Q3")))
        except sa.exc.OperationalError as exc:  # "no such table": a thread got its own database
            seen.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert seen == [0]
