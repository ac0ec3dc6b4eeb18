"""Session fixtures for real servers. The process handling lives in tests/servers.py.

Missing PostgreSQL binaries, a missing Chromium or a missing Java skip the tests that need them,
unless MOT_REQUIRE_POSTGRES=1 / MOT_REQUIRE_BROWSER=1 / MOT_REQUIRE_SPARK=1 (set by CI) turn the
skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import NoReturn

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import CHROMIUM_PATH, launch_chromium
from tests.servers import ServerUnavailable, StreamlitLauncher, running_postgres
from tests.spark import running_spark

# Great Expectations would otherwise try to send usage statistics (there is no network here).
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def _unavailable(reason: str, require_env: str) -> NoReturn:
    if os.environ.get(require_env) == "1":
        pytest.fail(f"{reason} ({require_env}=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of an empty database `mot_test` on a PostgreSQL server for this session."""
    given = os.environ.get("MOT_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        with running_postgres() as url:
            yield url
        return
    except ServerUnavailable as exc:
        reason = str(exc)
    _unavailable(reason, "MOT_REQUIRE_POSTGRES")  # outside `except`: no chained traceback noise


@pytest.fixture(scope="session")
def spark_url() -> Iterator[str]:
    """SQLAlchemy URL (``hive://``) of a Spark Thrift server on a two-worker local cluster.

    One server per session: it takes about 40 s to start and holds about 1 GB. The tables are
    loaded by the fixtures from Parquet files that the server reads from this machine, so a
    server given by MOT_TEST_SPARK_URL must run here too.
    """
    given = os.environ.get("MOT_TEST_SPARK_URL")
    if given:
        yield given
        return
    try:
        with running_spark() as server:
            yield server.url
        return
    except ServerUnavailable as exc:
        reason = str(exc)
    _unavailable(reason, "MOT_REQUIRE_SPARK")


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """A headless Chromium shared by the session; prefer `browser_page` in tests."""
    if not CHROMIUM_PATH.exists():
        _unavailable(f"{CHROMIUM_PATH} not found (apt-get install chromium)", "MOT_REQUIRE_BROWSER")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium_browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context (no shared cookies or storage), closed after the test."""
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def streamlit_server() -> Iterator[Callable[[Mapping[str, str]], str]]:
    """Factory: `base_url = streamlit_server({"MOT_WAREHOUSE_URL": ...})` runs dashboard.py.

    Extra env is added to the test process's environment; the same env reuses the same server.
    All servers are terminated at the end of the session.
    """
    launcher = StreamlitLauncher()
    try:
        yield launcher
    finally:
        launcher.close()


# The fixture warehouse (tests/fixtures.py) on DuckDB, SQLite, PostgreSQL and Spark, for every module.
from tests.fixtures import (  # noqa: E402,F401
    fixture_warehouse_duckdb,
    fixture_warehouse_postgres,
    fixture_warehouse_spark,
    fixture_warehouse_sqlite,
    frames,
    warehouse,
)
