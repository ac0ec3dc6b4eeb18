"""MOT_DUCKDB_MEMORY_LIMIT and MOT_DUCKDB_THREADS: checked as settings, applied to every connection
of an embedded DuckDB warehouse the app or a command opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from connectors.runtime import embedded_limits, open_configured_warehouse, open_for_checks
from connectors.settings import SettingsError, resolve_settings
from connectors.warehouse import EmbeddedLimits, Warehouse
from tests.test_checks_bad_input import _duckdb
from tests.test_checks_rules import clean_frames


def test_defaults_bound_duckdb(tmp_path: Path) -> None:
    settings = resolve_settings({"MOT_DATA_DIR": str(tmp_path)})
    assert (settings.duckdb_memory_limit, settings.duckdb_threads) == (None, 2)
    # Unset, the app takes less than a check run, whose full scans need more working memory.
    assert embedded_limits(settings) == EmbeddedLimits("128MB", 2)
    assert embedded_limits(settings, checks=True) == EmbeddedLimits("256MB", 2)


def test_a_set_memory_limit_bounds_the_app_and_the_checks_alike(tmp_path: Path) -> None:
    settings = resolve_settings({"MOT_DATA_DIR": str(tmp_path), "MOT_DUCKDB_MEMORY_LIMIT": "512MB"})
    assert embedded_limits(settings) == embedded_limits(settings, checks=True) == EmbeddedLimits("512MB", 2)


@pytest.mark.parametrize("value", ["lots", "0MB", "-1GB", "12"])
def test_a_memory_limit_that_is_no_size_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(SettingsError, match="MOT_DUCKDB_MEMORY_LIMIT"):
        resolve_settings({"MOT_DATA_DIR": str(tmp_path), "MOT_DUCKDB_MEMORY_LIMIT": value})


@pytest.mark.parametrize("value", ["0", "two", "-3", "1.5"])
def test_threads_must_be_a_positive_whole_number(tmp_path: Path, value: str) -> None:
    with pytest.raises(SettingsError, match="MOT_DUCKDB_THREADS"):
        resolve_settings({"MOT_DATA_DIR": str(tmp_path), "MOT_DUCKDB_THREADS": value})


def _settings_of(connection: Any) -> tuple[int, str]:
    row = connection.exec_driver_sql(
        "SELECT current_setting('threads'), current_setting('memory_limit'), "
        "current_setting('allocator_background_threads')"
    ).fetchone()
    assert row[2] is True or str(row[2]).lower() == "true"  # freed memory goes back while idle
    return int(row[0]), str(row[1])


def test_the_app_and_the_checks_open_duckdb_within_the_limits(tmp_path: Path) -> None:
    url = _duckdb(tmp_path / "w.duckdb", clean_frames())
    settings = resolve_settings({
        "MOT_DATA_DIR": str(tmp_path), "MOT_WAREHOUSE_URL": url,
        "MOT_DUCKDB_MEMORY_LIMIT": "100 mb", "MOT_DUCKDB_THREADS": "1",
    })
    for wh in (open_configured_warehouse(settings), open_for_checks(url, None, embedded_limits(settings))):
        assert isinstance(wh, Warehouse)
        with wh.engine.connect() as connection:
            threads, limit = _settings_of(connection)
        wh.engine.dispose()
        assert threads == 1
        assert limit.replace(" ", "") in ("95.3MiB", "100.0MB", "100MB")
